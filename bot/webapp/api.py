"""The Mini App's JSON API under ``/app/api/``: who is calling, errors, request bodies.

Every call but ``/app/api/strings`` carries ``Authorization: tma <initData>``; the
middleware checks it (:mod:`bot.webapp.auth`), loads the member of ``user.id`` (created on
first contact, as in chat) and puts a :class:`Caller` in ``request[CALLER]``. Handlers
raise :class:`ApiError`; it becomes ``{"error": code, "message": localized text}``. Any
failure of the init data is a 401; an erased person gets a 403 until they /start again
(as in chat, nothing of theirs is created silently).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.app.config import Settings
from bot.app.context import Services
from bot.core.enums import Role
from bot.core.i18n import LANGUAGES, N_, Translator, normalize_language, pick_text
from bot.webapp.auth import (
    InitDataError,
    WebAppUser,
    claimed_language,
    init_data_from_header,
    validate_init_data,
)
from storage import erasure
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, get_member, up_to_date
from storage.models import Member

log = logging.getLogger(__name__)

API = "/app/api/"
PUBLIC = frozenset({"/app/api/strings"})
MAX_BODY = 64 * 1024
SERVICES = web.AppKey("services", Services)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MESSAGES = {
    "unauthorized": N_(
        "Your Telegram sign-in could not be checked. Close the app and open it again."
    ),
    "erased": N_("Your data was erased. Send /start to the bot to use it again."),
    "forbidden": N_("Sorry, only organizers and admins can do that."),
    "bad_request": N_("The request could not be read."),
    "not_found": N_("That does not exist (any more)."),
    "conflict": N_("That can no longer be changed."),
}
STATUSES = {
    "unauthorized": 401,
    "forbidden": 403,
    "bad_request": 400,
    "not_found": 404,
    "conflict": 409,
}


class ApiError(Exception):
    """An error answer: ``code`` (and its HTTP status) and an optional localized message
    (else the code's own)."""

    def __init__(self, code: str, message: str | None = None, *, why: str = "") -> None:
        super().__init__(why or code)
        self.code = code
        self.message = message
        self.why = why


@dataclass
class Caller:
    """The member behind one API call, their translator and the services."""

    member: Member
    tr: Translator
    svc: Services

    @property
    def db(self) -> Database:
        return self.svc.db

    @property
    def settings(self) -> Settings:
        return self.svc.settings

    def now(self) -> datetime:
        return self.svc.now()

    def pick(self, texts: dict[str, str] | None) -> str:
        return pick_text(texts, self.tr.language, self.settings.default_language)

    @property
    def is_staff(self) -> bool:
        return Role(self.member.role).rank >= Role.organizer.rank

    def require(self, role: Role) -> None:
        """403 unless the member has ``role`` (or a higher one), as chat's requires_role."""
        if Role(self.member.role).rank < role.rank:
            raise ApiError("forbidden", why=f"needs {role.value}, has {self.member.role}")


CALLER = web.RequestKey("webapp_caller", Caller)


def caller_of(request: web.Request) -> Caller:
    caller = request[CALLER]
    assert isinstance(caller, Caller)
    return caller


def _language_of(request: web.Request, default: str) -> str:
    """The language for an answer to someone not (yet) known: ?lang=, else the language
    their (unchecked) init data claims, else the browser's."""
    for wanted in (
        request.query.get("lang"),
        claimed_language(request.headers.get("Authorization")),
        request.headers.get("Accept-Language"),
    ):
        base = re.split(r"[-_,;\s]", (wanted or "").strip().lower())[0]
        if base in LANGUAGES:
            return base
    return normalize_language(None, default)


def _stranger(request: web.Request, svc: Services) -> Translator:
    return Translator(_language_of(request, svc.settings.default_language))


def error_response(code: str, tr: Translator, message: str | None = None) -> web.Response:
    text = message or tr(MESSAGES.get(code, MESSAGES["bad_request"]))
    return web.json_response({"error": code, "message": text}, status=STATUSES.get(code, 400))


async def _authenticate(request: web.Request, svc: Services) -> Caller:
    settings = svc.settings
    try:
        user = validate_init_data(
            init_data_from_header(request.headers.get("Authorization")),
            settings.token,
            max_age=settings.webapp_auth_max_age,
            now=svc.now().timestamp(),
        )
    except InitDataError as exc:
        raise ApiError("unauthorized", why=str(exc)) from None
    member = await load_member(svc, user)
    return Caller(member, Translator(member.language), svc)


def _identity(svc: Services, user: WebAppUser) -> TelegramIdentity:
    """What chat's ``BotContext.load_member`` takes from an update; the private chat of
    a person has their user id."""
    return TelegramIdentity(
        user_id=user.user_id,
        chat_id=user.user_id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language=normalize_language(user.language_code, svc.settings.default_language),
    )


async def load_member(svc: Services, user: WebAppUser) -> Member:
    """The member of ``user``, created on first contact by chat's own
    :func:`storage.members.ensure_member` (names refreshed the same way). Someone who
    erased their data is not created again: as in chat, only /start brings them back."""
    settings = svc.settings
    who = _identity(svc, user)
    member = await get_member(svc.db, user.user_id)
    if member is not None and up_to_date(member, who, settings.admin_ids):
        return member  # one read per call: a member row means no tombstone
    if member is None and await erasure.is_erased(svc.db, user.user_id):
        tr = Translator(who.language)
        raise ApiError("forbidden", tr(MESSAGES["erased"]), why="erased person")
    member, _ = await ensure_member(
        svc.db, who, default_timezone=settings.default_timezone, admin_ids=settings.admin_ids
    )
    return member


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticates ``/app/api/*`` calls and turns :class:`ApiError` into JSON."""
    path = request.path
    if not path.startswith(API) or path in PUBLIC:
        return await handler(request)
    svc = request.app[SERVICES]
    tr: Translator | None = None  # the caller's, once known
    try:
        caller = await _authenticate(request, svc)
        request[CALLER] = caller
        tr = caller.tr
        return await handler(request)
    except ApiError as exc:
        who = request.get(CALLER)
        log.warning(
            "mini app: refused %s %s (%s) for %s: %s",
            request.method,
            path,
            exc.code,
            who.member.user_id if isinstance(who, Caller) else "unknown caller",
            exc.why or exc.code,
        )
        return error_response(exc.code, tr or _stranger(request, svc), exc.message)
    except web.HTTPNotFound:
        return error_response("not_found", tr or _stranger(request, svc))
    except web.HTTPMethodNotAllowed:
        return error_response("bad_request", tr or _stranger(request, svc))


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object; 400 when it is larger than 64 KB, not JSON or not an
    object."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError("bad_request", why=f"body of {request.content_length} bytes")
    body = bytearray()
    while chunk := await request.content.read(16 * 1024):  # a read returns what has come
        body += chunk
        if len(body) > MAX_BODY:
            raise ApiError("bad_request", why="oversized body")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError("bad_request", why="malformed JSON") from None
    if not isinstance(data, dict):
        raise ApiError("bad_request", why="JSON body is not an object")
    return data


def bad_field(tr: Translator, name: str) -> ApiError:
    """The 400 for a field of the body that is missing or not valid."""
    return ApiError(
        "bad_request", tr("The field “{field}” is missing or not valid.", field=name), why=name
    )


def add_api_routes(app: web.Application) -> None:
    """Register the API: the member's endpoints and the organizers' reads."""
    from bot.webapp import board, member, surveys

    app.middlewares.append(api_middleware)
    member.add_routes(app)
    surveys.add_routes(app)
    board.add_routes(app)
