"""The Mini App page and its assets under ``/app/``: all served here, nothing from a CDN.

Also ``GET /app/api/strings?lang=xx`` (public): the page's texts from the gettext catalogs,
and the security headers of every ``/app/`` response (Content-Security-Policy: only this
origin's scripts, styles and calls; framing only by Telegram's web clients).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from aiohttp import web

from bot.core.i18n import normalize_language, translations
from bot.webapp.strings import PAGE_STRINGS

STATIC = Path(__file__).parent / "static"
TELEGRAM_WEB = "https://web.telegram.org https://*.telegram.org"
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors 'self' {TELEGRAM_WEB}",
    )
)
# Asset names carry no version, so browsers keep them a short while and then revalidate
# (aiohttp answers 304 from the ETag/Last-Modified); the page itself is always revalidated.
STATIC_CACHE = "public, max-age=600, stale-while-revalidate=86400"
PAGE_CACHE = "no-cache"


async def _index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": PAGE_CACHE})


@cache
def page_strings(language: str) -> dict[str, str]:
    """The page's msgids and their text in ``language`` (one of es, pt, en)."""
    catalog = translations(language)
    return {msgid: catalog.gettext(msgid) for msgid in PAGE_STRINGS}


async def _strings(request: web.Request) -> web.Response:
    language = normalize_language(request.query.get("lang"))
    body = {"lang": language, "strings": page_strings(language)}
    return web.json_response(body, headers={"Cache-Control": "public, max-age=300"})


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if not request.path.startswith("/app"):
        return
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.path.startswith("/app/static/") and response.status in (200, 304):
        response.headers["Cache-Control"] = STATIC_CACHE


def add_page_routes(app: web.Application) -> None:
    """Register ``/app/`` (the page), ``/app/static/`` (its assets) and the page's
    strings on ``app``, and the security headers of every ``/app`` response."""
    app.router.add_get("/app/", _index)
    app.router.add_get("/app", _redirect)
    app.router.add_get("/app/api/strings", _strings)
    app.router.add_static("/app/static/", STATIC)
    app.on_response_prepare.append(_security_headers)


async def _redirect(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/app/" + (f"?{request.query_string}" if request.query_string else ""))
