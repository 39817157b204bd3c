"""The event draft of /newevent and /editevent, and the checks of its local times.

The draft lives in the database (``storage.drafts``, kind ``event``), so a restart or a
second process loses nothing. Every local time is checked in its zone: a time that does
not exist or happens twice (daylight-saving changes), a start in the past, an unknown zone
or an absurd reminder offset is refused with a clear message and nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.core.enums import Role
from bot.core.i18n import Translator, zone_name
from bot.core.timeparse import local_to_utc, parse_duration
from handlers.flows import Draft, Flow

DRAFT = "event"
MAX_OFFSETS = 6
PLATFORMS = ("Zoom", "Webex", "Teams", "Meet")
DURATIONS = (30, 60, 90, 120)  # minutes, on the buttons of a timed event
DAY_CHOICES = (1, 2, 3)  # days, on the buttons of an all-day event


@dataclass
class EventDraft(Draft):
    """An event being created, or (``editing`` = its id) one field of one being changed.

    ``date`` and ``time`` are the local ISO date and ``HH:MM`` in ``zone``; ``time`` None is
    an all-day event lasting ``days``. ``audience`` ``["rsvp"]`` means "only those who
    confirm"; ``reminders`` None means the bot's default offsets.
    """

    step: str = "title"
    titles: dict[str, str] = field(default_factory=dict)
    pending: str | None = None  # a title waiting for its language
    date: str | None = None
    time: str | None = None
    zone: str = "UTC"
    duration: int = 90
    days: int = 1
    platform: str | None = None
    link: str | None = None
    location: str | None = None
    audience: list[str] = field(default_factory=lambda: ["all"])
    reminders: list[int] | None = None
    editing: str | None = None
    edit: str | None = None  # the field an edit changes


EVENT_FLOW: Flow[EventDraft] = Flow(DRAFT, EventDraft, role=Role.organizer)


def parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_offsets(text: str) -> list[int] | None:
    """Reminder offsets in minutes, longest first; None when any is unreadable or absurd."""
    parts = [p.strip() for p in re.split(r"[,;\s]+", text) if p.strip()]
    if not parts or len(parts) > MAX_OFFSETS:
        return None
    try:
        minutes = [parse_duration(p) for p in parts]
    except ValueError:
        return None
    if any(m > 30 * 1440 for m in minutes):
        return None
    return sorted(set(minutes), reverse=True)


def times(draft: EventDraft) -> tuple[datetime, datetime, bool]:
    """The draft's start and end in UTC; ValueError when the local time is impossible."""
    assert draft.date is not None
    day = date.fromisoformat(draft.date)
    if draft.time is None:
        start = local_to_utc(datetime.combine(day, time()), draft.zone)
        end = local_to_utc(datetime.combine(day + timedelta(days=draft.days), time()), draft.zone)
        return start, end, True
    start = local_to_utc(datetime.combine(day, time.fromisoformat(draft.time)), draft.zone)
    return start, start + timedelta(minutes=draft.duration), False


def check_time(draft: EventDraft, now: datetime, tr: Translator) -> str | None:
    """After date, time and zone: the local time must exist, be unambiguous, and be ahead.

    Moves the draft on to the duration, or back to the step to answer again.
    """
    try:
        start, _end, _all_day = times(draft)
    except ValueError as exc:
        draft.step = "time"
        if "does not exist" in str(exc):
            return tr(
                "{time} does not exist on that day in {zone}: the clocks skip that hour. "
                "Choose another time.",
                time=draft.time,
                zone=zone_name(draft.zone, tr.language),
            )
        return tr(
            "{time} happens twice on that day in {zone}: the clocks go back. Choose another time.",
            time=draft.time,
            zone=zone_name(draft.zone, tr.language),
        )
    if start <= now:
        draft.step = "date"
        return tr("That moment has already passed. Choose a later date.")
    draft.step = "duration"
    return None


def event_audience(draft: EventDraft, event_id: str) -> list[str]:
    """The audience to store: "only those who confirm" is the event's own attendees."""
    return [f"event:{event_id}"] if draft.audience == ["rsvp"] else list(draft.audience)
