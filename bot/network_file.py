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

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.i18n import LANGUAGES
from storage.audience import AudienceError, parse_selectors

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_RECORDS = 20_000
MAX_ERRORS = 200
SECTIONS = ("institutions", "courses", "events", "faq", "surveys")
QUESTION_KINDS = ("single", "multiple", "scale", "yesno", "number", "date", "text")
DEFAULT_REMINDERS = (24 * 60, 60)


class NetworkFileError(ValueError):
    """The files cannot be imported; ``errors`` lists every problem as ``path: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# ------------------------------------------------------------------ clean records
Texts = dict[str, str]


@dataclass
class InstitutionRecord:
    id: str
    acronym: str
    name: Texts
    country: str
    timezone: str
    languages: list[str]


@dataclass
class CourseRecord:
    id: str
    title: Texts
    summary: Texts
    topics: list[str]
    modality: str
    pace: str
    languages: list[str]
    starts: date | None
    ends: date | None
    hours: float | None
    enroll_by: date | None
    enroll_url: str | None
    cost: Texts | None
    certificate: bool | None
    provider: str | None


@dataclass
class EventRecord:
    id: str
    title: Texts
    description: Texts | None
    kind: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC; exclusive end (the day after the last day for all-day events)
    all_day: bool
    timezone: str
    platform: str | None
    join_url: str | None
    location: str | None
    audience: list[str]
    reminders: list[int] | None  # minutes before the start; None = the bot's default
    status: str
    feedback_survey: str | None


@dataclass
class FaqRecord:
    id: str
    question: Texts
    answer: Texts
    keywords: dict[str, list[str]] | None


@dataclass
class QuestionRecord:
    id: str
    kind: str
    text: Texts
    options: list[dict[str, Any]] | None
    min_value: float | None
    max_value: float | None
    unit: str | None
    max_length: int | None
    required: bool
    show_if: dict[str, Any] | None


@dataclass
class SurveyRecord:
    id: str
    title: Texts
    intro: Texts | None
    respondent: str
    audience: list[str]
    opens_at: datetime | None
    closes_at: datetime | None
    timezone: str
    remind_before: int | None  # minutes before closing
    questions: list[QuestionRecord]


@dataclass
class NetworkData:
    institutions: list[InstitutionRecord] = field(default_factory=list)
    courses: list[CourseRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    faq: list[FaqRecord] = field(default_factory=list)
    surveys: list[SurveyRecord] = field(default_factory=list)
    sections: set[str] = field(default_factory=set)  # sections the files contained

    def count(self) -> int:
        return sum(len(getattr(self, s)) for s in SECTIONS)


# ------------------------------------------------------------------ raw shapes (pydantic)
class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, str_strip_whitespace=True)


TextIn = str | dict[str, Any]
Stamp = str | date  # JSON/CSV give strings; a YAML bare date may come as a string too


class InstitutionIn(_Raw):
    id: str
    acronym: str = Field(min_length=1, max_length=40)
    name: TextIn
    country: str
    timezone: str
    languages: list[str] = []


class CourseIn(_Raw):
    id: str
    title: TextIn
    summary: TextIn | None = None
    topics: list[str] = []
    modality: Literal["online", "blended", "in-person"] = "online"
    pace: Literal["tutored", "self-paced"] = "tutored"
    languages: list[str] = []
    starts: Stamp | None = None
    ends: Stamp | None = None
    hours: float | None = Field(default=None, ge=0, le=10_000)
    enroll_by: Stamp | None = None
    enroll_url: str | None = None
    cost: TextIn | None = None
    certificate: bool | None = None
    provider: str | None = Field(default=None, max_length=200)


class EventIn(_Raw):
    id: str
    title: TextIn
    description: TextIn | None = None
    kind: Literal["videoconference", "webinar", "meeting", "workshop"] = "videoconference"
    starts: Stamp
    ends: Stamp | None = None
    duration: str | None = None
    timezone: str
    platform: str | None = Field(default=None, max_length=60)
    join_url: str | None = None
    location: str | None = Field(default=None, max_length=200)
    audience: str | list[str] = "all"
    reminders: list[str] | None = None
    status: Literal["scheduled", "postponed", "cancelled"] = "scheduled"
    feedback_survey: str | None = None


class FaqIn(_Raw):
    id: str
    question: TextIn
    answer: TextIn
    keywords: dict[str, list[str]] | None = None


class OptionIn(_Raw):
    id: str
    text: TextIn


class ShowIfIn(_Raw):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    question: str
    in_: list[str | int | bool] = Field(alias="in")


class QuestionIn(_Raw):
    id: str
    kind: Literal["single", "multiple", "scale", "yesno", "number", "date", "text"]
    text: TextIn
    options: list[OptionIn] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = Field(default=None, max_length=20)
    max_length: int | None = Field(default=None, ge=1, le=4000)
    required: bool = True
    show_if: ShowIfIn | None = None


class SurveyIn(_Raw):
    id: str
    title: TextIn
    intro: TextIn | None = None
    respondent: Literal["member", "institution"] = "member"
    audience: str | list[str] = "all"
    opens: Stamp | None = None
    closes: Stamp | None = None
    timezone: str = ""
    remind_before: str | None = None
    questions: list[QuestionIn] = Field(min_length=1, max_length=60)


MODELS: dict[str, type[_Raw]] = {
    "institutions": InstitutionIn,
    "courses": CourseIn,
    "events": EventIn,
    "faq": FaqIn,
    "surveys": SurveyIn,
}


# ------------------------------------------------------------------ small parsers
def parse_duration(text: str) -> int:
    """``90m``, ``1h30m``, ``2d``, ``0m`` → minutes; ValueError otherwise."""
    value = str(text).strip().lower().replace(" ", "")
    match = DURATION.match(value)
    if not value or match is None or not any(match.groups()):
        raise ValueError(f"'{text}' is not a duration like 90m, 1h30m or 2d")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * 1440 + hours * 60 + minutes


def format_duration_code(minutes: int) -> str:
    """Minutes → the file's notation (``1h30m``, ``2d``, ``0m``)."""
    if minutes == 0:
        return "0m"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n)


def known_zone(name: str) -> bool:
    if not name or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_to_utc(naive: datetime, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as UTC; ValueError if it does not exist or is ambiguous."""
    tz = ZoneInfo(zone)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != naive:
            raise ValueError(
                f"{naive:%Y-%m-%dT%H:%M} does not exist in {zone} (the clocks skip that hour)"
            )
        raise ValueError(
            f"{naive:%Y-%m-%dT%H:%M} happens twice in {zone} (the clocks go back); "
            "choose another time"
        )
    return first.astimezone(UTC)


def parse_stamp(value: object) -> date | datetime:
    """``2023-10-04`` → date; ``2020-03-26T14:00`` (or with a space) → naive datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("write local time without a UTC offset; the zone goes in timezone")
        return value
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a valid date") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError:
            raise ValueError(f"'{text}' is not a valid date and time") from None
    if re.search(r"(Z|[+-]\d{2}:?\d{2})$", text):
        raise ValueError("write local time without a UTC offset; the zone goes in timezone")
    raise ValueError(f"'{text}' is not an ISO 8601 date (2023-10-04) or time (2023-10-04T14:00)")


def parse_date_only(value: object) -> date:
    stamp = parse_stamp(value)
    if isinstance(stamp, datetime):
        raise ValueError("expected a date without a time (2023-05-15)")
    return stamp


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


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (slug or "event")[:64].rstrip("-")


# ------------------------------------------------------------------ checking
class _Collector:
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


def _texts(
    col: _Collector, path: str, value: Any, default: str, *, limit: int, required: bool = True
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


def _slug(col: _Collector, path: str, value: str) -> bool:
    if not SLUG.match(value or ""):
        col.add(
            path,
            f"'{value}' is not a valid id (lowercase letters, digits and -, "
            "starting with a letter or digit, at most 64)",
        )
        return False
    return True


def _url(col: _Collector, path: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value) or len(value) > 500:
        col.add(path, f"'{value[:80]}' is not an http(s) link")
        return None
    return value


def _zone(col: _Collector, path: str, value: str) -> str | None:
    if not known_zone(value):
        col.add(path, f"unknown time zone '{value}'")
        return None
    return value


def _languages(col: _Collector, path: str, values: list[str]) -> list[str]:
    clean = []
    for index, value in enumerate(values):
        if value not in LANGUAGES:
            col.add(f"{path}[{index}]", f"unknown language '{value}' (use es, pt or en)")
        elif value not in clean:
            clean.append(value)
    return clean


def _audience(col: _Collector, path: str, value: str | list[str]) -> list[str]:
    try:
        selectors = parse_selectors([value] if isinstance(value, str) else value)
    except AudienceError as exc:
        col.add(path, f"unknown audience selector '{exc.selector}'")
        return ["all"]
    if any(s.startswith("group:") for s in selectors):
        col.add(path, "group selectors are for broadcasts, not for file audiences")
    return selectors


def _stamp(col: _Collector, path: str, value: object) -> date | datetime | None:
    try:
        return parse_stamp(value)
    except ValueError as exc:
        col.add(path, str(exc))
        return None


def _date(col: _Collector, path: str, value: object) -> date | None:
    if value is None:
        return None
    try:
        return parse_date_only(value)
    except ValueError as exc:
        col.add(path, str(exc))
        return None


def _moment(col: _Collector, path: str, value: object, zone: str | None) -> datetime | None:
    """A survey's opens/closes: local date or date-time in ``zone`` → UTC."""
    if value is None:
        return None
    stamp = _stamp(col, path, value)
    if stamp is None or zone is None:
        return None
    naive = stamp if isinstance(stamp, datetime) else datetime.combine(stamp, time())
    try:
        return local_to_utc(naive, zone)
    except ValueError as exc:
        col.add(path, str(exc))
        return None


def check_institution(
    col: _Collector, path: str, raw: InstitutionIn, default: str
) -> InstitutionRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    name = _texts(col, f"{path}.name", raw.name, default, limit=300)
    country = raw.country.upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        col.add(f"{path}.country", f"'{raw.country}' is not an ISO 3166 country code (e.g. UY)")
        ok = False
    zone = _zone(col, f"{path}.timezone", raw.timezone)
    languages = _languages(col, f"{path}.languages", raw.languages)
    if not (ok and name and zone):
        return None
    return InstitutionRecord(raw.id, raw.acronym, name, country, zone, languages)


def check_course(col: _Collector, path: str, raw: CourseIn, default: str) -> CourseRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    title = _texts(col, f"{path}.title", raw.title, default, limit=300)
    summary = _texts(col, f"{path}.summary", raw.summary, default, limit=4000, required=False)
    starts = _date(col, f"{path}.starts", raw.starts)
    ends = _date(col, f"{path}.ends", raw.ends)
    enroll_by = _date(col, f"{path}.enroll_by", raw.enroll_by)
    if starts and ends and ends < starts:
        col.add(f"{path}.ends", "is before starts")
        ok = False
    topics = []
    for index, topic in enumerate(raw.topics):
        slug = str(topic).strip().lower()
        if not SLUG.match(slug):
            col.add(f"{path}.topics[{index}]", f"'{topic}' is not a valid topic (like green-jobs)")
            ok = False
        topics.append(slug)
    url = _url(col, f"{path}.enroll_url", raw.enroll_url)
    cost = _texts(col, f"{path}.cost", raw.cost, default, limit=200, required=False)
    if not (ok and title):
        return None
    return CourseRecord(
        raw.id,
        title,
        summary or {},
        topics,
        raw.modality,
        raw.pace,
        _languages(col, f"{path}.languages", raw.languages),
        starts,
        ends,
        raw.hours,
        enroll_by,
        url,
        cost,
        raw.certificate,
        raw.provider,
    )


def check_event(col: _Collector, path: str, raw: EventIn, default: str) -> EventRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    title = _texts(col, f"{path}.title", raw.title, default, limit=300)
    description = _texts(
        col, f"{path}.description", raw.description, default, limit=4000, required=False
    )
    zone = _zone(col, f"{path}.timezone", raw.timezone)
    starts = _stamp(col, f"{path}.starts", raw.starts)
    ends = _stamp(col, f"{path}.ends", raw.ends) if raw.ends is not None else None
    if raw.ends is not None and raw.duration is not None:
        col.add(f"{path}.duration", "give ends or duration, not both")
        ok = False
    duration = None
    if raw.duration is not None:
        try:
            duration = parse_duration(raw.duration)
        except ValueError as exc:
            col.add(f"{path}.duration", str(exc))
            ok = False
    reminders = None
    if raw.reminders is not None:
        reminders = []
        for index, offset in enumerate(raw.reminders):
            try:
                minutes = parse_duration(offset)
            except ValueError as exc:
                col.add(f"{path}.reminders[{index}]", str(exc))
                ok = False
                continue
            if minutes > 30 * 1440:
                col.add(f"{path}.reminders[{index}]", "at most 30 days before the start")
                ok = False
            reminders.append(minutes)
        if len(reminders) > 6:
            col.add(f"{path}.reminders", "at most 6 reminders")
            ok = False
        reminders = sorted(set(reminders), reverse=True)
    audience = _audience(col, f"{path}.audience", raw.audience)
    url = _url(col, f"{path}.join_url", raw.join_url)
    if raw.feedback_survey is not None and not SLUG.match(raw.feedback_survey):
        col.add(f"{path}.feedback_survey", f"'{raw.feedback_survey}' is not a valid survey id")
        ok = False
    if not (ok and title and zone and starts is not None):
        return None
    times = _event_times(col, path, starts, ends, duration, zone)
    if times is None:
        return None
    starts_at, ends_at, all_day = times
    return EventRecord(
        raw.id,
        title,
        description,
        raw.kind,
        starts_at,
        ends_at,
        all_day,
        zone,
        raw.platform,
        url,
        raw.location,
        audience,
        reminders,
        raw.status,
        raw.feedback_survey,
    )


def _event_times(
    col: _Collector,
    path: str,
    starts: date | datetime,
    ends: date | datetime | None,
    duration: int | None,
    zone: str,
) -> tuple[datetime, datetime, bool] | None:
    all_day = not isinstance(starts, datetime)
    if all_day:
        if isinstance(ends, datetime):
            col.add(f"{path}.ends", "a date-only event ends on a date too")
            return None
        first_day = starts
        last_day = ends if isinstance(ends, date) else first_day
        if duration is not None:
            last_day = first_day + timedelta(days=max(1, -(-duration // 1440)) - 1)
        if last_day < first_day:
            col.add(f"{path}.ends", "is before starts")
            return None
        start_naive = datetime.combine(first_day, time())
        end_naive = datetime.combine(last_day + timedelta(days=1), time())
    else:
        assert isinstance(starts, datetime)
        start_naive = starts
        if isinstance(ends, datetime):
            end_naive = ends
        elif isinstance(ends, date):
            end_naive = datetime.combine(ends + timedelta(days=1), time())
        else:
            end_naive = starts + timedelta(minutes=duration if duration is not None else 60)
    try:
        starts_at = local_to_utc(start_naive, zone)
    except ValueError as exc:
        col.add(f"{path}.starts", str(exc))
        return None
    try:
        ends_at = local_to_utc(end_naive, zone)
    except ValueError as exc:
        col.add(f"{path}.ends", str(exc))
        return None
    if ends_at <= starts_at:
        col.add(f"{path}.ends", "is before starts" if ends_at < starts_at else "equals starts")
        return None
    if ends_at - starts_at > timedelta(days=31):
        col.add(f"{path}.ends", "an event lasts at most 31 days")
        return None
    return starts_at, ends_at, all_day


def check_faq(col: _Collector, path: str, raw: FaqIn, default: str) -> FaqRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    question = _texts(col, f"{path}.question", raw.question, default, limit=500)
    answer = _texts(col, f"{path}.answer", raw.answer, default, limit=4000)
    keywords: dict[str, list[str]] | None = None
    if raw.keywords is not None:
        keywords = {}
        for language, words in raw.keywords.items():
            if language not in LANGUAGES:
                col.add(f"{path}.keywords.{language}", "unknown language (use es, pt or en)")
                ok = False
                continue
            keywords[language] = [w.strip() for w in words if w.strip()][:50]
    if not (ok and question and answer):
        return None
    return FaqRecord(raw.id, question, answer, keywords)


def check_survey(
    col: _Collector, path: str, raw: SurveyIn, default: str, default_zone: str
) -> SurveyRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    title = _texts(col, f"{path}.title", raw.title, default, limit=300)
    intro = _texts(col, f"{path}.intro", raw.intro, default, limit=2000, required=False)
    zone = _zone(col, f"{path}.timezone", raw.timezone or default_zone)
    opens = _moment(col, f"{path}.opens", raw.opens, zone)
    closes = _moment(col, f"{path}.closes", raw.closes, zone)
    if opens and closes and closes <= opens:
        col.add(f"{path}.closes", "is before opens")
        ok = False
    remind = None
    if raw.remind_before is not None:
        try:
            remind = parse_duration(raw.remind_before)
        except ValueError as exc:
            col.add(f"{path}.remind_before", str(exc))
            ok = False
    audience = _audience(col, f"{path}.audience", raw.audience)
    questions: list[QuestionRecord] = []
    seen: dict[str, QuestionRecord] = {}
    for index, question in enumerate(raw.questions):
        qpath = f"{path}.questions[{index}]"
        record = check_question(col, qpath, question, default, seen)
        if record is None:
            ok = False
            continue
        if record.id in seen:
            col.add(f"{qpath}.id", f"duplicate question id '{record.id}'")
            ok = False
            continue
        seen[record.id] = record
        questions.append(record)
    if not (ok and title and zone):
        return None
    return SurveyRecord(
        raw.id, title, intro, raw.respondent, audience, opens, closes, zone, remind, questions
    )


def check_question(
    col: _Collector, path: str, raw: QuestionIn, default: str, earlier: dict[str, QuestionRecord]
) -> QuestionRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    text = _texts(col, f"{path}.text", raw.text, default, limit=1000)
    options: list[dict[str, Any]] | None = None
    if raw.kind in ("single", "multiple"):
        if not raw.options or len(raw.options) < 2:
            col.add(f"{path}.options", f"a {raw.kind} question needs at least 2 options")
            ok = False
        elif len(raw.options) > 20:
            col.add(f"{path}.options", "at most 20 options")
            ok = False
        else:
            options = []
            for index, option in enumerate(raw.options):
                opath = f"{path}.options[{index}]"
                good = _slug(col, f"{opath}.id", option.id)
                label = _texts(col, f"{opath}.text", option.text, default, limit=100)
                if any(o["id"] == option.id for o in options):
                    col.add(f"{opath}.id", f"duplicate option id '{option.id}'")
                    good = False
                if good and label:
                    options.append({"id": option.id, "text": label})
                else:
                    ok = False
    elif raw.options:
        col.add(f"{path}.options", f"a {raw.kind} question has no options")
        ok = False
    low, high = raw.min, raw.max
    if raw.kind == "scale":
        low = 1 if low is None else low
        high = 5 if high is None else high
        if low != int(low) or high != int(high) or not 0 <= low < high or high - low > 10:
            col.add(f"{path}.max", "a scale goes between whole numbers, at most 11 steps (0-10)")
            ok = False
    elif raw.kind == "number":
        if low is not None and high is not None and low > high:
            col.add(f"{path}.max", "is below min")
            ok = False
    elif low is not None or high is not None:
        col.add(f"{path}.min", f"a {raw.kind} question has no min/max")
        ok = False
    if raw.max_length is not None and raw.kind != "text":
        col.add(f"{path}.max_length", "only text questions have max_length")
        ok = False
    show_if = None
    if raw.show_if is not None:
        target = earlier.get(raw.show_if.question)
        if target is None:
            col.add(
                f"{path}.show_if.question",
                f"'{raw.show_if.question}' is not an earlier question of this survey",
            )
            ok = False
        else:
            values = [_show_if_value(v) for v in raw.show_if.in_]
            allowed = _answer_values(target)
            wrong = [v for v in values if allowed is not None and v not in allowed]
            if wrong or not values:
                col.add(
                    f"{path}.show_if.in",
                    f"{wrong or 'nothing'} is not an answer of question '{target.id}'",
                )
                ok = False
            show_if = {"question": target.id, "in": values}
    if not (ok and text):
        return None
    return QuestionRecord(
        raw.id,
        raw.kind,
        text,
        options,
        low,
        high,
        raw.unit,
        raw.max_length or (1000 if raw.kind == "text" else None),
        raw.required,
        show_if,
    )


def _show_if_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _answer_values(question: QuestionRecord) -> set[str] | None:
    if question.options is not None:
        return {o["id"] for o in question.options}
    if question.kind == "yesno":
        return {"yes", "no"}
    if (
        question.kind == "scale"
        and question.min_value is not None
        and question.max_value is not None
    ):
        return {str(n) for n in range(int(question.min_value), int(question.max_value) + 1)}
    return None


CHECKS = {
    "institutions": check_institution,
    "courses": check_course,
    "events": check_event,
    "faq": check_faq,
}


def parse_network_files(
    files: list[tuple[str, bytes]],
    *,
    default_language: str = "es",
    default_timezone: str = "America/Montevideo",
) -> NetworkData:
    """Read and check every file; all or nothing (see the module docstring)."""
    col = _Collector()
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
    col: _Collector,
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
