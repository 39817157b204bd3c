"""Reading the network data file: YAML, JSON, CSV and iCalendar into plain data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.core.i18n import LANGUAGES
from bot.core.ids import slugify
from bot.core.records import SECTIONS
from bot.core.timeparse import known_zone
from bot.importer.schema import (
    MAX_CELL_CHARS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    NetworkFileError,
)


# ------------------------------------------------------------------ reading files
class _StrictLoader(yaml.SafeLoader):
    """YAML without surprises: dates stay text (times are local to a zone we read later),
    only true/false are booleans (``no`` stays the text "no"), duplicate keys and aliases
    are errors."""


_StrictLoader.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _no_alias(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, "aliases are not supported", node.start_mark
    )


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class _TooDeep(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__(f"nested too deeply (line {line})")
        self.line = line


class _NoAliasComposer(_StrictLoader):
    """Refuses aliases, and nesting deeper than :data:`MAX_DEPTH` before the recursive
    composer (two Python frames a level) could hit the interpreter's recursion limit."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported", event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(self.peek_event().start_mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str) -> Any:
    """YAML through the strict safe loader above."""
    return yaml.load(text, Loader=_NoAliasComposer)  # a SafeLoader subclass


def _decode_text(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NetworkFileError([f"{name}: not a UTF-8 text file"]) from None


def read_document(name: str, content: bytes) -> dict[str, Any]:
    """One file as a mapping of sections (CSV and .ics become one section)."""
    if len(content) > MAX_FILE_BYTES:
        raise NetworkFileError(
            [
                f"{name}: file too large ({len(content) / 1e6:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB)"
            ]
        )
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        return read_csv(name, _decode_text(name, content))
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        return {"events": read_ics(name, content)}
    text = _decode_text(name, content)
    if not text.strip():
        raise NetworkFileError([f"{name}: the file is empty"])
    too_deep = f"{name}: nested too deeply (at most {MAX_DEPTH} levels)"
    try:
        data = json.loads(text) if suffix == ".json" else load_yaml(text)
    except RecursionError:  # JSON: the C decoder recurses once a level
        raise NetworkFileError([too_deep]) from None
    except _TooDeep as exc:
        raise NetworkFileError([f"{too_deep[:-1]}; line {exc.line})"]) from None
    except json.JSONDecodeError as exc:
        raise NetworkFileError([f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise NetworkFileError([f"{name}: not valid YAML{where}: {problem}"]) from None
    if _depth(data) > MAX_DEPTH:
        raise NetworkFileError([too_deep])
    if not isinstance(data, dict):
        raise NetworkFileError(
            [
                f"{name}: expected a mapping with sections ({', '.join(SECTIONS)}), "
                f"found {type(data).__name__}"
            ]
        )
    return data


def _depth(data: Any) -> int:
    """Levels of nesting of lists and mappings, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                children = value.values() if isinstance(value, dict) else value
                stack.extend((child, level + 1) for child in children)
    return deepest


CSV_LIST_FIELDS = {"topics", "languages", "audience", "reminders"}


def read_csv(name: str, text: str) -> dict[str, Any]:
    """``courses.csv`` etc.: header row names the fields, ``title_es`` columns hold languages,
    lists are separated by ``;``."""
    section = PurePath(name).stem.lower()
    if section not in ("institutions", "courses", "events", "faq"):
        raise NetworkFileError(
            [
                f"{name}: a CSV file is named after its section (institutions.csv, courses.csv, "
                "events.csv or faq.csv)"
            ]
        )
    reader = csv.DictReader(io.StringIO(text))
    try:
        headers = reader.fieldnames
        if not headers:
            raise NetworkFileError([f"{name}: no header row"])
        _csv_headers(name, headers)
        return {section: [_csv_record(name, reader.line_num, row) for row in reader]}
    except csv.Error as exc:
        problem = (
            f"a cell is too long (at most {MAX_CELL_CHARS:,} characters)"
            if "field larger than field limit" in str(exc)
            else f"not valid CSV ({exc})"
        )
        raise NetworkFileError([f"{name}: line {reader.reader.line_num}: {problem}"]) from None


def _csv_headers(name: str, headers: Sequence[str]) -> None:
    """Each field from one column: ``title`` and ``title_es`` together are refused, as is a
    column named twice (the second would silently win)."""
    columns = [header.strip() for header in headers]
    errors = [
        f"{name}: line 1: column '{column}' appears twice"
        for index, column in enumerate(columns)
        if column in columns[:index]
    ]
    for column in columns:
        base, _, language = column.rpartition("_")
        if base and language in LANGUAGES and base in columns:
            errors.append(
                f"{name}: line 1: columns '{base}' and '{column}' both give {base}; "
                f"use either {base} or {base}_es, {base}_pt, {base}_en"
            )
    if errors:
        raise NetworkFileError(errors)


def _csv_record(name: str, line: int, row: dict[str | Any, Any]) -> dict[str, Any]:
    if None in row:
        raise NetworkFileError([f"{name}: line {line}: more cells than headers"])
    record: dict[str, Any] = {}
    for column, cell in row.items():
        value = (cell or "").strip()
        if not value or column is None:
            continue
        column = column.strip()
        if len(value) > MAX_CELL_CHARS:
            raise NetworkFileError(
                [
                    f"{name}: line {line}, column {column}: too long ({len(value):,} "
                    f"characters; at most {MAX_CELL_CHARS:,})"
                ]
            )
        base, _, language = column.rpartition("_")
        if base and language in LANGUAGES:
            record.setdefault(base, {})[language] = value
        elif column in CSV_LIST_FIELDS:
            record[column] = [v.strip() for v in value.split(";") if v.strip()]
        elif column == "certificate":
            record[column] = _csv_bool(value)
        elif column == "hours":
            record[column] = _csv_number(value)
        elif column == "keywords":
            record[column] = {"es": [v.strip() for v in value.split(";") if v.strip()]}
        else:
            record[column] = value
    return record


def _csv_bool(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "yes", "sí", "si", "sim", "1"):
        return True
    if lowered in ("false", "no", "não", "nao", "0"):
        return False
    return value


def _csv_number(value: str) -> Any:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def read_ics(name: str, content: bytes) -> list[dict[str, Any]]:
    """Each VEVENT becomes an event (UID → id, SUMMARY → title, DTSTART/DTEND with TZID).
    A recurring event (RRULE or RDATE) is refused: importing only its first occurrence
    would silently lose the others."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(content)
        components = calendar.walk("VEVENT")
    except RecursionError:
        raise NetworkFileError([f"{name}: nested too deeply"]) from None
    except (ValueError, IndexError, KeyError) as exc:
        raise NetworkFileError([f"{name}: not a valid iCalendar file ({exc})"]) from None
    default_zone = str(calendar.get("X-WR-TIMEZONE") or "")
    events: list[dict[str, Any]] = []
    errors: list[str] = []
    for index, component in enumerate(components):
        path = f"{name}: events[{index}]"
        if component.get("RRULE") is not None or component.get("RDATE") is not None:
            errors.append(f"{path}: recurring events are not supported; list each occurrence")
            continue
        try:
            events.append(_ics_event(name, index, component, default_zone))
        except _BrokenTime as exc:
            errors.append(f"{path}.{exc.field}: '{exc.raw}' is not a valid date or time")
    if errors:
        raise NetworkFileError(errors)
    return events


class _BrokenTime(ValueError):
    def __init__(self, field: str, raw: str) -> None:
        super().__init__(field)
        self.field, self.raw = field, raw


def _ics_dt(component: Any, key: str, field: str) -> tuple[date | datetime, str] | None:
    """(value, TZID parameter) of DTSTART or DTEND; a broken value raises :class:`_BrokenTime`."""
    prop = component.get(key)
    if prop is None:
        return None
    try:
        value = prop.dt
    except ValueError:  # icalendar's BrokenCalendarProperty, e.g. VALUE=DATE:99999999
        raw = prop.to_ical() if hasattr(prop, "to_ical") else b""
        raw_text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
        raise _BrokenTime(field, raw_text[:40]) from None
    return value, str(getattr(prop, "params", {}).get("TZID") or "")


def _zone_hint(moment: tuple[date | datetime, str], fallback: str) -> str:
    """A TZID icalendar could not resolve leaves the time naive: keep the TZID so the
    event's check names the unknown zone (it used to become UTC without a word)."""
    value, tzid = moment
    naive = isinstance(value, datetime) and value.tzinfo is None
    return tzid if naive and tzid else fallback


def _ics_event(name: str, index: int, component: Any, default_zone: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    uid = str(component.get("UID") or f"{PurePath(name).stem}-{index + 1}")
    record["id"] = slugify(uid.split("@", 1)[0])
    for key, field in (
        ("SUMMARY", "title"),
        ("DESCRIPTION", "description"),
        ("LOCATION", "location"),
        ("URL", "join_url"),
    ):
        if component.get(key):
            record[field] = str(component.get(key))
    start = _ics_dt(component, "DTSTART", "starts")
    if start is not None:
        zone, record["starts"] = _ics_time(start[0], _zone_hint(start, default_zone))
        record["timezone"] = zone
        end = _ics_dt(component, "DTEND", "ends")
        if end is not None:
            _, record["ends"] = _ics_time(end[0], _zone_hint(end, zone), end_date=True)
        elif component.get("DURATION") is not None:
            minutes = int(component.get("DURATION").dt.total_seconds() // 60)
            record["duration"] = f"{minutes}m"
    if str(component.get("STATUS") or "").upper() == "CANCELLED":
        record["status"] = "cancelled"
    return record


def _ics_time(value: date | datetime, zone: str, end_date: bool = False) -> tuple[str, str]:
    """(zone, local ISO text). A DTEND date is exclusive in iCalendar, inclusive in our file."""
    if isinstance(value, datetime):
        tzinfo = value.tzinfo
        key = getattr(tzinfo, "key", None) or getattr(tzinfo, "zone", None)
        if key:
            zone = str(key)
        elif tzinfo is not None:  # UTC or a fixed offset: keep the file's zone, else UTC
            zone = zone or "UTC"
            value = value.astimezone(ZoneInfo(zone) if known_zone(zone) else UTC)
        zone = zone or "UTC"
        return zone, value.replace(tzinfo=None).isoformat(timespec="minutes")
    if end_date:
        value = value - timedelta(days=1)
    return zone or "UTC", value.isoformat()
