"""The answer to a question, written for the asker: the specific fact asked, in their
language and time zone, from the record the answerer chose."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import Translator, format_day, format_duration, format_number
from bot.qa.engine import Hit, Result
from bot.render.cards import LANGUAGE_LABELS, MODALITIES, OUTSIDE_AUDIENCE, event_when
from storage import catalog
from storage.models import Course, Event, Faq


@dataclass(frozen=True)
class Reader:
    """Who reads the answer (a member, or the ``ask`` command's options)."""

    language: str
    timezone: str
    registered: bool  # registered members see join links
    # events whose link this reader may not see (outside their audience)
    hidden_links: frozenset[str] = frozenset()


@dataclass
class Reply:
    text: str
    alternatives: list[Hit]  # up to two other candidates, offered as buttons
    answered: bool


def title_of(hit: Hit, language: str, default: str) -> str:
    record = hit.doc.record
    texts = record.question if hit.kind == "faq" else record.title
    return catalog.pick_text(texts, language, default)


def compose(result: Result, reader: Reader, now: datetime, default: str = "es") -> Reply:
    tr = Translator(reader.language)
    best = result.best
    if result.empty:
        return Reply(
            tr(
                "Ask me about the network's courses and events in words, for example: "
                "“When does the Big Data course start?”"
            ),
            [],
            False,
        )
    if best is None or not result.confident:
        return Reply(
            tr(
                "I couldn't find an answer to that. I've passed your question on to the "
                "organizers. Meanwhile you can browse /courses and /events."
            ),
            [],
            False,
        )
    text = answer_text(best, result.intent, reader, tr, now, default)
    alternatives = [h for h in result.hits[1:3] if h.score >= best.score * 0.6]
    return Reply(text, alternatives, True)


def answer_text(
    hit: Hit, intent: str, reader: Reader, tr: Translator, now: datetime, default: str
) -> str:
    record = hit.doc.record
    if isinstance(record, Faq) or hit.kind == "faq":
        question = html.escape(catalog.pick_text(record.question, tr.language, default))
        answer = html.escape(catalog.pick_text(record.answer, tr.language, default))
        return f"<b>{question}</b>\n{answer}"
    if hit.kind == "course":
        return course_answer(record, intent, tr, now, reader, default)
    return event_answer(record, intent, tr, now, reader, default)


# ------------------------------------------------------------------ courses
def _course_dates(course: Course, tr: Translator, today: date) -> str:
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


def _deadline(course: Course, tr: Translator, today: date) -> str:
    if course.enroll_by is None:
        return tr("No enrolment deadline has been published for this course.")
    day = format_day(course.enroll_by, tr.language, "full")
    if course.enroll_by < today:
        return tr("Enrolment closed on {date}.", date=day)
    return tr("You can enrol until {date}.", date=day)


def course_answer(
    course: Course, intent: str, tr: Translator, now: datetime, reader: Reader, default: str
) -> str:
    today = now.astimezone(ZoneInfo(reader.timezone)).date()
    title = html.escape(catalog.pick_text(course.title, tr.language, default))
    lines = [f"<b>{title}</b>"]
    if intent in ("when", "next_event", "time"):
        lines.append(_course_dates(course, tr, today))
    elif intent in ("enroll", "link"):
        if course.enroll_url:
            lines.append(tr("Enrol here: {url}", url=html.escape(course.enroll_url)))
        else:
            lines.append(tr("The enrolment page has not been published yet."))
        lines.append(_deadline(course, tr, today))
    elif intent == "deadline":
        lines.append(_deadline(course, tr, today))
    elif intent == "cost":
        if course.cost:
            cost = catalog.pick_text(course.cost, tr.language, default)
            lines.append(tr("Cost: {cost}", cost=html.escape(cost)))
        else:
            lines.append(tr("The cost of this course has not been published."))
    elif intent == "certificate":
        if course.certificate is None:
            lines.append(tr("It is not stated whether this course gives a certificate."))
        elif course.certificate:
            lines.append(tr("Yes: those who complete it receive a certificate."))
        else:
            lines.append(tr("No, this course does not give a certificate."))
    elif intent == "duration":
        if course.hours:
            lines.append(
                tr("Workload: {hours} hours", hours=format_number(course.hours, tr.language))
            )
        if course.starts and course.ends:
            weeks = max(1, round(((course.ends - course.starts).days + 1) / 7))
            lines.append(tr.ngettext("It lasts {n} week.", "It lasts {n} weeks.", weeks))
        if len(lines) == 1:
            lines.append(tr("The length of this course has not been published."))
    elif intent == "languages":
        if course.languages:
            taught = ", ".join(tr(LANGUAGE_LABELS.get(x, x)) for x in course.languages)
            lines.append(tr("Taught in: {languages}", languages=taught))
        else:
            lines.append(tr("The teaching language has not been published."))
    else:  # what_is, topic, where, faq
        summary = catalog.pick_text(course.summary, tr.language, default)
        if summary:
            lines.append(html.escape(summary))
        modality = tr(MODALITIES.get(course.modality, course.modality))
        lines.append(tr("Modality: {modality}", modality=modality))
        lines.append(_course_dates(course, tr, today))
    lines.append(tr("Details: /course {id}", id=course.id))
    return "\n".join(lines)


# ------------------------------------------------------------------ events
def event_answer(
    event: Event, intent: str, tr: Translator, now: datetime, reader: Reader, default: str
) -> str:
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    lines = [f"<b>{title}</b>"]
    when = event_when(event, reader.timezone, tr)
    finished = event.ends_at < now
    if event.status == "cancelled":
        lines.append(tr("⚠️ This event was cancelled."))
    elif event.status == "postponed":
        lines.append(tr("⚠️ This event was postponed."))
    if intent == "link":
        if finished:
            lines.append(tr("This event has already taken place ({when}).", when=when))
        elif not event.join_url:
            lines.append(tr("No link has been published for this event."))
            if event.location:
                lines.append(tr("Place: {place}", place=html.escape(event.location)))
        elif event.id in reader.hidden_links:
            lines.append(tr(OUTSIDE_AUDIENCE))
        elif reader.registered:
            lines.append(tr("Link: {url}", url=html.escape(event.join_url)))
            lines.append("🗓 " + when)
        else:
            lines.append(tr("The link is shown to registered members: send /start first."))
    elif intent == "where":
        if event.location:
            lines.append(tr("Place: {place}", place=html.escape(event.location)))
        elif event.platform:
            lines.append(tr("Online, on {platform}.", platform=html.escape(event.platform)))
        else:
            lines.append(tr("Online."))
        lines.append("🗓 " + when)
    elif intent == "duration" and not event.all_day:
        duration = format_duration(event.ends_at - event.starts_at, tr.language)
        lines.append(tr("Duration: {duration}", duration=duration))
        lines.append("🗓 " + when)
    elif intent in ("what_is", "topic", "faq"):
        description = catalog.pick_text(event.description, tr.language, default)
        if description:
            lines.append(html.escape(description))
        lines.append("🗓 " + when)
    else:  # when, time, next_event, and course-like intents asked of an event
        prefix = tr("It took place on:") if finished else tr("When:")
        lines.append(f"{prefix} 🗓 {when}")
        if not event.all_day:
            duration = format_duration(event.ends_at - event.starts_at, tr.language)
            lines.append(tr("Duration: {duration}", duration=duration))
        if event.platform and not event.location:
            lines.append(tr("Platform: {platform}", platform=html.escape(event.platform)))
        if event.location:
            lines.append(tr("Place: {place}", place=html.escape(event.location)))
    lines.append(tr("Details: /event {id}", id=event.id))
    return "\n".join(lines)
