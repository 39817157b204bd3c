"""The checks every record shares: the error collector and one check per kind of field."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from bot.core.audience import AudienceError, parse_selectors
from bot.core.geo import canonical_zone
from bot.core.i18n import LANGUAGES
from bot.core.ids import SLUG
from bot.core.records import Texts
from bot.core.timeparse import known_zone, parse_date_only, parse_stamp
from bot.importer.schema import MAX_ERRORS


class Collector:
    """The problems found so far, each as ``path: message``; at most ``MAX_ERRORS``."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{path}: {message}")
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append("…: too many errors; the first ones are listed")

    def pydantic(self, prefix: str, exc: ValidationError) -> None:
        for error in exc.errors(include_url=False):
            path = prefix + "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
            )
            self.add(path, _pydantic_message(error))


def _pydantic_message(error: Any) -> str:
    kind = error["type"]
    messages = {
        "extra_forbidden": "unknown key",
        "missing": "is required",
        "string_type": "must be text",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "list_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "too_short": "must not be empty" if error.get("ctx", {}).get("min_length") == 1 else None,
    }
    message = messages.get(kind)
    if message:
        return message
    text = str(error.get("msg", "invalid value"))
    text = text.removeprefix("Value error, ").replace("Input should be", "must be")
    return text.replace("String should have", "must have")


def check_texts(
    col: Collector, path: str, value: Any, default: str, *, limit: int, required: bool = True
) -> Texts | None:
    """A text field: a string (the default language) or a map language → string."""
    if value is None:
        if required:
            col.add(path, "is required")
        return None
    if isinstance(value, str):
        value = {default: value}
    if not isinstance(value, dict):
        col.add(path, "must be text or a map of es/pt/en to text")
        return None
    clean: Texts = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            col.add(f"{path}.{language}", "unknown language (use es, pt or en)")
            continue
        if not isinstance(text, str) or not text.strip():
            col.add(f"{path}.{language}", "must be non-empty text")
            continue
        if len(text) > limit:
            col.add(f"{path}.{language}", f"too long ({len(text)} characters; at most {limit})")
            continue
        clean[language] = text.strip()
    if not clean and not any(e.startswith(path) for e in col.errors):
        col.add(path, "must not be empty")
    return clean or None


def check_slug(col: Collector, path: str, value: str) -> bool:
    if not SLUG.match(value or ""):
        col.add(
            path,
            f"'{value}' is not a valid id (lowercase letters, digits and -, "
            "starting with a letter or digit, at most 64)",
        )
        return False
    return True


def check_url(col: Collector, path: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value) or len(value) > 500:
        col.add(path, f"'{value[:80]}' is not an http(s) link")
        return None
    return value


def check_zone(col: Collector, path: str, value: str) -> str | None:
    if not known_zone(value):
        col.add(path, f"unknown time zone '{value}'")
        return None
    return canonical_zone(value)


def check_languages(col: Collector, path: str, values: list[str]) -> list[str]:
    clean = []
    for index, value in enumerate(values):
        if value not in LANGUAGES:
            col.add(f"{path}[{index}]", f"unknown language '{value}' (use es, pt or en)")
        elif value not in clean:
            clean.append(value)
    return clean


def check_audience(col: Collector, path: str, value: str | list[str]) -> list[str]:
    try:
        selectors = parse_selectors([value] if isinstance(value, str) else value)
    except AudienceError as exc:
        col.add(path, f"unknown audience selector '{exc.selector}'")
        return ["all"]
    if any(s.startswith("group:") for s in selectors):
        col.add(path, "group selectors are for broadcasts, not for file audiences")
    return selectors


def check_stamp(col: Collector, path: str, value: object) -> date | datetime | None:
    try:
        return parse_stamp(value)
    except ValueError as exc:
        col.add(path, str(exc))
        return None


def check_date(col: Collector, path: str, value: object) -> date | None:
    if value is None:
        return None
    try:
        return parse_date_only(value)
    except ValueError as exc:
        col.add(path, str(exc))
        return None
