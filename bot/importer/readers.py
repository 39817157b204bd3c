"""Reading the network data file: YAML, JSON, CSV and iCalendar into plain data."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.core.i18n import LANGUAGES
from bot.core.ids import slugify
from bot.core.records import SECTIONS
from bot.importer.schema import MAX_FILE_BYTES, NetworkFileError


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


class _NoAliasComposer(_StrictLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


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
    try:
        data = json.loads(text) if suffix == ".json" else load_yaml(text)
    except json.JSONDecodeError as exc:
        raise NetworkFileError([f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise NetworkFileError([f"{name}: not valid YAML{where}: {problem}"]) from None
    if not isinstance(data, dict):
        raise NetworkFileError(
            [
                f"{name}: expected a mapping with sections ({', '.join(SECTIONS)}), "
                f"found {type(data).__name__}"
            ]
        )
    return data


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
    if not reader.fieldnames:
        raise NetworkFileError([f"{name}: no header row"])
    records: list[dict[str, Any]] = []
    for row in reader:
        if None in row:
            raise NetworkFileError([f"{name}: line {reader.line_num}: more cells than headers"])
        record: dict[str, Any] = {}
        for column, cell in row.items():
            value = (cell or "").strip()
            if not value or column is None:
                continue
            column = column.strip()
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
        records.append(record)
    return {section: records}


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
    """Each VEVENT becomes an event (UID → id, SUMMARY → title, DTSTART/DTEND with TZID)."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(content)
    except (ValueError, IndexError, KeyError) as exc:
        raise NetworkFileError([f"{name}: not a valid iCalendar file ({exc})"]) from None
    default_zone = str(calendar.get("X-WR-TIMEZONE") or "")
    events: list[dict[str, Any]] = []
    for index, component in enumerate(calendar.walk("VEVENT")):
        record: dict[str, Any] = {}
        uid = str(component.get("UID") or f"{PurePath(name).stem}-{index + 1}")
        record["id"] = slugify(uid.split("@", 1)[0])
        if component.get("SUMMARY"):
            record["title"] = str(component.get("SUMMARY"))
        if component.get("DESCRIPTION"):
            record["description"] = str(component.get("DESCRIPTION"))
        if component.get("LOCATION"):
            record["location"] = str(component.get("LOCATION"))
        if component.get("URL"):
            record["join_url"] = str(component.get("URL"))
        start = component.get("DTSTART")
        if start is not None:
            zone, record["starts"] = _ics_time(start.dt, default_zone)
            record["timezone"] = zone
            end = component.get("DTEND")
            if end is not None:
                _, record["ends"] = _ics_time(end.dt, zone, end_date=True)
            elif component.get("DURATION") is not None:
                minutes = int(component.get("DURATION").dt.total_seconds() // 60)
                record["duration"] = f"{minutes}m"
        if str(component.get("STATUS") or "").upper() == "CANCELLED":
            record["status"] = "cancelled"
        events.append(record)
    return events


def _ics_time(value: date | datetime, zone: str, end_date: bool = False) -> tuple[str, str]:
    """(zone, local ISO text). A DTEND date is exclusive in iCalendar, inclusive in our file."""
    if isinstance(value, datetime):
        tzinfo = value.tzinfo
        key = getattr(tzinfo, "key", None) or getattr(tzinfo, "zone", None)
        if key:
            zone = str(key)
        elif tzinfo is not None:  # UTC or a fixed offset: keep the file's zone, else UTC
            zone = zone or "UTC"
            value = value.astimezone(ZoneInfo(zone))
        zone = zone or "UTC"
        return zone, value.replace(tzinfo=None).isoformat(timespec="minutes")
    if end_date:
        value = value - timedelta(days=1)
    return zone or "UTC", value.isoformat()
