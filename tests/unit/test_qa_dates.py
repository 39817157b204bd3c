"""Date words in questions (bot/qa/dates.py), in Spanish, Portuguese and English, relative to
a fixed day: Tuesday 1 December 2026."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.text import fold
from bot.qa.dates import DateSpan, find_date_span

TODAY = date(2026, 12, 1)  # a Tuesday
THURSDAY = 3


def span_of(question: str, today: date = TODAY) -> DateSpan | None:
    return find_date_span(fold(question), today)[0]


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("¿qué eventos hay mañana?", date(2026, 12, 2), date(2026, 12, 2)),
        ("o que tem amanhã?", date(2026, 12, 2), date(2026, 12, 2)),
        ("anything tomorrow?", date(2026, 12, 2), date(2026, 12, 2)),
        ("pasado mañana", date(2026, 12, 3), date(2026, 12, 3)),
        ("depois de amanhã", date(2026, 12, 3), date(2026, 12, 3)),
        ("hoy", TODAY, TODAY),
        ("hoje à noite", TODAY, TODAY),
        ("this week", TODAY, date(2026, 12, 6)),  # from today to Sunday
        ("esta semana", TODAY, date(2026, 12, 6)),
        ("next week", date(2026, 12, 7), date(2026, 12, 13)),  # Monday to Sunday
        ("semana que vem", date(2026, 12, 7), date(2026, 12, 13)),
        ("la próxima semana", date(2026, 12, 7), date(2026, 12, 13)),
        ("this month", TODAY, date(2026, 12, 31)),
        ("próximo mes", date(2027, 1, 1), date(2027, 1, 31)),  # across the year end
        ("mês que vem", date(2027, 1, 1), date(2027, 1, 31)),
        ("next year", date(2027, 1, 1), date(2027, 12, 31)),
        ("2026-12-25", date(2026, 12, 25), date(2026, 12, 25)),
    ],
)
def test_relative_words(question: str, first: date, last: date) -> None:
    span = span_of(question)
    assert span is not None and (span.first, span.last) == (first, last)
    assert not span.loose


@pytest.mark.parametrize(
    "question",
    ["anything next thursday?", "what is on thursday", "eventos el jueves", "o que tem na quinta"],
)
def test_weekdays_mean_the_coming_one(question: str) -> None:
    # The coming Thursday first; later Thursdays (8 weeks) count when that one has nothing.
    span = span_of(question)
    assert span == DateSpan(date(2026, 12, 3), date(2027, 1, 28), weekday=THURSDAY)
    assert span.matches(date(2026, 12, 3)) and span.matches(date(2026, 12, 10))
    assert not span.matches(date(2026, 12, 4)) and not span.matches(date(2027, 2, 4))


def test_todays_weekday_covers_today_and_the_weeks_after() -> None:
    span = span_of("martes")
    assert span is not None and (span.first, span.last, span.weekday) == (
        TODAY,
        date(2027, 1, 26),
        1,
    )
    assert span.matches(date(2026, 12, 8)) and not span.matches(date(2026, 12, 2))


@pytest.mark.parametrize(
    ("question", "month", "year"),
    [
        ("cursos en octubre", 10, 2027),
        ("cursos em outubro", 10, 2027),
        ("courses in october", 10, 2027),
        ("en marzo", 3, 2027),
        ("em março", 3, 2027),
        ("in september", 9, 2027),
        ("setiembre", 9, 2027),
        ("which courses start in june", 6, 2027),  # as short as an abbreviation
        ("events in july", 7, 2027),
        ("cursos de diciembre", 12, 2026),  # this month
        ("in november", 11, 2026),  # last month still counts as this year's
    ],
)
def test_month_names_without_a_year_mean_the_next_or_recent_one(
    question: str, month: int, year: int
) -> None:
    span = span_of(question)
    assert span is not None and span.loose and not span.with_day
    assert (span.first.year, span.first.month, span.first.day) == (year, month, 1)
    assert span.last.month == month and (span.last.replace(day=1) == span.first)
    assert span.matches(date(2019, month, 15))  # loose: other years' records match too


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("in october 2025", date(2025, 10, 1), date(2025, 10, 31)),
        ("em janeiro de 2027", date(2027, 1, 1), date(2027, 1, 31)),
        ("febrero 2028", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
    ],
)
def test_month_with_a_year_is_exact(question: str, first: date, last: date) -> None:
    assert span_of(question) == DateSpan(first, last)


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("la videoconferencia del 26 de marzo", date(2027, 3, 26)),
        ("a videoconferência de 26 de março", date(2027, 3, 26)),
        ("the videoconference of March 26", date(2027, 3, 26)),
        ("on March 26th", date(2027, 3, 26)),
        ("26/03", date(2027, 3, 26)),
        ("el 15 de diciembre", date(2026, 12, 15)),
        ("el 20 de noviembre", date(2026, 11, 20)),  # within the last month: this year
    ],
)
def test_day_and_month_without_a_year(question: str, day: date) -> None:
    span = span_of(question)
    assert span == DateSpan(day, day, loose=True, with_day=True)
    assert span.matches(day.replace(year=2020)) and not span.matches(date(2020, 3, 27))


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("26 de marzo de 2020", date(2020, 3, 26)),
        ("March 26, 2020", date(2020, 3, 26)),
        ("26/03/2020", date(2020, 3, 26)),
        ("26/03/20", date(2020, 3, 26)),
    ],
)
def test_day_month_and_year_are_exact(question: str, day: date) -> None:
    assert span_of(question) == DateSpan(day, day)


@pytest.mark.parametrize(
    "question",
    [
        "mar del plata",  # "mar" alone is the sea, not March
        "set de herramientas",
        "cursos online",
        "31 de febrero",  # no such day
        "",
    ],
)
def test_no_date(question: str) -> None:
    assert span_of(question) is None


def test_the_date_words_are_cut_from_the_question() -> None:
    span, rest = find_date_span(fold("¿Qué eventos hay mañana en Zoom?"), TODAY)
    assert span is not None and rest.split() == ["¿que", "eventos", "hay", "en", "zoom?"]
    _, rest = find_date_span(fold("cursos en octubre"), TODAY)
    assert rest.split() == ["cursos", "en"]


def test_a_year_alone_spans_the_year() -> None:
    assert span_of("congreso 2027") == DateSpan(date(2027, 1, 1), date(2027, 12, 31))


def test_the_english_verb_may_is_not_a_month() -> None:
    assert span_of("may I enrol in a course?") is None
    assert span_of("you may join the webinar") is None
    assert span_of("events in may") is not None
    assert span_of("courses starting in may 2027") is not None
    assert span_of("what is on next may") is not None


@pytest.mark.parametrize(
    "question",
    [
        "anything on the week of March 17?",
        "¿qué hay la semana del 17 de marzo?",
        "o que tem na semana de 17/03?",
        "events the week of 19 March",
    ],
)
def test_the_week_of_a_day_is_its_monday_to_sunday(question: str) -> None:
    assert span_of(question) == DateSpan(date(2027, 3, 15), date(2027, 3, 21))


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("eventos desse mês", TODAY, date(2026, 12, 31)),
        ("o que tem nessa semana?", TODAY, date(2026, 12, 6)),
        ("what's on in the last week of January", date(2027, 1, 25), date(2027, 1, 31)),
        ("la primera semana de enero", date(2027, 1, 1), date(2027, 1, 7)),
        ("na segunda semana de janeiro", date(2027, 1, 8), date(2027, 1, 14)),
        ("a principios de febrero", date(2027, 2, 1), date(2027, 2, 10)),
        ("mid February", date(2027, 2, 11), date(2027, 2, 20)),
        ("no final de dezembro", date(2026, 12, 21), date(2026, 12, 31)),
        ("late February 2028", date(2028, 2, 21), date(2028, 2, 29)),
    ],
)
def test_a_part_of_a_month_is_its_days(question: str, first: date, last: date) -> None:
    """ "The last week of January" is its last seven days, not last week; the words saying
    the part are no topic of the question."""
    found, rest = find_date_span(fold(question), TODAY)
    assert found is not None and (found.first, found.last) == (first, last)
    assert not any(w in rest.split() for w in ("week", "semana", "principios", "final", "mid"))
