"""What every organizer write endpoint needs: the caller checked (signed init data, then the
role, as ``handlers.common.requires_role`` does in chat), JSON errors in the caller's
language, and request bodies read with a size limit.

:func:`organizer_from_request` is deliberately one small function: the member endpoints
(``bot.webapp.api``) have their own helper, and the two are meant to be merged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.app.context import Services
from bot.core.enums import Role
from bot.core.i18n import Translator, normalize_language
from bot.webapp.auth import InitDataError, init_data_from_header, validate_init_data
from storage.members import get_member
from storage.models import Member

MAX_BODY = 64 * 1024
_ERRORS: dict[int, type[web.HTTPException]] = {
    400: web.HTTPBadRequest,
    401: web.HTTPUnauthorized,
    403: web.HTTPForbidden,
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}


def services(request: web.Request) -> Services:
    from bot.webapp import SERVICES  # the package imports this module's users

    return request.app[SERVICES]


def failure(status: int, message: str, code: str | None = None) -> web.HTTPException:
    """The JSON error ``{"error", "message"}`` to raise (nothing has been changed)."""
    body = json.dumps(
        {"error": code or CODES.get(status, "conflict"), "message": message}, ensure_ascii=False
    )
    return _ERRORS[status](text=body, content_type="application/json")


def _anonymous_tr(request: web.Request, default: str) -> Translator:
    """Before the caller is known: the browser's language, else the network's."""
    first = request.headers.get("Accept-Language", "").split(",")[0].split(";")[0]
    return Translator(normalize_language(first or None, default))


@dataclass(frozen=True)
class Caller:
    member: Member
    tr: Translator


async def organizer_from_request(request: web.Request) -> Member:
    """The organizer (or admin) behind ``Authorization: tma <initData>``.

    401 on any authentication failure, 403 for an unknown member or one without the role.
    """
    svc = services(request)
    settings = svc.settings
    try:
        init_data = init_data_from_header(request.headers.get("Authorization"))
        user = validate_init_data(init_data, settings.token, max_age=settings.webapp_auth_max_age)
    except InitDataError as exc:
        tr = _anonymous_tr(request, settings.default_language)
        raise failure(
            401, tr("Open this page from the bot in Telegram: your sign-in could not be checked.")
        ) from exc
    member = await get_member(svc.db, user.user_id)
    if member is None or Role(member.role).rank < Role.organizer.rank:
        language = member.language if member else normalize_language(user.language_code)
        tr = Translator(language)
        raise failure(403, tr("Sorry, only organizers and admins can do that."))
    return member


async def caller(request: web.Request) -> Caller:
    member = await organizer_from_request(request)
    return Caller(member, Translator(member.language))


async def json_body(request: web.Request, tr: Translator) -> dict[str, Any]:
    """The request's JSON object; 400 when it is larger than 64 KB, not JSON or not an object."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise failure(400, tr("The request is too large."))
    raw = bytearray()
    while chunk := await request.content.read(16 * 1024):
        raw += chunk
        if len(raw) > MAX_BODY:
            raise failure(400, tr("The request is too large."))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise failure(400, tr("That request could not be read.")) from exc
    if not isinstance(data, dict):
        raise failure(400, tr("That request could not be read."))
    return data


def bad_field(tr: Translator, name: str) -> web.HTTPException:
    return failure(400, tr("The field “{field}” is missing or not valid.", field=name))


def display_name(member: Member) -> str:
    """As in chat (``handlers.common.display_name``), for the audit log."""
    name = " ".join(p for p in (member.first_name, member.last_name) if p)
    return name or (f"@{member.username}" if member.username else str(member.user_id))
