"""Ids of records: one slug rule for institutions, courses, events, surveys and topics."""

from __future__ import annotations

import re
import secrets

from bot.core.text import fold

# \Z, not $: "$" also matches before a final newline, so "abc\n" would pass as an id.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")


def slugify(text: str) -> str:
    """An id from a title: accents folded ("Formação" -> "formacao"), other marks -> "-"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return (slug or "event")[:64].rstrip("-")


SHORT_ID_CHARS = 24
SUFFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/1, o/0 to misread


def short_id(title: str, suffix_chars: int = 4) -> str:
    """A short id for a record made in the chat (``digital-skills-x7k2``): the first words of
    the title that fit, and a random suffix; at most :data:`SHORT_ID_CHARS` characters. It
    says nothing about the date, so it stays true when the event moves."""
    room = SHORT_ID_CHARS - suffix_chars - 1
    head = ""
    for word in slugify(title).split("-"):
        longer = f"{head}-{word}" if head else word
        if len(longer) > room:
            break
        head = longer
    head = head or slugify(title)[:room].rstrip("-")
    suffix = "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(suffix_chars))
    return f"{head}-{suffix}"
