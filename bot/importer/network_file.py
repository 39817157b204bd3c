"""The network data file (``shared/specs/network-data.md``, format 1): reading and checking.

:func:`parse_network_files` takes one or more files — YAML or JSON with any sections, CSV
with one section named by the file (``courses.csv``), iCalendar ``.ics`` with events — and
returns a :class:`NetworkData` of clean records, or raises :class:`NetworkFileError` listing
*every* problem as ``path: message`` (``events[3].timezone: unknown time zone
'America/Montevido'``). Nothing here touches the database: ``storage.network`` writes what
this returns, in one transaction.

Local times are turned into UTC here, so a wall-clock time that does not exist or happens
twice in the event's zone (daylight-saving changes) is an error with its path.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bot.core.records import SECTIONS, NetworkData
from bot.importer.checks import (
    Collector,
    check_course,
    check_event,
    check_faq,
    check_institution,
    check_survey,
    check_topic,
)
from bot.importer.readers import read_document
from bot.importer.schema import MAX_RECORDS, MODELS, NetworkFileError, SurveyIn

CHECKS = {
    "institutions": check_institution,
    "courses": check_course,
    "events": check_event,
    "faq": check_faq,
    "topics": check_topic,
}


def parse_network_files(
    files: list[tuple[str, bytes]],
    *,
    default_language: str = "es",
    default_timezone: str = "America/Montevideo",
) -> NetworkData:
    """Read and check every file; all or nothing (see the module docstring)."""
    col = Collector()
    data = NetworkData()
    seen_ids: dict[str, dict[str, str]] = {s: {} for s in SECTIONS}
    documents: list[tuple[str, dict[str, Any]]] = []
    for name, content in files:
        try:
            documents.append((name, read_document(name, content)))
        except NetworkFileError as exc:
            col.errors.extend(exc.errors)
    for name, document in documents:
        prefix = "" if len(files) == 1 else f"{name}: "
        version = document.get("version", 1)
        if version != 1:
            col.add(f"{prefix}version", f"unsupported format version {version!r} (expected 1)")
            continue
        for key in document:
            if key not in (*SECTIONS, "version"):
                col.add(f"{prefix}{key}", f"unknown section (known: {', '.join(SECTIONS)})")
        for section in SECTIONS:
            items = document.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                col.add(f"{prefix}{section}", "must be a list")
                continue
            data.sections.add(section)
            if len(items) > MAX_RECORDS:
                col.add(
                    f"{prefix}{section}", f"too many records ({len(items)}; at most {MAX_RECORDS})"
                )
                continue
            for index, item in enumerate(items):
                path = f"{prefix}{section}[{index}]"
                record = _check_item(col, section, path, item, default_language, default_timezone)
                if record is None:
                    continue
                first = seen_ids[section].get(record.id)
                if first is not None:
                    col.add(f"{path}.id", f"duplicate id '{record.id}' (first at {first})")
                    continue
                seen_ids[section][record.id] = path
                getattr(data, section).append(record)
    if col.errors:
        raise NetworkFileError(col.errors)
    return data


def _check_item(
    col: Collector,
    section: str,
    path: str,
    item: Any,
    default_language: str,
    default_timezone: str,
) -> Any:
    if not isinstance(item, dict):
        col.add(path, "must be a mapping of fields")
        return None
    model = MODELS[section]
    known = {field.alias or name for name, field in model.model_fields.items()}
    unknown = [key for key in item if key not in known]
    for key in unknown:
        col.add(f"{path}.{key}", "unknown key")
    try:
        raw = model.model_validate({k: v for k, v in item.items() if k in known})
    except ValidationError as exc:
        col.pydantic(path, exc)
        return None
    if section == "surveys":
        assert isinstance(raw, SurveyIn)
        record = check_survey(col, path, raw, default_language, default_timezone)
    else:
        record = CHECKS[section](col, path, raw, default_language)  # type: ignore[operator]
    return None if unknown else record
