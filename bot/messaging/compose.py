"""Validation shared by /broadcast and ``python -m bot broadcast``."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from html.entities import html5
from zoneinfo import ZoneInfo

from telegram import Message

from bot.core.i18n import LANGUAGES
from bot.messaging.entities_html import entities_to_html
from bot.messaging.telegram_html import (
    NAMED_REFERENCES,
    TEXT_LIMIT,
    HTMLEntityError,
    html_error,
    parse_html,
    utf16_len,
    visible_length,
)
from bot.messaging.textsplit import split_markup

MAX_BROADCAST_CHARS = 4096 * 4
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


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
            raise HTMLEntityError(f"part {number} of {len(parts)} would be refused: {error}")
    return tuple(parts)


def literal_reference(markup: str) -> str | None:
    """A named HTML reference Telegram would show as typed (it knows only four), explained."""
    for match in _NAMED.finditer(markup):
        name = match.group(1)
        char = html5.get(f"{name};")
        if name in NAMED_REFERENCES or char is None:
            continue
        instead = f" or &#{ord(char)};" if len(char) == 1 else ""
        return (
            f"{match.group(0)} would be shown as typed: Telegram knows only "
            f"&lt; &gt; &amp; &quot; (type the character itself{instead})"
        )
    return None


def text_problem(text: str) -> str | None:
    """What is wrong with one announcement text (English; callers translate by kind).

    Lengths are what a reader sees (``<b>`` and ``&amp;`` cost nothing), as Telegram counts.
    """
    if not text.strip():
        return "empty"
    error = html_error(text) or literal_reference(text)
    if error:
        return f"html: {error}"
    visible = parse_html(text).text
    if not visible.strip():
        return "empty"
    if utf16_len(visible) > MAX_BROADCAST_CHARS:
        return "too long"
    try:
        split_html(text)
    except HTMLEntityError as exc:
        return f"html: {exc}"
    return None


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
    as such, so ``<b>unclosed`` is refused rather than sent as it stands)."""
    if message.text is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.entities)
        return entities_to_html(message.text, message.entities) if formatted else message.text
    if message.caption is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.caption_entities)
        if formatted:
            return entities_to_html(message.caption, message.caption_entities)
        return message.caption
    return ""
