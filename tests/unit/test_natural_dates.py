"""Natural dates in es, pt and en (bot.core.timeparse.natural_moment) on a fixed clock, in
several zones, across daylight-saving changes; the examples shown are in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.timeparse import example_day, example_moment, natural_moment, parse_natural

# Wednesday 2 December 2026, 12:00 UTC = 09:00 in Montevideo, 13:00 in Madrid.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def local(text: str, zone: str, now: datetime = NOW) -> datetime | None:
    moment = natural_moment(text, now, zone)
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mañana a las 10", datetime(2026, 12, 3, 10, 0)),
        ("Mañana 10:00", datetime(2026, 12, 3, 10, 0)),
        ("pasado mañana 15:30", datetime(2026, 12, 4, 15, 30)),
        ("el viernes 10h", datetime(2026, 12, 4, 10, 0)),
        ("amanhã 15h", datetime(2026, 12, 3, 15, 0)),
        ("sexta às 9h", datetime(2026, 12, 4, 9, 0)),
        ("quarta-feira 14h", datetime(2026, 12, 2, 14, 0)),
        ("tomorrow 10am", datetime(2026, 12, 3, 10, 0)),
        ("next friday 3pm", datetime(2026, 12, 4, 15, 0)),
        ("3 de diciembre 10:00", datetime(2026, 12, 3, 10, 0)),
        ("el 3 de diciembre a las 10", datetime(2026, 12, 3, 10, 0)),
        ("3 de dezembro às 10h30", datetime(2026, 12, 3, 10, 30)),
        ("December 3 10am", datetime(2026, 12, 3, 10, 0)),
        ("December 3rd, 2027 9:30 pm", datetime(2027, 12, 3, 21, 30)),
        ("10 de enero a las 9", datetime(2027, 1, 10, 9, 0)),  # January: next year's
        ("2026-12-05 09:00", datetime(2026, 12, 5, 9, 0)),
        ("05/12/2026 09:00", datetime(2026, 12, 5, 9, 0)),
        ("hoy a las 18", datetime(2026, 12, 2, 18, 0)),
        ("8am", datetime(2026, 12, 3, 8, 0)),  # 8:00 has passed today: tomorrow's
    ],
)
def test_natural_dates_in_three_languages(typed: str, expected: datetime) -> None:
    assert local(typed, "America/Montevideo") == expected


@pytest.mark.parametrize("typed", ["in 2 hours", "en 2 horas", "daqui a 2 horas", "em 2 horas"])
def test_spans_from_now(typed: str) -> None:
    assert natural_moment(typed, NOW, "Europe/Madrid") == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    "typed", ["hola", "25:00", "tomorrow 13pm", "15", "mañana", "3 de dezembro", "31/02 10:00"]
)
def test_unreadable_or_without_a_time(typed: str) -> None:
    assert natural_moment(typed, NOW, "America/Sao_Paulo") is None


def test_a_past_time_is_read_so_that_it_can_be_refused() -> None:
    moment = natural_moment("1 de diciembre 10:00", NOW, "America/Montevideo")
    assert moment is not None and moment < NOW  # not moved to next year: refused as past


def test_a_weekday_whose_hour_passed_means_next_week() -> None:
    wednesday_noon = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # 12:00 in Montevideo
    assert local("miércoles 10h", "America/Montevideo", wednesday_noon) == datetime(
        2026, 12, 9, 10, 0
    )


def test_the_same_words_in_other_zones() -> None:
    assert natural_moment("mañana a las 10", NOW, "Europe/Madrid") == datetime(
        2026, 12, 3, 9, 0, tzinfo=UTC
    )
    assert natural_moment("mañana a las 10", NOW, "America/Mexico_City") == datetime(
        2026, 12, 3, 16, 0, tzinfo=UTC
    )
    # In Madrid at 00:30 on the 3rd, "tomorrow" is the 4th already.
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    assert local("tomorrow 10am", "Europe/Madrid", late) == datetime(2026, 12, 4, 10, 0)
    assert local("tomorrow 10am", "America/Montevideo", late) == datetime(2026, 12, 3, 10, 0)


def test_daylight_saving_changes() -> None:
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # Madrid skips 02:00-03:00 on the 28th
    with pytest.raises(ValueError, match="does not exist"):
        natural_moment("mañana a las 2:30", saturday, "Europe/Madrid")
    assert natural_moment("mañana a las 10", saturday, "Europe/Madrid") == datetime(
        2027, 3, 28, 8, 0, tzinfo=UTC
    )  # summer time already: UTC+2
    # "in 24 hours" is a span, whatever the wall clocks do.
    assert natural_moment("in 24 hours", saturday, "Europe/Madrid") == saturday + timedelta(1)
    santiago = datetime(2027, 4, 2, 12, 0, tzinfo=UTC)  # Chile: 23:00-24:00 on the 3rd twice
    with pytest.raises(ValueError, match="twice"):
        natural_moment("tomorrow 23:30", santiago, "America/Santiago")


def test_parse_natural_parts() -> None:
    today = date(2026, 12, 2)
    parsed = parse_natural("3 de dezembro", today)
    assert parsed is not None and parsed.day == date(2026, 12, 3) and parsed.clock is None
    parsed = parse_natural("15:30", today)
    assert parsed is not None and parsed.day is None and parsed.clock == time(15, 30)


@pytest.mark.parametrize(
    ("locale", "zone", "shown"),
    [
        ("es", "America/Montevideo", "3 de diciembre 10:00"),
        ("pt_BR", "America/Sao_Paulo", "3 de dezembro 10:00"),
        ("en", "Europe/Madrid", "December 3 10:00\u202fAM"),
    ],
)
def test_examples_are_in_the_future_and_readable_back(locale: str, zone: str, shown: str) -> None:
    assert example_moment(NOW, zone, locale) == shown
    moment = natural_moment(shown, NOW, zone)
    assert moment is not None and moment > NOW
    assert example_day(NOW, zone, locale).startswith(("9 de", "December 9"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ayer a las 10", datetime(2026, 12, 1, 10, 0)),
        ("ontem às 10h", datetime(2026, 12, 1, 10, 0)),
        ("yesterday 10am", datetime(2026, 12, 1, 10, 0)),
        ("anteayer 9:00", datetime(2026, 11, 30, 9, 0)),
    ],
)
def test_a_day_in_the_past_is_read_so_that_it_can_be_refused_as_past(
    typed: str, expected: datetime
) -> None:
    """Not "unreadable": the event wizard and /broadcast say the moment has passed."""
    assert local(typed, "America/Montevideo") == expected
