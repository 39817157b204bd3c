"""Translator and the locale-aware formatting helpers of bot/core/i18n.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.i18n import (
    Translator,
    babel_locale,
    country_name,
    format_day,
    format_duration,
    format_local_datetime,
    format_local_time,
    format_number,
    format_pct,
    normalize_language,
    pick_text,
    zone_label,
)

MOMENT = datetime(2020, 3, 26, 17, 0, tzinfo=UTC)  # 14:00 in Montevideo, 18:00 in Madrid


@pytest.mark.parametrize(
    ("language", "yes", "cancelled"),
    [
        ("es", "Sí", "Cancelado. No se envió nada."),
        ("pt", "Sim", "Cancelado. Nada foi enviado."),
        ("en", "Yes", "Cancelled. Nothing was sent."),
    ],
)
def test_translator_speaks_three_languages(language: str, yes: str, cancelled: str) -> None:
    tr = Translator(language)
    assert tr.language == language
    assert tr("Yes") == yes
    assert tr("Cancelled. Nothing was sent.") == cancelled


def test_unknown_language_falls_back_to_spanish_and_unknown_ids_to_english() -> None:
    tr = Translator("fr")
    assert tr.language == "es" and tr.locale == "es" and tr("Yes") == "Sí"
    assert Translator("pt")("No such message {x}", x=1) == "No such message 1"
    assert Translator("pt").locale == "pt_BR"


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        (
            "es",
            "Recordatorio en cola de envío para 1 miembro.",
            "Recordatorio en cola de envío para 1.234 miembros.",
        ),
        ("en", "Reminder queued for 1 member.", "Reminder queued for 1,234 members."),
    ],
)
def test_ngettext_picks_the_plural_and_formats_n(language: str, one: str, many: str) -> None:
    tr = Translator(language)
    singular, plural = "Reminder queued for {n} member.", "Reminder queued for {n} members."
    assert tr.ngettext(singular, plural, 1) == one
    assert tr.ngettext(singular, plural, 1234) == many


@pytest.mark.parametrize(
    ("code", "default", "expected"),
    [
        ("pt-BR", "es", "pt"),
        ("EN_us", "es", "en"),
        ("es-419", "pt", "es"),
        ("fr", "es", "es"),
        ("fr", "pt", "pt"),
        ("fr", "de", "es"),  # a default that is not ours either
        (None, "en", "en"),
        ("", "es", "es"),
    ],
)
def test_normalize_language(code: str | None, default: str, expected: str) -> None:
    assert normalize_language(code, default) == expected


@pytest.mark.parametrize(
    ("language", "montevideo", "madrid_time"),
    [
        ("es", "jueves, 26 de marzo de 2020, 14:00", "18:00"),
        ("pt", "quinta-feira, 26 de março de 2020, 14:00", "18:00"),
        ("en", "Thursday, March 26, 2020, 2:00\u202fPM", "6:00\u202fPM"),
    ],
)
def test_local_date_and_time(language: str, montevideo: str, madrid_time: str) -> None:
    assert format_local_datetime(MOMENT, "America/Montevideo", language) == montevideo
    assert format_local_time(MOMENT, "Europe/Madrid", language) == madrid_time


def test_local_time_follows_daylight_saving() -> None:
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    assert format_local_time(winter, "Europe/Madrid", "es") == "13:00"
    assert format_local_time(summer, "Europe/Madrid", "es") == "14:00"
    assert format_local_time(winter, "America/Santiago", "es") == "9:00"  # -03 in summer
    assert format_local_time(summer, "America/Santiago", "es") == "8:00"  # -04 in winter


def test_local_datetime_changes_day_across_midnight() -> None:
    late = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert format_local_datetime(late, "America/Mexico_City", "es").startswith("jueves, 3 de")
    assert format_local_datetime(late, "Europe/Madrid", "es").startswith("viernes, 4 de")


@pytest.mark.parametrize(
    ("language", "long", "full", "number", "pct"),
    [
        ("es", "3 de diciembre de 2026", "jueves, 3 de diciembre de 2026", "1.234,5", "26\xa0%"),
        ("pt", "3 de dezembro de 2026", "quinta-feira, 3 de dezembro de 2026", "1.234,5", "26%"),
        ("en", "December 3, 2026", "Thursday, December 3, 2026", "1,234.5", "26%"),
    ],
)
def test_days_numbers_and_percentages(
    language: str, long: str, full: str, number: str, pct: str
) -> None:
    assert format_day(date(2026, 12, 3), language) == long
    assert format_day(date(2026, 12, 3), language, "full") == full
    assert format_number(1234.5, language) == number
    assert format_pct(0.256, language) == pct


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", ["30 minutos", "1 hora", "1 hora y 30 minutos", "2 días", "25 horas"]),
        ("pt", ["30 minutos", "1 hora", "1 hora e 30 minutos", "2 dias", "25 horas"]),
        ("en", ["30 minutes", "1 hour", "1 hour and 30 minutes", "2 days", "25 hours"]),
    ],
)
def test_durations_are_exact_to_the_minute(language: str, expected: list[str]) -> None:
    minutes = (30, 60, 90, 2880, 1500)
    assert [format_duration(timedelta(minutes=m), language) for m in minutes] == expected


def test_zone_and_country_names() -> None:
    assert zone_label("America/Montevideo", "es") == "hora de Uruguay"
    assert zone_label("America/Montevideo", "en") == "Uruguay Time"
    assert zone_label("Nowhere/X", "en") == "Nowhere/X"
    assert country_name("uy", "pt") == "Uruguai"
    assert country_name("BR", "es") == "Brasil"
    assert country_name("ES", "en") == "Spain"
    assert babel_locale("pt") == "pt_BR" and babel_locale("xx") == "es"


@pytest.mark.parametrize(
    ("texts", "language", "default", "expected"),
    [
        ({"es": "Hola", "pt": "Olá", "en": "Hello"}, "en", "es", "Hello"),
        ({"es": "Hola", "pt": "Olá"}, "en", "es", "Hola"),  # the default language
        ({"es": "Hola", "pt": "Olá"}, "en", "pt", "Olá"),
        ({"pt": "Olá"}, "en", "es", "Olá"),  # whichever exists
        ({"en": "", "es": "Hola"}, "en", "es", "Hola"),  # an empty text does not count
        ({"en": ""}, "en", "es", ""),
        ({}, "en", "es", ""),
        (None, "en", "es", ""),
    ],
)
def test_pick_text_fallbacks(
    texts: dict[str, str] | None, language: str, default: str, expected: str
) -> None:
    assert pick_text(texts, language, default) == expected
