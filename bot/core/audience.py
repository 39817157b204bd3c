"""Audience selectors (see shared/specs/network-data.md): ``all`` or ``kind:value`` items;
items of different kinds are ANDed, items of one kind ORed. Parsing only; the queries that
resolve them are in ``storage.audience``."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

KINDS = ("country", "institution", "language", "role", "event", "group")
_VALUE = {
    "country": re.compile(r"^[A-Z]{2}$"),
    "institution": re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$"),
    "language": re.compile(r"^(es|pt|en)$"),
    "role": re.compile(r"^(member|organizer|admin)$"),
    "event": re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$"),
    "group": re.compile(r"^(all|-[0-9]{1,20})$"),  # registered groups (not members)
}


class AudienceError(ValueError):
    """A selector that is not ``all`` or ``kind:value`` with a known kind and a valid value."""

    def __init__(self, selector: str) -> None:
        super().__init__(selector)
        self.selector = selector


def parse_selectors(text: str | Sequence[str]) -> list[str]:
    """Normalise typed selectors (``all``, ``country:uy, language:es``); raise on bad ones."""
    items = text.split(",") if isinstance(text, str) else list(text)
    selectors: list[str] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if item.lower() == "all":
            selectors.append("all")
            continue
        kind, sep, value = item.partition(":")
        kind = kind.strip().lower()
        value = value.strip()
        if kind == "country":
            value = value.upper()
        elif kind in ("language", "role", "institution", "event", "group"):
            value = value.lower()
        if not sep or kind not in KINDS or not _VALUE[kind].match(value):
            raise AudienceError(item)
        selectors.append(f"{kind}:{value}")
    if not selectors:
        raise AudienceError(text if isinstance(text, str) else ",".join(text))
    unique = list(dict.fromkeys(selectors))
    if "all" in unique and len(unique) > 1:  # "all" ANDed with others adds nothing
        unique.remove("all")
    return unique


def _grouped(selectors: Sequence[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for selector in selectors:
        if selector == "all":
            continue
        kind, _, value = selector.partition(":")
        groups[kind].append(value)
    return groups
