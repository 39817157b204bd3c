"""The answer to a question, written for the asker: the specific fact asked, in their
language and time zone, from the record the answerer chose."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.i18n import Translator, format_day, format_local_datetime
from bot.qa.dates import DateSpan
from bot.qa.engine import Hit, Result
from bot.qa.facts import course_answer, event_answer
from storage import catalog
from storage.models import Faq


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
    if result.talk is not None:
        return Reply(small_talk_text(result.talk, tr), [], False)
    if result.off_topic:
        return Reply(
            tr(
                "That is outside what I can answer: I know about the network's courses, "
                "events and frequently asked questions."
            ),
            [],
            False,
        )
    if result.listing is not None:
        return Reply(listing_text(result, reader, tr, default), [], True)
    if best is None or not result.confident:
        return Reply(
            tr(
                "I couldn't find an answer to that. You can browse /courses and /events, "
                "or ask the organizers."
            ),
            [],
            False,
        )
    text = answer_text(best, result.intent, reader, tr, now, default, result.also)
    alternatives = result.hits[1:3] if result.close else []
    return Reply(text, alternatives, True)


def small_talk_text(kind: str, tr: Translator) -> str:
    """A short, friendly reply to small talk, saying what the bot can do."""
    if kind == "thanks":
        return tr("You're welcome! Ask me anything else about the network's courses and events.")
    if kind == "bye":
        return tr("See you soon! Write to me whenever you need something about the network.")
    return tr(
        "Hello! Ask me about the network's courses and events: dates, times, links, "
        "cost, certificates… For example: “When does the Big Data course start?”"
    )


def is_small_talk(result: Result) -> bool:
    """Small talk, symbols and out-of-scope questions are not kept as unanswered."""
    return result.empty or result.talk is not None or result.off_topic


def span_label(span: DateSpan, tr: Translator) -> str:
    if span.first == span.last:
        return format_day(span.first, tr.language, "full")
    return tr(
        "{start} to {end}",
        start=format_day(span.first, tr.language, "full"),
        end=format_day(span.last, tr.language, "full"),
    )


def listing_heading(result: Result, tr: Translator) -> str:
    """The first line of a listing, or the line saying there is nothing."""
    hits, span = result.listing or [], result.span
    if result.list_mode == "next":
        return tr("<b>Coming up</b>") if hits else tr("Nothing is scheduled yet.")
    if result.list_mode == "open":
        if not hits:
            return tr("No course is open for enrolment right now.")
        return tr("<b>Courses open for enrolment</b>")
    if result.list_mode == "filter" and not hits:
        return tr("No course or event matches that.")
    if result.list_mode == "filter" and span is None:
        return tr("<b>What I found</b>")
    if span is not None and span.weekday is not None and hits:
        # "on Thursday": the first Thursday that has something (the answerer kept only it).
        first_day = hits[0].doc.days["start"][0]
        span = DateSpan(first_day, first_day)
    label = span_label(span, tr) if span is not None else ""
    if not hits:
        return tr("Nothing is scheduled for {when}.", when=label)
    return tr("<b>What is on: {when}</b>", when=label)


def listing_text(result: Result, reader: Reader, tr: Translator, default: str) -> str:
    """ "What is on tomorrow / in October": the records of that time, one line each."""
    hits = result.listing or []
    lines = [listing_heading(result, tr)]
    if not hits:
        return lines[0] + "\n/events · /courses"
    for hit in hits:
        title = html.escape(title_of(hit, tr.language, default))
        record = hit.doc.record
        if hit.kind == "event":
            when = format_local_datetime(record.starts_at, reader.timezone, tr.language, "short")
            if record.all_day:
                when = format_day(hit.doc.days["start"][0], tr.language, "medium")
            lines.append(f"• {when} — {title} (/event {record.id})")
        elif result.list_mode == "open" and record.enroll_by:
            until = tr(
                "You can enrol until {date}.", date=format_day(record.enroll_by, tr.language)
            )
            lines.append(f"• {title} — {until} (/course {record.id})")
        else:
            day = format_day(record.starts, tr.language, "medium") if record.starts else ""
            lines.append(f"• {day} — {title} (/course {record.id})")
    return "\n".join(lines)


def answer_text(
    hit: Hit,
    intent: str,
    reader: Reader,
    tr: Translator,
    now: datetime,
    default: str,
    also: Sequence[str] = (),
) -> str:
    """The answer about one record: the facts of ``intent`` and of the ``also`` asked."""
    record = hit.doc.record
    if isinstance(record, Faq) or hit.kind == "faq":
        question = html.escape(catalog.pick_text(record.question, tr.language, default))
        answer = html.escape(catalog.pick_text(record.answer, tr.language, default))
        text = f"<b>{question}</b>\n{answer}"
        if record.answer and not record.answer.get(tr.language):  # never passed off as theirs
            text += "\n\n<i>" + tr("(This answer is not available in your language yet.)") + "</i>"
        return text
    if hit.kind == "course":
        return course_answer(record, (intent, *also), tr, now, reader, default)
    return event_answer(record, (intent, *also), tr, now, reader, default)
