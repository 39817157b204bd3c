"""The survey logic (bot/core/survey_flow.py) on a tiny question type: show_if, moving
forward and back, progress, required answers, pruning, typed answers and answers as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.core.i18n import Translator
from bot.core.survey_flow import (
    Parsed,
    Question,
    answer_cell,
    answer_text,
    answered_of,
    missing_required,
    next_index,
    parse_typed,
    previous_index,
    progress,
    prune_hidden,
    scale_values,
    visible,
)


@dataclass
class Q:
    id: str
    kind: str = "text"
    text: dict[str, str] = field(default_factory=lambda: {"en": "?"})
    options: list[dict[str, Any]] | None = None
    min_value: float | None = None
    max_value: float | None = None
    unit: str | None = None
    max_length: int | None = None
    required: bool = True
    show_if: dict[str, Any] | None = None


OPTIONS = [
    {"id": "x", "text": {"es": "Equis", "pt": "Xis", "en": "Ex"}},
    {"id": "y", "text": {"es": "Ye"}},
]
# a -> b only on "yes"; c (optional, multiple) -> d only if "y" is among its answers;
# e (scale) -> f only on 4 or 5.
SURVEY: list[Q] = [
    Q("a", "yesno"),
    Q("b", "text", show_if={"question": "a", "in": ["yes"]}),
    Q("c", "multiple", options=OPTIONS, required=False),
    Q("d", "text", show_if={"question": "c", "in": ["y"]}),
    Q("e", "scale", min_value=1, max_value=5),
    Q("f", "text", show_if={"question": "e", "in": [4, 5]}),
]
EN, ES, PT = Translator("en"), Translator("es"), Translator("pt")


def test_the_test_question_satisfies_the_protocol() -> None:
    question: Question = SURVEY[0]  # mypy checks the structural match
    assert question.id == "a"


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({}, "ace"),
        ({"a": "yes"}, "abce"),
        ({"a": "no"}, "ace"),
        ({"a": "yes", "c": ["x", "y"], "e": 5}, "abcdef"),
        ({"c": ["x"]}, "ace"),
        ({"c": "y"}, "acde"),  # a single value is compared like a list of one
        ({"e": 4}, "acef"),
        ({"e": "4"}, "acef"),  # numbers and their text are the same answer
        ({"e": 3}, "ace"),
    ],
)
def test_visible(answers: dict[str, Any], shown: str) -> None:
    assert "".join(q.id for q in SURVEY if visible(q, answers)) == shown


def test_next_and_previous_skip_hidden_questions() -> None:
    no = {"a": "no"}
    assert next_index(SURVEY, no, 1) == 2  # b is hidden
    assert next_index(SURVEY, {"a": "yes"}, 1) == 1
    assert next_index(SURVEY, no, -5) == 0
    assert next_index(SURVEY, no, 5) is None  # f hidden, and it is the last
    assert next_index(SURVEY, no, 99) is None
    assert [previous_index(SURVEY, no, i) for i in range(8)] == [None, 0, 0, 2, 2, 4, 4, 4]
    everything = {"a": "yes", "c": ["y"], "e": 5}
    assert [previous_index(SURVEY, everything, i) for i in range(7)] == [None, 0, 1, 2, 3, 4, 5]


def test_progress_counts_what_may_still_come_and_only_shrinks() -> None:
    assert progress(SURVEY, {}, 0) == (1, 6)  # b, d, f may still come
    assert progress(SURVEY, {"a": "yes"}, 1) == (2, 6)
    assert progress(SURVEY, {"a": "no"}, 2) == (2, 5)  # b is ruled out
    ruled_out = {"a": "no", "c": ["x"], "e": 2}
    assert [progress(SURVEY, ruled_out, i) for i in range(6)] == [
        (1, 3),
        (1, 3),
        (2, 3),
        (2, 3),
        (3, 3),
        (3, 3),
    ]
    assert answered_of(SURVEY, ruled_out) == (3, 3)
    assert answered_of(SURVEY, {"a": "yes", "b": "", "c": []}) == (1, 5)  # [] rules d out


def test_missing_required_ignores_hidden_and_optional_questions() -> None:
    assert missing_required(SURVEY, {}) == [0, 4]  # c is optional, b/d/f hidden
    assert missing_required(SURVEY, {"a": "yes"}) == [1, 4]
    assert missing_required(SURVEY, {"a": "yes", "b": "", "e": 5}) == [1, 5]
    assert missing_required(SURVEY, {"a": "no", "c": ["y"], "e": 1}) == [3]
    assert missing_required(SURVEY, {"a": "no", "c": ["y"], "d": "z", "e": 1}) == []


def test_prune_hidden_drops_answers_an_earlier_change_hid() -> None:
    stale = {"a": "no", "b": "old", "c": ["x"], "d": "old", "e": 4, "f": "kept"}
    assert prune_hidden(SURVEY, stale) == ["b", "d"]
    assert prune_hidden(SURVEY, {"a": "yes", "b": "ok"}) == []
    chain = [
        Q("a", "yesno"),
        Q("b", "yesno", show_if={"question": "a", "in": ["yes"]}),
        Q("c", "text", show_if={"question": "b", "in": ["yes"]}),
    ]
    # b goes with a's new answer, and c with b although c's own condition was met
    assert prune_hidden(chain, {"a": "no", "b": "yes", "c": "x"}) == ["b", "c"]


def test_scale_values() -> None:
    assert scale_values(Q("s", "scale")) == [1, 2, 3, 4, 5]
    assert scale_values(Q("s", "scale", min_value=0, max_value=10)) == list(range(11))


# ------------------------------------------------------------------ typed answers
HOURS = Q("n", "number", min_value=0, max_value=100, unit="h")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("42,5", 42.5),
        ("3.50", 3.5),
        (" 7 h", 7),
        ("7h", 7),
        ("50%", 50),
        ("00012", 12),
        ("0", 0),
        ("100", 100),
    ],
)
def test_numbers_are_read(text: str, value: float) -> None:
    parsed = parse_typed(HOURS, text, EN)
    assert parsed == Parsed(value) and type(parsed.value) is type(value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("101", "That number is out of range. Between 0 and 100 h."),
        ("-1", "That number is out of range. Between 0 and 100 h."),
        ("abc", "Write a number. Between 0 and 100 h."),
        ("1e3", "Write a number. Between 0 and 100 h."),
        ("", "Write a number. Between 0 and 100 h."),
        ("1.", "Write a number. Between 0 and 100 h."),
        ("1234567890123456", "Write a number. Between 0 and 100 h."),  # 16 digits
    ],
)
def test_numbers_are_refused_with_the_range(text: str, problem: str) -> None:
    assert parse_typed(HOURS, text, EN) == Parsed(problem=problem)


def test_number_bounds_on_one_side_and_localized_hints() -> None:
    at_least = Q("n", "number", min_value=10)
    assert parse_typed(at_least, "5", EN).problem == "That number is out of range. At least 10."
    at_most = Q("n", "number", max_value=1000.5)
    assert parse_typed(at_most, "1000.5", EN) == Parsed(1000.5)
    assert parse_typed(at_most, "1001", EN).problem == (
        "That number is out of range. At most 1,000.5."
    )
    assert parse_typed(at_most, "1001", ES).problem == (
        "Ese número está fuera de rango. Como máximo 1.000,5."
    )
    assert parse_typed(Q("n", "number"), "x", PT).problem == "Escreva um número."
    assert parse_typed(Q("n", "number"), "123456789012345", EN) == Parsed(123456789012345)


@pytest.mark.parametrize("text", ["2026-12-03", "03/12/2026", "3-12-2026", " 2026-12-03 "])
def test_dates_are_read_as_iso(text: str) -> None:
    assert parse_typed(Q("d", "date"), text, EN) == Parsed("2026-12-03")


@pytest.mark.parametrize("text", ["2026-02-30", "tomorrow", "12/2026", ""])
def test_dates_are_refused(text: str) -> None:
    assert parse_typed(Q("d", "date"), text, PT) == Parsed(
        problem="Escreva uma data assim: 2026-12-03 (ou 03/12/2026)."
    )


def test_text_answers_are_trimmed_and_bounded() -> None:
    short = Q("t", "text", max_length=5)
    assert parse_typed(short, "  hello  ", EN) == Parsed("hello")
    assert parse_typed(short, "hello!", EN) == Parsed(
        problem="That is 6 characters; please keep it to 5 at most."
    )
    assert parse_typed(short, "   ", ES) == Parsed(problem="Escribe tu respuesta en un mensaje.")
    unbounded = Q("t", "text")  # 1000 by default
    assert parse_typed(unbounded, "x" * 1000, EN) == Parsed("x" * 1000)
    assert parse_typed(unbounded, "x" * 1001, ES).problem == (
        "Son 1.001 caracteres; escribe como máximo 1.000, por favor."
    )


# ------------------------------------------------------------------ answers as text
def test_answer_text_per_kind() -> None:
    single = Q("s", "single", options=OPTIONS)
    multiple = Q("m", "multiple", options=OPTIONS)
    yesno = Q("y", "yesno")
    assert answer_text(single, "x", PT, "es") == "Xis"
    assert answer_text(single, "y", PT, "es") == "Ye"  # falls back to the default language
    assert answer_text(single, "gone", PT, "es") == "gone"  # an option since removed
    assert answer_text(multiple, ["x", "y"], EN, "es") == "Ex, Ye"
    assert answer_text(yesno, "yes", ES, "es") == "Sí"
    assert answer_text(yesno, "no", PT, "es") == "Não"
    assert answer_text(HOURS, 1234.5, ES, "es") == "1.234,5 h"
    assert answer_text(HOURS, 1234.5, EN, "es") == "1,234.5 h"
    assert answer_text(Q("e", "scale"), 4, EN, "es") == "4"
    assert answer_text(Q("d", "date"), "2026-12-03", ES, "es") == "3 de diciembre de 2026"
    assert answer_text(Q("d", "date"), "2026-12-03", EN, "es") == "December 3, 2026"
    assert answer_text(Q("d", "date"), "garbage", EN, "es") == "garbage"
    assert answer_text(Q("t", "text"), "<b>", EN, "es") == "<b>"
    empties: tuple[Any, ...] = (None, "", [])
    for empty in empties:
        assert answer_text(multiple, empty, EN, "es") == "—"


def test_answer_cell() -> None:
    assert answer_cell(Q("m", "multiple"), ["x", "y"], "es") == "x; y"
    assert answer_cell(HOURS, 12.5, "es") == "12.5"
    assert answer_cell(HOURS, None, "es") == ""


def test_a_typed_button() -> None:
    from bot.core.survey_flow import typed_choice
    from storage.models import Question as Row

    scale = Row(survey_id="s", id="a", kind="scale", text={"es": "x"}, min_value=1, max_value=5)
    assert [typed_choice(scale, t, "es", "es") for t in ("5", " 3. ", "0", "6", "50%")] == [
        5,
        3,
        None,
        None,
        None,
    ]
    yesno = Row(survey_id="s", id="b", kind="yesno", text={"es": "x"})
    assert [typed_choice(yesno, t, "es", "es") for t in ("Sí", "NÃO", "yes!", "tal vez")] == [
        "yes",
        "no",
        "yes",
        None,
    ]
    options = [{"id": "o1", "text": {"es": "En línea", "en": "Online"}}]
    single = Row(survey_id="s", id="c", kind="single", text={"es": "x"}, options=options)
    assert typed_choice(single, "en linea", "es", "es") == "o1"
    assert typed_choice(single, "online", "es", "es") is None  # another language's label
    assert typed_choice(single, "1", "es", "es") is None  # no numbers for options
