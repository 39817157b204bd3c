"""The answerer on a small catalog of its own: a cancelled event is still found (and said
to be cancelled), two facts asked at once are both stated, a time is given with the event's
own zone, and "what is on" questions list that time's records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import plain
from bot.qa.reply import Reader, compose

NETWORK = """
version: 1
courses:
  - id: welding-2031
    title: {es: "Soldadura para la industria", en: "Welding for industry"}
    summary: {es: "Procesos de soldadura.", en: "Welding processes."}
    topics: [welding]
    languages: [es, en]
    starts: 2031-05-05
    ends: 2031-06-27
    hours: 60
    enroll_by: 2031-04-25
    enroll_url: https://example.org/weld
    cost: {es: "USD 120", en: "USD 120"}
    certificate: false
    provider: SENAI
events:
  - id: vc-bees-2031
    title: {es: "Apicultura y empleo rural", pt: "Apicultura e emprego rural",
            en: "Beekeeping and rural jobs"}
    starts: 2031-04-10T11:00
    ends: 2031-04-10T12:30
    timezone: America/Bogota
    platform: Zoom
    join_url: https://example.org/j/bees
  - id: meeting-ports-2031
    kind: meeting
    status: cancelled
    title: {es: "Encuentro sobre formación portuaria", en: "Port training meeting"}
    starts: 2031-04-22T09:00
    ends: 2031-04-22T17:00
    timezone: America/Panama
    location: "Ciudad de Panamá"
  - id: vc-care-2031
    title: {es: "Economía del cuidado", en: "The care economy"}
    starts: 2031-04-24T14:00
    ends: 2031-04-24T15:30
    timezone: America/Montevideo
    platform: Teams
""".encode()
NOW = datetime(2031, 4, 7, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    data = parse_network_files([("network.yaml", NETWORK)])
    return Answerer(Catalog(data.courses, data.events, data.faq))


def reply_to(answerer: Answerer, question: str, language: str) -> tuple[list[str], str]:
    result = answerer.ask(question, language=language, zone="America/Montevideo", now=NOW)
    text = plain(compose(result, Reader(language, "America/Montevideo", True), NOW).text)
    listed = result.listing if result.listing is not None else result.hits[:1]
    return [h.id for h in listed] if result.confident else [], text


@pytest.mark.parametrize(
    ("question", "language", "said"),
    [
        ("¿se canceló el encuentro sobre formación portuaria?", "es", "cancelad"),
        ("is the port training meeting still on?", "en", "cancelled"),
    ],
)
def test_a_cancelled_event_is_found_and_said_cancelled(
    answerer: Answerer, question: str, language: str, said: str
) -> None:
    found, text = reply_to(answerer, question, language)
    assert found == ["meeting-ports-2031"]
    assert said in text


def test_a_cancelled_event_is_not_listed_as_on(answerer: Answerer) -> None:
    found, _ = reply_to(answerer, "¿qué eventos hay en abril?", "es")
    assert found == ["vc-bees-2031", "vc-care-2031"]


@pytest.mark.parametrize(
    ("question", "language", "facts"),
    [
        ("¿cuándo empieza y cuánto cuesta el curso de soldadura?", "es", ["5 de mayo", "USD 120"]),
        ("does the welding course give a certificate and who offers it?", "en", ["No,", "SENAI"]),
        ("que dia é e qual o link da apicultura?", "pt", ["10 de abril", "example.org/j/bees"]),
    ],
)
def test_two_facts_asked_at_once_are_both_stated(
    answerer: Answerer, question: str, language: str, facts: list[str]
) -> None:
    _, text = reply_to(answerer, question, language)
    for fact in facts:
        assert fact in text


@pytest.mark.parametrize(
    ("question", "language", "zone"),
    [
        ("¿a qué hora es la videoconferencia de apicultura?", "es", "America/Bogota, UTC−5"),
        ("what time zone is the beekeeping webinar in?", "en", "Bogotá (America/Bogota"),
    ],
)
def test_a_time_names_the_events_own_zone(
    answerer: Answerer, question: str, language: str, zone: str
) -> None:
    _, text = reply_to(answerer, question, language)
    assert zone in text


@pytest.mark.parametrize(
    ("question", "language", "ids"),
    [
        ("eventos del jueves de esta semana", "es", ["vc-bees-2031"]),
        ("o que tem na quinta da semana que vem?", "pt", []),
        ("what events are there this weekend?", "en", []),
        ("which events are on the 24th of april?", "en", ["vc-care-2031"]),
    ],
)
def test_a_week_or_weekday_restricts_the_listing(
    answerer: Answerer, question: str, language: str, ids: list[str]
) -> None:
    result = answerer.ask(question, language=language, zone="America/Montevideo", now=NOW)
    assert result.listing is not None
    assert [h.id for h in result.listing] == ids
