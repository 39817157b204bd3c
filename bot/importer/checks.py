"""Checking the raw records: every problem collected as ``path: message``."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from babel import Locale
from pydantic import ValidationError

from bot.core.audience import AudienceError, parse_selectors
from bot.core.geo import canonical_zone
from bot.core.i18n import LANGUAGES
from bot.core.ids import SLUG, slugify
from bot.core.records import (
    CourseRecord,
    EventRecord,
    FaqRecord,
    InstitutionRecord,
    QuestionRecord,
    SurveyRecord,
    Texts,
    TopicRecord,
)
from bot.core.text import fold
from bot.core.timeparse import (
    known_zone,
    local_to_utc,
    parse_date_only,
    parse_duration,
    parse_stamp,
)
from bot.importer.schema import (
    MAX_ERRORS,
    CourseIn,
    EventIn,
    FaqIn,
    InstitutionIn,
    QuestionIn,
    SurveyIn,
    TopicIn,
)


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
    return canonical_zone(value)


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


# Babel's territories hold regions (001, 419), the EU and pseudo codes too: a country is two
# letters, and these two-letter codes are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code CLDR knows (``XX`` or ``QQ`` are refused)."""
    return (
        bool(re.fullmatch(r"[A-Z]{2}", code))
        and code not in NOT_COUNTRIES
        and code in Locale("en").territories
    )


def check_institution(
    col: _Collector, path: str, raw: InstitutionIn, default: str
) -> InstitutionRecord | None:
    ok = _slug(col, f"{path}.id", raw.id)
    name = _texts(col, f"{path}.name", raw.name, default, limit=300)
    country = raw.country.upper()
    if not is_country(country):
        col.add(f"{path}.country", f"'{raw.country}' is not an ISO 3166 country code (e.g. UY)")
        ok = False
    zone = _zone(col, f"{path}.timezone", raw.timezone)
    languages = _languages(col, f"{path}.languages", raw.languages)
    if not (ok and name and zone):
        return None
    return InstitutionRecord(raw.id, raw.acronym, name, country, zone, languages)


def _topics(
    col: _Collector, path: str, written: list[str | int | float]
) -> tuple[list[str] | None, dict[str, str]]:
    """Topics as people write them ("Big data", "Industria 4.0"): each becomes a slug for
    filtering (big-data, industria-4-0); the written form is kept as its fallback label."""
    slugs: list[str] = []
    names: dict[str, str] = {}
    ok = True
    for index, topic in enumerate(written):
        text = " ".join(str(topic).split())
        slug = slugify(text) if re.search(r"[A-Za-z0-9]", fold(text)) else ""
        if not SLUG.match(slug) or len(text) > 60:
            col.add(f"{path}[{index}]", f"'{topic}' is not a valid topic (like green jobs)")
            ok = False
            continue
        if slug not in slugs:
            slugs.append(slug)
            if text != slug:
                names[slug] = text
    return (slugs if ok else None), names


def check_topic(col: _Collector, path: str, raw: TopicIn, default: str) -> TopicRecord | None:
    """A ``topics:`` entry: the id as written in the courses (slugged), a text per language."""
    slug = slugify(raw.id) if re.search(r"[A-Za-z0-9]", fold(raw.id)) else ""
    if not SLUG.match(slug):
        col.add(f"{path}.id", f"'{raw.id}' is not a valid topic (like green jobs)")
        return None
    text = _texts(col, f"{path}.text", raw.text, default, limit=60)
    return TopicRecord(slug, text) if text else None


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
    checked, names = _topics(col, f"{path}.topics", raw.topics)
    ok = ok and checked is not None
    topics = checked or []
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
        names,
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
            # A bare number (``duration: 60``) is minutes.
            duration = parse_duration(
                f"{raw.duration}m" if isinstance(raw.duration, int) else raw.duration
            )
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
        raw.id,
        title,
        intro,
        raw.respondent,
        audience,
        opens,
        closes,
        zone,
        remind,
        questions,
        auto_open=raw.status != "draft",
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
