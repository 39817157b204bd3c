"""Creating, changing and cancelling events from the Mini App, with the checks of /newevent
and /editevent (titles of 3 to 200 characters, an IANA zone, a local time that exists, is
unambiguous and ahead, a length of 5 minutes to 24 hours, an http(s) link).

The rows are written by the chat's storage functions (``storage.events``), audited there;
members hear of a move or a cancellation exactly as after the chat commands: the reminder
scheduler announces every unannounced revision or cancellation through the outbox. Titles
and places are stored as typed: plain text, escaped wherever they are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.core.enums import EventStatus, Role
from bot.core.geo import is_valid_zone
from bot.core.i18n import LANGUAGES, Translator, pick_text
from bot.core.ids import SLUG, slugify
from bot.core.timeparse import local_to_utc
from bot.render.names import display_name
from bot.webapp.api import ApiError, Caller, bad_field, caller_of, read_json
from bot.webapp.compose import audience_field
from storage import catalog
from storage import events as store
from storage.models import Event, Member

LINK = re.compile(r"https?://[^\s/$.?#][^\s]{2,490}")
MAX_OFFSETS = 6
TIME_FIELDS = ("starts_local", "timezone", "duration_minutes", "all_day", "days")


def add_routes(app: web.Application) -> None:
    app.router.add_post("/app/api/events", create)
    app.router.add_patch("/app/api/events/{id}", change)
    app.router.add_post("/app/api/events/{id}/cancel", cancel)


def iso_local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def event_json(event: Event, member: Member, default: str) -> dict[str, Any]:
    """The event as the member endpoints show it, times in the caller's zone."""
    return {
        "id": event.id,
        "title": pick_text(event.title, member.language, default),
        "titles": event.title,
        "starts_local": iso_local(event.starts_at, member.timezone),
        "ends_local": iso_local(event.ends_at, member.timezone),
        "starts_utc": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "timezone": event.timezone,
        "all_day": event.all_day,
        "status": event.status,
        "online": event.kind == "videoconference",
        "place": event.platform if event.kind == "videoconference" else event.location,
        "join_url": event.join_url,
        "audience": event.audience,
        "reminders": event.reminders,
    }


# ------------------------------------------------------------------ the fields
def titles_field(value: Any, tr: Translator) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise bad_field(tr, "title")
    titles: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES or not isinstance(text, str):
            raise bad_field(tr, "title")
        text = " ".join(text.split())
        if not 3 <= len(text) <= 200:
            raise ApiError("bad_request", tr("A title has 3 to 200 characters."))
        titles[language] = text
    return titles


@dataclass
class When:
    """The local start, its zone and its length, as the form sends them."""

    local: datetime
    zone: str
    minutes: int
    all_day: bool
    days: int

    def utc(self, tr: Translator, now: datetime) -> tuple[datetime, datetime]:
        """Start and end in UTC; 400 when the local time is impossible, past or far off."""
        day = self.local.date()
        today = now.astimezone(ZoneInfo(self.zone)).date()
        if day > today + timedelta(days=730):
            raise ApiError(
                "bad_request", tr("That date is more than two years away. Check the year.")
            )
        try:
            if self.all_day:
                start = local_to_utc(datetime.combine(day, time()), self.zone)
                end = local_to_utc(
                    datetime.combine(day + timedelta(days=self.days), time()), self.zone
                )
            else:
                start = local_to_utc(self.local, self.zone)
                end = start + timedelta(minutes=self.minutes)
        except ValueError as exc:
            raise ApiError("bad_request", self._impossible(str(exc), tr)) from exc
        if start <= now:
            raise ApiError(
                "bad_request", tr("That moment has already passed. Choose a later date.")
            )
        return start, end

    def _impossible(self, reason: str, tr: Translator) -> str:
        shown = self.local.strftime("%H:%M")
        if "does not exist" in reason:
            return tr(
                "{time} does not exist on that day in {zone}: the clocks skip that hour. "
                "Choose another time.",
                time=shown,
                zone=self.zone,
            )
        return tr(
            "{time} happens twice on that day in {zone}: the clocks go back. Choose another time.",
            time=shown,
            zone=self.zone,
        )


def when_field(data: dict[str, Any], base: When, tr: Translator) -> When:
    """The time fields of ``data`` over ``base`` (the event's current ones, for a PATCH)."""
    when = When(base.local, base.zone, base.minutes, base.all_day, base.days)
    if "timezone" in data:
        zone = data["timezone"]
        if not isinstance(zone, str) or not is_valid_zone(zone):
            raise ApiError(
                "bad_request",
                tr(
                    "I don't know the time zone “{zone}”. Try a name like Europe/Madrid or a "
                    "city like São Paulo.",
                    zone=str(zone)[:60],
                ),
            )
        when.zone = zone
    if "starts_local" in data:
        when.local = _local(data["starts_local"], when.zone, tr)
    if "all_day" in data:
        if not isinstance(data["all_day"], bool):
            raise bad_field(tr, "all_day")
        when.all_day = data["all_day"]
    if "duration_minutes" in data:
        minutes = data["duration_minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 1440:
            raise ApiError(
                "bad_request", tr("An event lasts between 5 minutes and 24 hours (or is all day).")
            )
        when.minutes = minutes
    if "days" in data:
        days = data["days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 31:
            raise ApiError("bad_request", tr("Write a number of days, from 1 to 31."))
        when.days = days
    return when


def _local(value: Any, zone: str, tr: Translator) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise bad_field(tr, "starts_local")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise bad_field(tr, "starts_local") from exc
    if moment.tzinfo is not None:  # an offset given after all: that instant, in the zone
        moment = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


def place_fields(data: dict[str, Any], online: bool, tr: Translator) -> dict[str, Any]:
    """``online``/``place``/``join_url`` as the event's kind, platform, location and link."""
    place = data.get("place")
    if place is not None and (not isinstance(place, str) or len(place) > 200):
        raise bad_field(tr, "place")
    place = " ".join(place.split()) or None if isinstance(place, str) else None
    link = data.get("join_url")
    if link is not None and (not isinstance(link, str) or not LINK.fullmatch(link)):
        raise ApiError(
            "bad_request", tr("That is not a link. Send one that starts with https://, or skip.")
        )
    return {
        "kind": "videoconference" if online else "meeting",
        "platform": place[:60] if online and place else None,
        "location": None if online else place,
        "join_url": link if online else None,
    }


def reminders_field(value: Any, tr: Translator) -> list[int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_OFFSETS
        or not all(
            isinstance(m, int) and not isinstance(m, bool) and 0 <= m <= 30 * 1440 for m in value
        )
    ):
        raise bad_field(tr, "reminders")
    return sorted(set(value), reverse=True)


# ------------------------------------------------------------------ the endpoints
def _online(data: dict[str, Any], current: bool, tr: Translator) -> bool:
    value = data.get("online", current)
    if not isinstance(value, bool):
        raise bad_field(tr, "online")
    return value


async def create(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    tr, member, svc = who.tr, who.member, who.svc
    data = await read_json(request)
    titles = titles_field(data.get("title"), tr)
    if "starts_local" not in data or "timezone" not in data:
        raise bad_field(tr, "starts_local" if "starts_local" not in data else "timezone")
    base = When(datetime.min, member.timezone, 90, False, 1)
    when = when_field(data, base, tr)
    start, end = when.utc(tr, svc.now())
    places = place_fields(data, _online(data, True, tr), tr)
    audience = await audience_field(who, data)
    reminders = reminders_field(data.get("reminders"), tr)
    first = next(iter(titles.values()))
    local_day = start.astimezone(ZoneInfo(when.zone)).date().isoformat()
    base_id = f"{slugify(first)[:40].rstrip('-') or 'event'}-{local_day}"
    event_id = await store.free_event_id(svc.db, base_id)
    event = Event(
        id=event_id,
        title=titles,
        starts_at=start,
        ends_at=end,
        all_day=when.all_day,
        timezone=when.zone,
        audience=audience,
        reminders=reminders,
        **places,
    )
    await store.create_event(
        svc.db, event, actor_id=member.user_id, actor_name=display_name(member)
    )
    return web.json_response(event_json(event, member, svc.settings.default_language), status=201)


async def _event(request: web.Request, who: Caller) -> Event:
    event_id = request.match_info["id"].lower()
    event = await catalog.get_event(who.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        raise ApiError("not_found", why=f"no event {event_id[:64]!r}")
    return event


def _current_when(event: Event) -> When:
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    length = event.ends_at - event.starts_at
    minutes = int(length.total_seconds() // 60)
    return When(
        local.replace(tzinfo=None), event.timezone, minutes, event.all_day, max(1, length.days)
    )


def _changes(data: dict[str, Any], event: Event, tr: Translator) -> dict[str, Any]:
    """The columns a PATCH sets besides the time (validated, nothing written yet)."""
    values: dict[str, Any] = {}
    if "title" in data:
        values["title"] = titles_field(data["title"], tr)
    online = event.kind == "videoconference"
    if {"online", "place", "join_url"} & set(data):
        online = _online(data, online, tr)
        merged = {
            "place": data.get("place", event.platform if online else event.location),
            "join_url": data.get("join_url", event.join_url),
        }
        values.update(place_fields(merged, online, tr))
    if "reminders" in data:
        values["reminders"] = reminders_field(data["reminders"], tr)
    return values


async def change(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    tr, member, svc = who.tr, who.member, who.svc
    data = await read_json(request)
    event = await _event(request, who)
    if event.status == EventStatus.cancelled:
        raise ApiError("conflict", tr("That event no longer exists or was cancelled."))
    values = _changes(data, event, tr)
    if "audience" in data:
        values["audience"] = await audience_field(who, data)
    moved: tuple[datetime, datetime, bool] | None = None
    if set(TIME_FIELDS) & set(data):
        when = when_field(data, _current_when(event), tr)
        start, end = when.utc(tr, svc.now())
        if (start, end, when.all_day) != (event.starts_at, event.ends_at, event.all_day):
            moved = (start, end, when.all_day)
        if when.zone != event.timezone:
            values["timezone"] = when.zone
    actor_id, actor_name = member.user_id, display_name(member)
    if moved is not None:
        result = await store.move_event(
            svc.db, event.id, *moved, actor_id=actor_id, actor_name=actor_name
        )
        if result is None:
            raise ApiError("conflict", tr("That event no longer exists or was cancelled."))
        event = result
    if values:
        changed = await store.change_event(
            svc.db, event.id, values, actor_id=actor_id, actor_name=actor_name
        )
        event = changed or event
    return web.json_response(event_json(event, member, svc.settings.default_language))


async def cancel(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    tr, member, svc = who.tr, who.member, who.svc
    event = await _event(request, who)
    if event.status == EventStatus.cancelled:
        raise ApiError("conflict", tr("That event is already cancelled."))
    cancelled = await store.cancel_event(
        svc.db, event.id, actor_id=member.user_id, actor_name=display_name(member)
    )
    if cancelled is None:
        raise ApiError("conflict", tr("That event no longer exists or was cancelled."))
    return web.json_response(event_json(cancelled, member, svc.settings.default_language))


__all__ = ["add_routes", "event_json"]
