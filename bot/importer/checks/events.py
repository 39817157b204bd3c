"""Checks for events: their fields, reminders, and start and end turned into UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.core.ids import SLUG
from bot.core.records import EventRecord
from bot.core.timeparse import local_to_utc, parse_duration
from bot.importer.checks.fields import (
    Collector,
    check_audience,
    check_slug,
    check_stamp,
    check_texts,
    check_url,
    check_zone,
)
from bot.importer.schema import EventIn


def check_event(col: Collector, path: str, raw: EventIn, default: str) -> EventRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    title = check_texts(col, f"{path}.title", raw.title, default, limit=300)
    description = check_texts(
        col, f"{path}.description", raw.description, default, limit=4000, required=False
    )
    zone = check_zone(col, f"{path}.timezone", raw.timezone)
    starts = check_stamp(col, f"{path}.starts", raw.starts)
    ends = check_stamp(col, f"{path}.ends", raw.ends) if raw.ends is not None else None
    if raw.ends is not None and raw.duration is not None:
        col.add(f"{path}.duration", "give ends or duration, not both")
        ok = False
    duration_ok, duration = _check_duration(col, path, raw)
    reminders_ok, reminders = _check_reminders(col, path, raw)
    ok = ok and duration_ok and reminders_ok
    audience = check_audience(col, f"{path}.audience", raw.audience)
    url = check_url(col, f"{path}.join_url", raw.join_url)
    if raw.feedback_survey is not None and not SLUG.match(raw.feedback_survey):
        col.add(f"{path}.feedback_survey", f"'{raw.feedback_survey}' is not a valid survey id")
        ok = False
    if not (ok and title and zone and starts is not None):
        return None
    times = _event_times(col, path, starts, ends, duration, zone)
    if times is None:
        return None
    starts_at, ends_at, all_day = times
    return EventRecord(
        raw.id,
        title,
        description,
        raw.kind,
        starts_at,
        ends_at,
        all_day,
        zone,
        raw.platform,
        url,
        raw.location,
        audience,
        reminders,
        raw.status,
        raw.feedback_survey,
    )


def _check_duration(col: Collector, path: str, raw: EventIn) -> tuple[bool, int | None]:
    """Whether the duration is right, and its minutes (a bare number is minutes)."""
    if raw.duration is None:
        return True, None
    try:
        return True, parse_duration(
            f"{raw.duration}m" if isinstance(raw.duration, int) else raw.duration
        )
    except ValueError as exc:
        col.add(f"{path}.duration", str(exc))
        return False, None


def _check_reminders(col: Collector, path: str, raw: EventIn) -> tuple[bool, list[int] | None]:
    """Whether the reminders are right, and their minutes before the start, latest first
    (None: the network's default)."""
    if raw.reminders is None:
        return True, None
    ok, reminders = True, []
    for index, offset in enumerate(raw.reminders):
        try:
            minutes = parse_duration(offset)
        except ValueError as exc:
            col.add(f"{path}.reminders[{index}]", str(exc))
            ok = False
            continue
        if minutes > 30 * 1440:
            col.add(f"{path}.reminders[{index}]", "at most 30 days before the start")
            ok = False
        reminders.append(minutes)
    if len(reminders) > 6:
        col.add(f"{path}.reminders", "at most 6 reminders")
        ok = False
    return ok, sorted(set(reminders), reverse=True)


def _event_times(
    col: Collector,
    path: str,
    starts: date | datetime,
    ends: date | datetime | None,
    duration: int | None,
    zone: str,
) -> tuple[datetime, datetime, bool] | None:
    all_day = not isinstance(starts, datetime)
    if all_day:
        if isinstance(ends, datetime):
            col.add(f"{path}.ends", "a date-only event ends on a date too")
            return None
        first_day = starts
        last_day = ends if isinstance(ends, date) else first_day
        if duration is not None:
            last_day = first_day + timedelta(days=max(1, -(-duration // 1440)) - 1)
        if last_day < first_day:
            col.add(f"{path}.ends", "is before starts")
            return None
        start_naive = datetime.combine(first_day, time())
        end_naive: datetime | None = datetime.combine(last_day + timedelta(days=1), time())
    else:
        assert isinstance(starts, datetime)
        start_naive = starts
        if isinstance(ends, datetime):
            end_naive = ends
        elif isinstance(ends, date):
            end_naive = datetime.combine(ends + timedelta(days=1), time())
        else:
            end_naive = None  # a duration is real time: added to the UTC start below
    try:
        starts_at = local_to_utc(start_naive, zone)
    except ValueError as exc:
        col.add(f"{path}.starts", str(exc))
        return None
    if end_naive is None:
        ends_at = starts_at + timedelta(minutes=duration if duration is not None else 60)
    else:
        try:
            ends_at = local_to_utc(end_naive, zone)
        except ValueError as exc:
            col.add(f"{path}.ends", str(exc))
            return None
    if ends_at <= starts_at:
        col.add(f"{path}.ends", "is before starts" if ends_at < starts_at else "equals starts")
        return None
    if ends_at - starts_at > timedelta(days=31):
        col.add(f"{path}.ends", "an event lasts at most 31 days")
        return None
    return starts_at, ends_at, all_day
