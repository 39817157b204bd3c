"""Checks for surveys and their questions: options, ranges, and show-if conditions."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.core.records import QuestionRecord, SurveyRecord
from bot.core.timeparse import local_to_utc, parse_duration
from bot.importer.checks.fields import (
    Collector,
    check_audience,
    check_slug,
    check_stamp,
    check_texts,
    check_zone,
)
from bot.importer.schema import QuestionIn, SurveyIn


def _moment(col: Collector, path: str, value: object, zone: str | None) -> datetime | None:
    """A survey's opens/closes: local date or date-time in ``zone`` → UTC."""
    if value is None:
        return None
    stamp = check_stamp(col, path, value)
    if stamp is None or zone is None:
        return None
    naive = stamp if isinstance(stamp, datetime) else datetime.combine(stamp, time())
    try:
        return local_to_utc(naive, zone)
    except ValueError as exc:
        col.add(path, str(exc))
        return None


def check_survey(
    col: Collector, path: str, raw: SurveyIn, default: str, default_zone: str
) -> SurveyRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    title = check_texts(col, f"{path}.title", raw.title, default, limit=300)
    intro = check_texts(col, f"{path}.intro", raw.intro, default, limit=2000, required=False)
    zone = check_zone(col, f"{path}.timezone", raw.timezone or default_zone)
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
    audience = check_audience(col, f"{path}.audience", raw.audience)
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
    col: Collector, path: str, raw: QuestionIn, default: str, earlier: dict[str, QuestionRecord]
) -> QuestionRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    text = check_texts(col, f"{path}.text", raw.text, default, limit=1000)
    options_ok, options = _check_options(col, path, raw, default)
    bounds_ok, (low, high) = _check_bounds(col, path, raw)
    show_if_ok, show_if = _check_show_if(col, path, raw, earlier)
    if raw.max_length is not None and raw.kind != "text":
        col.add(f"{path}.max_length", "only text questions have max_length")
        ok = False
    if not (ok and text and options_ok and bounds_ok and show_if_ok):
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


def _check_options(
    col: Collector, path: str, raw: QuestionIn, default: str
) -> tuple[bool, list[dict[str, Any]] | None]:
    """Whether the options are right, and those of a single or multiple choice question."""
    if raw.kind not in ("single", "multiple"):
        if raw.options:
            col.add(f"{path}.options", f"a {raw.kind} question has no options")
            return False, None
        return True, None
    if not raw.options or len(raw.options) < 2:
        col.add(f"{path}.options", f"a {raw.kind} question needs at least 2 options")
        return False, None
    if len(raw.options) > 20:
        col.add(f"{path}.options", "at most 20 options")
        return False, None
    options: list[dict[str, Any]] = []
    ok = True
    for index, option in enumerate(raw.options):
        opath = f"{path}.options[{index}]"
        good = check_slug(col, f"{opath}.id", option.id)
        label = check_texts(col, f"{opath}.text", option.text, default, limit=100)
        if any(o["id"] == option.id for o in options):
            col.add(f"{opath}.id", f"duplicate option id '{option.id}'")
            good = False
        if good and label:
            options.append({"id": option.id, "text": label})
        else:
            ok = False
    return ok, options


Bounds = tuple[float | None, float | None]


def _check_bounds(col: Collector, path: str, raw: QuestionIn) -> tuple[bool, Bounds]:
    """Whether min and max are right, and those of a scale (1-5 unless given) or a number
    question."""
    low, high = raw.min, raw.max
    if raw.kind == "scale":
        low = 1 if low is None else low
        high = 5 if high is None else high
        if low != int(low) or high != int(high) or not 0 <= low < high or high - low > 10:
            col.add(f"{path}.max", "a scale goes between whole numbers, at most 11 steps (0-10)")
            return False, (low, high)
    elif raw.kind == "number":
        if low is not None and high is not None and low > high:
            col.add(f"{path}.max", "is below min")
            return False, (low, high)
    elif low is not None or high is not None:
        col.add(f"{path}.min", f"a {raw.kind} question has no min/max")
        return False, (low, high)
    return True, (low, high)


def _check_show_if(
    col: Collector, path: str, raw: QuestionIn, earlier: dict[str, QuestionRecord]
) -> tuple[bool, dict[str, Any] | None]:
    """Whether the condition of a conditional question is right (on an earlier question's
    answers), and the condition."""
    if raw.show_if is None:
        return True, None
    target = earlier.get(raw.show_if.question)
    if target is None:
        col.add(
            f"{path}.show_if.question",
            f"'{raw.show_if.question}' is not an earlier question of this survey",
        )
        return False, None
    values = [_show_if_value(v) for v in raw.show_if.in_]
    allowed = _answer_values(target)
    wrong = [v for v in values if allowed is not None and v not in allowed]
    if wrong or not values:
        col.add(
            f"{path}.show_if.in",
            f"{wrong or 'nothing'} is not an answer of question '{target.id}'",
        )
    return not (wrong or not values), {"question": target.id, "in": values}


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
