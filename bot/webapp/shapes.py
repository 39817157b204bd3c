"""The JSON shapes the Mini App API answers with (times, events), shared by the member's
and the organizers' endpoints. No user text is HTML here: the page renders textContent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.webapp.api import Caller
from storage.models import Event

ONLINE_KINDS = frozenset({"videoconference", "webinar"})


def local_iso(moment: datetime | None, zone: str) -> str | None:
    """ISO 8601 with the offset of ``zone`` (the member's), to the second."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def utc_iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC ending in ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def is_past(event: Event, now: datetime) -> bool:
    return event.ends_at < now


def can_rsvp(event: Event, now: datetime, visible: bool) -> bool:
    """An RSVP is taken for a scheduled event that has not ended, from inside its audience."""
    return visible and event.status != "cancelled" and not is_past(event, now)


def event_json(
    event: Event,
    caller: Caller,
    *,
    rsvp: str | None,
    going: int,
    visible: bool,
) -> dict[str, Any]:
    """One event as the page shows it; ``visible``: inside its audience (or staff), which
    lets the member RSVP and, once registered, see the join link (the chat's rule)."""
    zone = caller.member.timezone
    shape: dict[str, Any] = {
        "id": event.id,
        "title": caller.pick(event.title),
        "starts_local": local_iso(event.starts_at, zone),
        "timezone": zone,
        "rsvp": rsvp,
        "ends_local": local_iso(event.ends_at, zone),
        "starts_utc": utc_iso(event.starts_at),
        "event_timezone": event.timezone,
        "all_day": event.all_day,
        "status": event.status,
        "online": event.location is None and event.kind in ONLINE_KINDS,
        "kind": event.kind,
        "place": event.location,
        "platform": event.platform,
        "description": caller.pick(event.description) or None,
        "going": going,
        "can_rsvp": can_rsvp(event, caller.now(), visible),
    }
    if visible and caller.member.onboarded and event.join_url:
        shape["join_url"] = event.join_url
    return shape
