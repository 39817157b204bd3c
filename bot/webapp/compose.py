"""The broadcast composer of the Mini App: preview (live recipient count, the texts as
Telegram will show them) and create (now or at ``send_at``).

Texts are Telegram HTML, checked as /broadcast checks them (``check_text``: Telegram's
parser, 16,000 visible characters, split into messages at delivery); the audience builder's
fields become the same selectors as /broadcast's, and the broadcast is created by the same
storage function, so it is audited, queued in the outbox and counted in /broadcasts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.core.audience import AudienceError, parse_selectors
from bot.core.enums import Role
from bot.core.i18n import LANGUAGES, Translator
from bot.core.timeparse import known_zone, local_to_utc
from bot.messaging.compose import TextProblem, check_text, split_html
from bot.messaging.entities_html import entities_to_html
from bot.messaging.telegram_html import parse_html, utf16_len
from bot.render.names import display_name
from bot.render.refusals import text_refusal
from bot.webapp.api import ApiError, Caller, bad_field, caller_of, read_json
from storage import broadcasts as store
from storage.audience import unknown_references

# audience builder field -> selector kind
AUDIENCE_FIELDS = {
    "countries": "country",
    "institutions": "institution",
    "roles": "role",
    "languages": "language",
    "events": "event",
    "groups": "group",
}
MAX_ITEMS = 200


def add_routes(app: web.Application) -> None:
    app.router.add_post("/app/api/broadcasts/preview", preview)
    app.router.add_post("/app/api/broadcasts", create)


def texts_field(data: dict[str, Any], tr: Translator) -> dict[str, str]:
    """``{"es": "...", ...}``: known languages, blank ones left out, each text checked."""
    value = data.get("texts")
    if not isinstance(value, dict) or not all(
        lang in LANGUAGES and isinstance(text, str) for lang, text in value.items()
    ):
        raise bad_field(tr, "texts")
    texts = {lang: text for lang, text in value.items() if text.strip()}
    if not texts:
        empty = TextProblem("empty", "empty")
        raise ApiError("bad_request", text_refusal(empty, tr, as_html=False))
    for text in texts.values():
        problem = check_text(text)
        if problem is not None:  # as /broadcast says it, as plain text
            raise ApiError("bad_request", text_refusal(problem, tr, as_html=False))
    return texts


def selectors_of(value: Any, tr: Translator) -> list[str]:
    """The builder's ``{"countries": [...], ...}`` as /broadcast selectors (``all`` if empty)."""
    if value is None:
        return ["all"]
    if not isinstance(value, dict) or set(value) - set(AUDIENCE_FIELDS):
        raise bad_field(tr, "audience")
    items: list[str] = []
    for name, kind in AUDIENCE_FIELDS.items():
        values = value.get(name) or []
        if not isinstance(values, list) or len(values) > MAX_ITEMS:
            raise bad_field(tr, f"audience.{name}")
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise bad_field(tr, f"audience.{name}")
        items += [f"{kind}:{v}" for v in values]
    if not items:
        return ["all"]
    try:
        return parse_selectors(items)
    except AudienceError as exc:
        kind = exc.selector.partition(":")[0]
        field = next((n for n, k in AUDIENCE_FIELDS.items() if k == kind), "audience")
        raise bad_field(tr, f"audience.{field}") from exc


async def audience_field(who: Caller, data: dict[str, Any]) -> list[str]:
    """The builder's audience as selectors, each institution, event or group known."""
    tr = who.tr
    selectors = selectors_of(data.get("audience"), tr)
    missing = await unknown_references(who.db, selectors)
    if missing:
        raise ApiError("bad_request", tr("These do not exist: {items}", items=", ".join(missing)))
    return selectors


def send_at_field(
    data: dict[str, Any], zone: str, now: datetime, tr: Translator
) -> datetime | None:
    """ISO 8601 with an offset, or without one in the caller's zone; must be ahead."""
    value = data.get("send_at")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise bad_field(tr, "send_at")
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = local_to_utc(moment, zone if known_zone(zone) else "UTC")
    except ValueError as exc:
        raise bad_field(tr, "send_at") from exc
    moment = moment.astimezone(UTC)
    if moment <= now:
        raise ApiError("bad_request", tr("That time has already passed. Choose a later one."))
    return moment


def shown(text: str) -> dict[str, Any]:
    """The text as a reader gets it: sanitized Telegram HTML, its length, its messages."""
    parsed = parse_html(text)
    return {
        "html": entities_to_html(parsed.text, parsed.entities),
        "chars": utf16_len(parsed.text),
        "parts": len(split_html(text)),
    }


async def preview(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    data = await read_json(request)
    texts = texts_field(data, who.tr)
    selectors = await audience_field(who, data)
    recipients = await store.count_recipients(who.db, selectors)
    return web.json_response(
        {
            "recipients": recipients.total,
            "people": recipients.people,
            "groups": recipients.groups,
            "waiting": recipients.waiting,
            "audience": selectors,
            "preview": {lang: shown(text) for lang, text in texts.items()},
        }
    )


async def create(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    tr, member, svc = who.tr, who.member, who.svc
    data = await read_json(request)
    texts = texts_field(data, tr)
    selectors = await audience_field(who, data)
    scheduled = send_at_field(data, member.timezone, svc.now(), tr)
    recipients = await store.count_recipients(svc.db, selectors)
    if recipients.total == 0:
        raise ApiError("bad_request", tr("Nobody matches this audience. Choose another one."))
    broadcast = await store.create_broadcast(
        svc.db,
        created_by=member.user_id,
        actor_name=display_name(member),
        texts=texts,
        audience=selectors,
        now=svc.now(),
        default_language=svc.settings.default_language,
        split=split_html,
        scheduled_at=scheduled,
    )
    if broadcast.status != "scheduled" and svc.delivery is not None:
        svc.delivery.wake()
    return web.json_response(
        {
            "id": broadcast.id,
            "status": broadcast.status,
            "recipients": broadcast.recipients
            if broadcast.status != "scheduled"
            else recipients.total,
            "send_at": scheduled.isoformat().replace("+00:00", "Z") if scheduled else None,
        },
        status=201,
    )
