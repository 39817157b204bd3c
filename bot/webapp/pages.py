"""The Mini App page and its assets under ``/app/``: all served here, nothing from a CDN."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"


async def _index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


def add_page_routes(app: web.Application) -> None:
    """Register ``/app/`` (the page) and ``/app/static/`` (its assets) on ``app``."""
    app.router.add_get("/app/", _index)
    app.router.add_static("/app/static/", STATIC)
