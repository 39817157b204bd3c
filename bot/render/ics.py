"""iCalendar files for "Add to calendar" (icalendar library)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as IcsEvent

from storage.catalog import pick_text
from storage.models import Event

PRODID = "-//ILO Cinterfor//network bot//EN"


def event_to_ics(
    event: Event, language: str, now: datetime, *, include_link: bool, default_language: str = "es"
) -> bytes:
    """One VEVENT in UTC (or as a date range for all-day events), in the reader's language."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = IcsEvent()
    item.add("uid", f"{event.id}@cinterfor-bot")
    item.add("dtstamp", now)
    item.add("summary", pick_text(event.title, language, default_language))
    if event.all_day:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(event.timezone)
        first = event.starts_at.astimezone(zone).date()
        last = (event.ends_at - timedelta(seconds=1)).astimezone(zone).date()
        item.add("dtstart", first)
        item.add("dtend", last + timedelta(days=1))
    else:
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
    description = pick_text(event.description, language, default_language)
    if include_link and event.join_url:
        description = f"{description}\n\n{event.join_url}".strip()
        item.add("url", event.join_url)
    if description:
        item.add("description", description)
    if event.location:
        item.add("location", event.location)
    if event.status == "cancelled":
        item.add("status", "CANCELLED")
    calendar.add_component(item)
    return calendar.to_ical()
