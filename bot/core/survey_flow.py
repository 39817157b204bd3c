"""The logic of answering a survey, apart from Telegram and the database: which question
comes next (``show_if``), progress, reading typed answers, and answers as text."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.core.i18n import Translator, format_day, format_number, pick_text
from bot.core.text import fold


class Question(Protocol):
    """What the flow needs of a survey question (``storage.models.Question`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> dict[str, str]: ...
    @property
    def options(self) -> list[dict[str, Any]] | None: ...
    @property
    def min_value(self) -> float | None: ...
    @property
    def max_value(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def max_length(self) -> int | None: ...
    @property
    def required(self) -> bool: ...
    @property
    def show_if(self) -> dict[str, Any] | None: ...


TYPED_KINDS = frozenset({"number", "date", "text"})
MAX_DIGITS = 15
CHOICE_KINDS = frozenset({"single", "multiple", "scale", "yesno"})


def visible(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``show_if`` lets the question be asked, given the answers so far."""
    condition = question.show_if
    if not condition:
        return True
    value = answers.get(condition["question"])
    if value is None:
        return False
    wanted = {str(v) for v in condition.get("in", [])}
    if isinstance(value, list):
        return bool(wanted & {str(v) for v in value})
    return str(value) in wanted


def next_index(questions: Sequence[Question], answers: Mapping[str, Any], start: int) -> int | None:
    """The first askable question at or after ``start``; None when the end is reached."""
    for index in range(max(0, start), len(questions)):
        if visible(questions[index], answers):
            return index
    return None


def previous_index(
    questions: Sequence[Question], answers: Mapping[str, Any], before: int
) -> int | None:
    for index in range(min(before, len(questions)) - 1, -1, -1):
        if visible(questions[index], answers):
            return index
    return None


def possible(question: Question, answers: Mapping[str, Any]) -> bool:
    """Askable now, or may become askable (its condition's question is not answered yet)."""
    condition = question.show_if
    return visible(question, answers) or bool(
        condition and answers.get(condition["question"]) is None
    )


def progress(
    questions: Sequence[Question], answers: Mapping[str, Any], index: int
) -> tuple[int, int]:
    """(position, total): "3/8". The total counts questions that may still come, so it
    only ever shrinks as answers rule conditional questions out."""
    counted = [i for i, q in enumerate(questions) if possible(q, answers)]
    position = sum(1 for i in counted if i <= index)
    return max(1, position), len(counted)


def answered_of(questions: Sequence[Question], answers: Mapping[str, Any]) -> tuple[int, int]:
    """(answered, total) over the questions that may be asked."""
    counted = [q for q in questions if possible(q, answers)]
    return sum(1 for q in counted if answers.get(q.id) not in (None, "", [])), len(counted)


def missing_required(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[int]:
    return [
        i
        for i, q in enumerate(questions)
        if q.required and visible(q, answers) and answers.get(q.id) in (None, "", [])
    ]


def prune_hidden(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[str]:
    """Answers to questions that an earlier change made hidden (they are dropped)."""
    hidden = []
    current = dict(answers)
    for question in questions:
        if question.id in current and not visible(question, current):
            hidden.append(question.id)
            current.pop(question.id)
    return hidden


def scale_values(question: Question) -> list[int]:
    low = int(question.min_value if question.min_value is not None else 1)
    high = int(question.max_value if question.max_value is not None else 5)
    return list(range(low, high + 1))


# ------------------------------------------------------------------ typed answers
@dataclass(frozen=True)
class Parsed:
    value: Any = None
    problem: str | None = None  # a localized hint when the text is not an answer


def parse_typed(question: Question, text: str, tr: Translator) -> Parsed:
    text = text.strip()
    if question.kind == "number":
        return _parse_number(question, text, tr)
    if question.kind == "date":
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return Parsed(datetime.strptime(text, pattern).date().isoformat())
            except ValueError:
                continue
        return Parsed(problem=tr("Write a date such as 2026-12-03 (or 03/12/2026)."))
    limit = question.max_length or 1000
    if not text:
        return Parsed(problem=tr("Write your answer as a message."))
    if len(text) > limit:
        return Parsed(
            problem=tr(
                "That is {length} characters; please keep it to {limit} at most.",
                length=format_number(len(text), tr.language),
                limit=format_number(limit, tr.language),
            )
        )
    return Parsed(text)


def _parse_number(question: Question, text: str, tr: Translator) -> Parsed:
    cleaned = text.replace(" ", "").rstrip("%").replace(",", ".")
    if question.unit:
        cleaned = cleaned.removesuffix(question.unit.replace(" ", ""))
    unsigned = cleaned.lstrip("-")
    digits = (unsigned.rstrip("0") if "." in unsigned else unsigned).replace(".", "").lstrip("0")
    # More than 15 significant digits would not survive a double (SQLite keeps JSON numbers
    # as REAL), and no survey needs them.
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned) or len(digits) > MAX_DIGITS:
        return Parsed(problem=_range_hint(question, tr, tr("Write a number.")))
    number = float(cleaned)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        return Parsed(problem=_range_hint(question, tr, tr("That number is out of range.")))
    return Parsed(int(number) if number.is_integer() else number)


def _range_hint(question: Question, tr: Translator, first: str) -> str:
    """The problem shown (as HTML) for a number out of range; the unit is escaped."""
    low, high = question.min_value, question.max_value
    unit = f" {html.escape(question.unit)}" if question.unit else ""
    if low is not None and high is not None:
        return (
            first
            + " "
            + tr(
                "Between {low} and {high}{unit}.",
                low=format_number(low, tr.language),
                high=format_number(high, tr.language),
                unit=unit,
            )
        )
    if low is not None:
        return (
            first
            + " "
            + tr("At least {low}{unit}.", low=format_number(low, tr.language), unit=unit)
        )
    if high is not None:
        return (
            first
            + " "
            + tr("At most {high}{unit}.", high=format_number(high, tr.language), unit=unit)
        )
    return first


# ------------------------------------------------------------------ answers as text
def option_label(question: Question, option_id: str, language: str, default: str) -> str:
    for option in question.options or []:
        if option["id"] == option_id:
            return pick_text(option["text"], language, default)
    return option_id


YES_WORDS = frozenset({"si", "sim", "yes", "y", "s"})
NO_WORDS = frozenset({"no", "nao", "n"})


def typed_choice(question: Question, text: str, language: str, default: str) -> Any | None:
    """The button a member typed instead of tapping ("4" on a 1-5 scale, "sí" on a yes/no
    question, an option's words on a single choice); None when the text is none of them."""
    typed = " ".join(fold(text).strip(" .!¡¿?").split())
    if question.kind == "scale" and re.fullmatch(r"\d{1,3}", typed):
        return int(typed) if int(typed) in scale_values(question) else None
    if question.kind == "yesno":
        return "yes" if typed in YES_WORDS else "no" if typed in NO_WORDS else None
    if question.kind == "single":
        for option in question.options or []:
            if fold(pick_text(option["text"], language, default)).strip() == typed:
                return option["id"]
    return None


def answer_text(question: Question, value: Any, tr: Translator, default: str) -> str:
    if value is None or value == [] or value == "":
        return "—"
    kind = question.kind
    if kind == "single":
        return option_label(question, str(value), tr.language, default)
    if kind == "multiple":
        return ", ".join(option_label(question, str(v), tr.language, default) for v in value)
    if kind == "yesno":
        return tr("Yes") if value == "yes" else tr("No")
    if kind in ("number", "scale"):
        unit = f" {question.unit}" if question.unit else ""
        return format_number(value, tr.language) + unit
    if kind == "date":
        try:
            return format_day(date.fromisoformat(str(value)), tr.language)
        except ValueError:
            return str(value)
    return str(value)


def answer_cell(question: Question, value: Any, default: str) -> str:
    """An answer for CSV/XLSX: option ids joined by "; ", numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
