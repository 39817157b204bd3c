"""Ids of records: one slug rule for institutions, courses, events, surveys and topics."""

from __future__ import annotations

import re

from bot.core.text import fold

# \Z, not $: "$" also matches before a final newline, so "abc\n" would pass as an id.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")


def slugify(text: str) -> str:
    """An id from a title: accents folded ("Formação" -> "formacao"), other marks -> "-"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return (slug or "event")[:64].rstrip("-")
