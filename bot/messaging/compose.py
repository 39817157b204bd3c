"""Validation shared by /broadcast and ``python -m bot broadcast``."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from html.entities import html5
from typing import Literal
from zoneinfo import ZoneInfo

from telegram import Message

from bot.core.i18n import LANGUAGES
from bot.messaging.entities_html import entities_to_html
from bot.messaging.html_faults import HtmlFault
from bot.messaging.telegram_html import (
    NAMED_REFERENCES,
    TEXT_LIMIT,
    HTMLEntityError,
    html_error,
    html_fault,
    parse_html,
    utf16_len,
    visible_length,
)
from bot.messaging.textsplit import split_markup

MAX_BROADCAST_CHARS = 4096 * 4
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
# A "<" no tag can start with ("<10 places", "a < b", "<= 100", "<3"): the organizer meant
# the character, so it is written as &lt; rather than refused as markup.
_LITERAL_LT = re.compile(r"<(?![A-Za-z/])")


def split_html(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most ``limit`` visible characters, each valid Telegram HTML on its own.

    Cut at a paragraph, line or space, never inside a tag or a reference; tags open at a cut
    are closed and reopened (see :mod:`bot.messaging.textsplit`). Every part is checked
    again, so a broadcast is queued whole or not at all: raises
    :class:`~bot.messaging.telegram_html.HTMLEntityError` for markup Telegram would refuse.
    """
    return list(_checked_parts(text, limit))


@lru_cache(maxsize=32)
def _checked_parts(text: str, limit: int) -> tuple[str, ...]:
    """Cached: a broadcast splits the same text once per recipient."""
    parts = split_markup(text, limit)
    for number, part in enumerate(parts, 1):
        error = html_error(part)
        if error is None and visible_length(part) > limit:
            error = f"{visible_length(part)} characters, more than {limit}"
        if error is not None:
            message = f"part {number} of {len(parts)} would be refused: {error}"
            fault = html_fault(part) or HtmlFault("part-too-long")
            raise HTMLEntityError(message, fault)
    return tuple(parts)


def _named_reference(markup: str) -> tuple[re.Match[str], str] | None:
    """The first named HTML reference Telegram would show as typed, and its character."""
    for match in _NAMED.finditer(markup):
        name = match.group(1)
        char = html5.get(f"{name};")
        if name not in NAMED_REFERENCES and char is not None:
            return match, char
    return None


def literal_reference(markup: str) -> str | None:
    """A named HTML reference Telegram would show as typed (it knows only four), explained."""
    found = _named_reference(markup)
    if found is None:
        return None
    match, char = found
    instead = f" or &#{ord(char)};" if len(char) == 1 else ""
    return (
        f"{match.group(0)} would be shown as typed: Telegram knows only "
        f"&lt; &gt; &amp; &quot; (type the character itself{instead})"
    )


@dataclass(frozen=True)
class TextProblem:
    """Why a text is refused, for people (:mod:`bot.render.refusals` words it).

    ``kind``: ``empty``, ``too long``, ``html`` (``fault`` says what and where, ``line`` and
    ``column`` count from 1 in the text as typed) or ``reference`` (``reference`` is the
    ``&name;`` Telegram would show as typed, ``char`` what it stands for). ``english`` is
    the same in English, for logs and the command line.
    """

    kind: Literal["empty", "too long", "html", "reference"]
    english: str
    fault: HtmlFault | None = None
    line: int | None = None
    column: int | None = None
    reference: str | None = None
    char: str | None = None


def _html_problem(text: str, exc: HTMLEntityError, whole: bool) -> TextProblem:
    at = exc.fault.at if whole else None  # in a part, the index is not the text's
    line = column = None
    if at is not None:
        before = text[:at]
        line, column = before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1
    fault = replace(exc.fault, at=at)
    return TextProblem("html", f"html: {exc}", fault, line, column)


def check_text(text: str) -> TextProblem | None:
    """What is wrong with one announcement (or answer) text; None when it can be sent.

    Lengths are what a reader sees (``<b>`` and ``&amp;`` cost nothing), as Telegram counts.
    """
    if not text.strip():
        return TextProblem("empty", "empty")
    try:
        visible = parse_html(text).text
    except HTMLEntityError as exc:
        return _html_problem(text, exc, whole=True)
    named = _named_reference(text)
    if named is not None:
        match, char = named
        english = f"html: {literal_reference(text)}"
        return TextProblem("reference", english, reference=match.group(0), char=char)
    if not visible.strip():
        return TextProblem("empty", "empty")
    if utf16_len(visible) > MAX_BROADCAST_CHARS:
        return TextProblem("too long", "too long")
    try:
        split_html(text)
    except HTMLEntityError as exc:
        return _html_problem(text, exc, whole=False)
    return None


def text_problem(text: str) -> str | None:
    """:func:`check_text` in English (``empty``, ``too long``, ``html: ...``): the CLI's."""
    problem = check_text(text)
    return None if problem is None else problem.english


def parse_local_time(text: str, zone: str) -> datetime | None:
    """``2026-12-01 09:00`` (or ``01/12/2026 09:00``) in ``zone`` as aware UTC.

    None when it is not a date and time, or when that wall-clock time does not exist or is
    ambiguous there (daylight-saving changes).
    """
    text = " ".join(text.strip().replace("T", " ").split())
    naive = None
    for fmt in ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M"):
        try:
            naive = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if naive is None:
        return None
    tz = ZoneInfo(zone)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        return None  # ambiguous (repeated hour) or non-existent (skipped hour)
    round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        return None
    return first.astimezone(ZoneInfo("UTC"))


def parse_text_args(values: list[str]) -> dict[str, str]:
    """``["es=Hola", "pt=Olá"]`` → ``{"es": "Hola", "pt": "Olá"}``; raises ValueError."""
    texts: dict[str, str] = {}
    for value in values:
        language, sep, text = value.partition("=")
        language = language.strip().lower()
        if not sep or language not in LANGUAGES:
            raise ValueError(
                f"--text must be LANG=TEXT with LANG one of es, pt, en: {value[:30]!r}"
            )
        texts[language] = text
    return texts


FORMATTING_ENTITIES = frozenset(
    "bold italic underline strikethrough spoiler code pre text_link blockquote "
    "expandable_blockquote custom_emoji".split()
)


def composed_html(message: Message) -> str:
    """The announcement as Telegram HTML: formatting made with Telegram's own buttons is
    turned into HTML; otherwise the text *is* HTML markup the organizer typed (and is checked
    as such, so ``<b>unclosed`` is refused rather than sent as it stands), except that a
    ``<`` no tag starts with is the character itself."""
    if message.text is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.entities)
        if formatted:
            return entities_to_html(message.text, message.entities)
        return literal_lt(message.text)
    if message.caption is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.caption_entities)
        if formatted:
            return entities_to_html(message.caption, message.caption_entities)
        return literal_lt(message.caption)
    return ""


def literal_lt(markup: str) -> str:
    """Typed markup with each ``<`` that can start no tag written as ``&lt;``."""
    return _LITERAL_LT.sub("&lt;", markup)


def readable_text(markup: str) -> str:
    """What a reader of ``markup`` sees, as plain text: a link's address follows its words
    (``see <a href="https://x.org">here</a>`` → ``see here (https://x.org)``), so a text kept
    without its markup (a ticket's answer, an FAQ entry made from it) keeps its links.
    Markup Telegram would refuse comes back as it is."""
    try:
        parsed = parse_html(markup)
    except HTMLEntityError:
        return markup
    units = parsed.text.encode("utf-16-le", "surrogatepass")
    links = [e for e in parsed.entities if e["type"] == "text_link"]
    for link in sorted(links, key=lambda e: e["offset"], reverse=True):
        end = 2 * (link["offset"] + link["length"])
        words = units[2 * link["offset"] : end].decode("utf-16-le", "surrogatepass")
        if words.strip() != link["url"]:
            units = units[:end] + f" ({link['url']})".encode("utf-16-le") + units[end:]
    return units.decode("utf-16-le", "surrogatepass")
