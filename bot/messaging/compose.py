"""Validation shared by /broadcast and ``python -m bot broadcast``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Message

from bot.core.i18n import LANGUAGES
from bot.messaging.telegram_html import html_error
from bot.messaging.textsplit import split_text

MAX_BROADCAST_CHARS = 4096 * 4


def split_html(text: str) -> list[str]:
    """Parts of at most 4,096 characters, cut at line breaks first (tags stay inside lines)."""
    return split_text(text)


def text_problem(text: str) -> str | None:
    """What is wrong with one announcement text (English; callers translate by kind)."""
    if not text.strip():
        return "empty"
    if len(text) > MAX_BROADCAST_CHARS:
        return "too long"
    error = html_error(text)
    if error:
        return f"html: {error}"
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
        return message.text_html if formatted else message.text
    if message.caption is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.caption_entities)
        return message.caption_html if formatted else message.caption
    return ""
