"""One record's facts, as the answer to what was asked: every fact a course or an event
holds can be asked and is written out in the reader's language; a fact the record lacks
gets an honest "not given" line."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.i18n import (
    Translator,
    format_day,
    format_duration,
    format_local_time,
    workload,
    zone_name,
)
from bot.core.text import fold
from bot.render.cards import LANGUAGE_LABELS, MODALITIES, OUTSIDE_AUDIENCE, PACES, event_when
from storage import catalog
from storage.models import Course, Event

FREE_WORDS = frozenset(
    {"free", "gratis", "gratuito", "gratuita", "0", "0.0", "0,00", "0.00"}
    | {"sin costo", "sem custo", "no cost", "sin cargo", "free of charge", "sin costo alguno"}
)
DEFAULT_REMINDERS = (24 * 60, 60)  # bot.core.records' default: what members get when unset


class ReaderLike(Protocol):
    @property
    def timezone(self) -> str: ...

    @property
    def registered(self) -> bool: ...

    @property
    def hidden_links(self) -> frozenset[str]: ...


# ------------------------------------------------------------------ courses
def course_dates(course: Course, tr: Translator, today: date) -> str:
    if course.starts is None:
        return tr("The dates of this course have not been announced yet.")
    start = format_day(course.starts, tr.language, "full")
    end = format_day(course.ends, tr.language, "full") if course.ends else None
    if course.starts > today:
        if end:
            return tr("It starts on {start} and ends on {end}.", start=start, end=end)
        return tr("It starts on {start}.", start=start)
    if course.ends and course.ends < today:
        return tr("It ran from {start} to {end}; it has finished.", start=start, end=end)
    if end:
        return tr("It started on {start} and ends on {end}.", start=start, end=end)
    return tr("It started on {start}.", start=start)


def deadline_line(course: Course, tr: Translator, today: date) -> str:
    if course.enroll_by is None:
        return tr("No enrolment deadline has been published for this course.")
    day = format_day(course.enroll_by, tr.language, "full")
    if course.enroll_by < today:
        return tr("Enrolment closed on {date}.", date=day)
    return tr("You can enrol until {date}.", date=day)


@lru_cache(maxsize=10_000)
def says_free(cost: str) -> bool:
    """Whether a published cost means no charge ("gratuito", "0", "Free.")."""
    return fold(cost.strip()).rstrip(".") in FREE_WORDS or cost.strip("0.,$ ") == ""


def is_free(course: Course) -> bool:
    """The course costs nothing, in whichever language its cost is written."""
    return any(says_free(text) for text in (course.cost or {}).values() if text)


def cost_line(course: Course, tr: Translator, default: str) -> str:
    if not course.cost:
        return tr("The cost of this course has not been published.")
    cost = catalog.pick_text(course.cost, tr.language, default).strip()
    if says_free(cost):
        cost = tr("Free")
    return tr("Cost: {cost}", cost=html.escape(cost))


def certificate_line(course: Course, tr: Translator) -> str:
    if course.certificate is None:
        return tr("It is not stated whether this course gives a certificate.")
    if course.certificate:
        return tr("Yes: those who complete it receive a certificate.")
    return tr("No, this course does not give a certificate.")


def duration_lines(course: Course, tr: Translator) -> list[str]:
    lines = []
    if course.hours:
        lines.append(workload(course.hours, tr))
    if course.starts and course.ends:
        weeks = max(1, round(((course.ends - course.starts).days + 1) / 7))
        lines.append(tr.ngettext("It lasts {n} week.", "It lasts {n} weeks.", weeks))
    return lines or [tr("The length of this course has not been published.")]


def languages_line(course: Course, tr: Translator) -> str:
    if not course.languages:
        return tr("The teaching language has not been published.")
    taught = ", ".join(tr(LANGUAGE_LABELS.get(x, x)) for x in course.languages)
    return tr("Taught in: {languages}", languages=taught)


def modality_line(course: Course, tr: Translator) -> str:
    modality = tr(MODALITIES.get(course.modality, course.modality))
    pace = tr(PACES.get(course.pace, course.pace))
    return tr("Modality: {modality}, {pace}", modality=modality, pace=pace)


def provider_line(course: Course, tr: Translator) -> str:
    if not course.provider:
        return tr("The organizers have not published this yet.")
    return tr("Offered by: {provider}", provider=html.escape(course.provider))


def enroll_lines(course: Course, tr: Translator, today: date) -> list[str]:
    if course.enroll_url:
        first = tr("Enrol here: {url}", url=html.escape(course.enroll_url))
    else:
        first = tr("The enrolment page has not been published yet.")
    return [first, deadline_line(course, tr, today)]


def course_fact_lines(
    course: Course, intent: str, tr: Translator, today: date, default: str
) -> list[str]:
    """The lines that answer ``intent`` about a course."""
    if intent in ("when", "next_event", "time", "list", "timezone"):
        return [course_dates(course, tr, today)]
    if intent in ("enroll", "link"):
        return enroll_lines(course, tr, today)
    single = {
        "deadline": lambda: deadline_line(course, tr, today),
        "cost": lambda: cost_line(course, tr, default),
        "certificate": lambda: certificate_line(course, tr),
        "languages": lambda: languages_line(course, tr),
        "modality": lambda: modality_line(course, tr),
        "pace": lambda: modality_line(course, tr),
        "provider": lambda: provider_line(course, tr),
        "platform": lambda: modality_line(course, tr),
    }
    if intent in single:
        return [single[intent]()]
    if intent == "duration":
        return duration_lines(course, tr)
    if intent == "where":
        return [modality_line(course, tr), provider_line(course, tr)]
    lines = []
    summary = catalog.pick_text(course.summary, tr.language, default)
    if summary:
        lines.append(html.escape(summary))
    return [*lines, modality_line(course, tr), course_dates(course, tr, today)]


def _merged(groups: Iterable[list[str]]) -> list[str]:
    """The lines of every fact asked, each once."""
    return list(dict.fromkeys(line for lines in groups for line in lines))


def course_answer(
    course: Course,
    intents: str | Sequence[str],
    tr: Translator,
    now: datetime,
    reader: ReaderLike,
    default: str,
) -> str:
    today = now.astimezone(ZoneInfo(reader.timezone)).date()
    title = html.escape(catalog.pick_text(course.title, tr.language, default))
    asked = (intents,) if isinstance(intents, str) else tuple(intents)
    facts = _merged(course_fact_lines(course, i, tr, today, default) for i in asked)
    lines = [f"<b>{title}</b>", *facts]
    lines.append(tr("Details: /course {id}", id=course.id))
    return "\n".join(lines)


# ------------------------------------------------------------------ events
def event_duration(event: Event, tr: Translator, zone: str | None = None) -> str:
    """How long it lasts; a timed event with its start and end time (in ``zone``, the
    reader's, else the event's own) so the end is stated too."""
    if event.all_day:
        own = ZoneInfo(event.timezone)
        first = event.starts_at.astimezone(own).date()
        last = (event.ends_at - timedelta(seconds=1)).astimezone(own).date()
        days = (last - first).days + 1
        return tr(
            "Duration: {duration}", duration=format_duration(timedelta(days=days), tr.language)
        )
    duration = format_duration(event.ends_at - event.starts_at, tr.language)
    shown = zone or event.timezone
    start, end = (
        format_local_time(t, shown, tr.language) for t in (event.starts_at, event.ends_at)
    )
    return tr("Duration: {duration}", duration=f"{duration} ({start}–{end})")


def where_lines(event: Event, tr: Translator) -> list[str]:
    lines = []
    if event.location:
        lines.append(tr("Place: {place}", place=html.escape(event.location)))
    if event.platform:
        lines.append(tr("Platform: {platform}", platform=html.escape(event.platform)))
    elif not event.location:
        lines.append(tr("Online."))
    return lines


def link_lines(event: Event, tr: Translator, reader: ReaderLike, finished: bool) -> list[str]:
    when = event_when(event, reader.timezone, tr)
    if finished:
        return [tr("This event has already taken place ({when}).", when=when)]
    if not event.join_url:
        return [tr("No link has been published for this event."), *where_lines(event, tr)]
    if event.id in reader.hidden_links:
        return [tr(OUTSIDE_AUDIENCE)]
    platform = [tr("Platform: {platform}", platform=html.escape(event.platform or ""))]
    if reader.registered:
        link = tr("Link: {url}", url=html.escape(event.join_url))
        return [link, *platform * bool(event.platform), "🗓 " + when]
    return [tr("The link is shown to registered members: send /start first.")]


def zone_line(event: Event, tr: Translator) -> str:
    """The event's own time zone: its city in the reader's language, the zone's name and
    its offset from UTC on the event's day ("Bogotá (America/Bogota, UTC−5)")."""
    offset = event.starts_at.astimezone(ZoneInfo(event.timezone)).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    city = zone_name(event.timezone, tr.language)
    return tr("Time zone: {zone}", zone=html.escape(f"{city} ({event.timezone}, {utc})"))


def reminder_line(event: Event, tr: Translator) -> str:
    offsets = DEFAULT_REMINDERS if event.reminders is None else tuple(event.reminders)
    shown = ", ".join(format_duration(timedelta(minutes=m), tr.language) for m in offsets if m)
    return tr("Reminders: {offsets} before, and at the start", offsets=shown or "—")


def event_fact_lines(
    event: Event, intent: str, tr: Translator, now: datetime, reader: ReaderLike, default: str
) -> list[str]:
    """The lines that answer ``intent`` about an event."""
    when = event_when(event, reader.timezone, tr)
    finished = event.ends_at < now
    if intent == "link":
        return link_lines(event, tr, reader, finished)
    if intent in ("where", "platform"):
        return [*where_lines(event, tr), "🗓 " + when]
    if intent == "duration":
        return [event_duration(event, tr, reader.timezone), "🗓 " + when]
    if intent == "reminders":
        return [reminder_line(event, tr), "🗓 " + when]
    if intent in ("what_is", "topic", "faq", "provider"):  # who presents: the description says
        description = catalog.pick_text(event.description, tr.language, default)
        return [html.escape(description)] * bool(description) + ["🗓 " + when]
    prefix = tr("It took place on:") if finished else tr("When:")
    lines = [f"{prefix} 🗓 {when}"]
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = (event.ends_at - timedelta(seconds=1)).astimezone(zone).date()
    if not event.all_day and last > first:  # a timed event over several days: its last day
        start, end = (format_day(d, tr.language, "full") for d in (first, last))
        lines.append("🗓 " + tr("{start} to {end}", start=start, end=end))
    if intent in ("timezone", "time"):
        lines.append(zone_line(event, tr))
    if not event.all_day:
        lines.append(event_duration(event, tr, reader.timezone))
    return lines + where_lines(event, tr)


def event_answer(
    event: Event,
    intents: str | Sequence[str],
    tr: Translator,
    now: datetime,
    reader: ReaderLike,
    default: str,
) -> str:
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    lines = [f"<b>{title}</b>"]
    if event.status == "cancelled":
        lines.append(tr("⚠️ This event was cancelled."))
    elif event.status == "postponed":
        lines.append(tr("⚠️ This event was postponed."))
    asked = (intents,) if isinstance(intents, str) else tuple(intents)
    lines += _merged(event_fact_lines(event, i, tr, now, reader, default) for i in asked)
    lines.append(tr("Details: /event {id}", id=event.id))
    return "\n".join(lines)
