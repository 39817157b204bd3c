"""The answerer between records its words match alike, on a small catalog of its own: the
one whose title the question says in full, the kind that has the fact asked, a pace word
that names a course, phone spellings, a language change that is a setting, and a place's
records listed when any of their words mention it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import plain
from bot.qa.index import Speller
from bot.qa.names import said_share, title_words
from bot.qa.reply import Reader, compose

NETWORK = """
version: 1
courses:
  - id: mentoring-2031
    title: {es: "Tutoría de aprendices en la empresa", pt: "Tutoria de aprendizes na empresa"}
    topics: [apprenticeship]
    pace: tutored
    starts: 2031-06-02
    cost: {es: "USD 80", pt: "USD 80"}
  - id: robots-2031
    title: {es: "Robótica para la formación profesional"}
    topics: [robotics, climate-change]
    languages: [es, pt]
    starts: 2031-05-05
    certificate: false
  - id: assessors-2031
    title: {en: "Training skills assessors"}
    summary: {en: "For assessment bodies in the Caribbean and Central America."}
    starts: 2031-06-09
events:
  - id: vc-island-trades-2031
    title: {en: "Trades training in the Caribbean"}
    starts: 2031-05-20T14:00
    ends: 2031-05-20T15:00
    timezone: America/Port_of_Spain
    platform: Zoom
  - id: vc-robots-2031
    title: {es: "Robótica en la formación profesional"}
    starts: 2031-04-20T14:00
    ends: 2031-04-20T15:30
    timezone: America/Montevideo
    platform: Zoom
  - id: safety-board-2031
    title: {es: "Comité asesor de seguridad de las obras", en: "Works safety advisory board"}
    starts: 2031-04-16T09:00
    ends: 2031-04-16T10:00
    timezone: America/Montevideo
    platform: Webex
  - id: advisory-board-2031
    title: {es: "Reunión del Comité Asesor 2031", en: "Advisory Board Meeting 2031"}
    starts: 2031-05-10
    ends: 2031-05-12
    timezone: America/Panama
    location: "Ciudad de Panamá"
faq:
  - id: faq-bot-language
    question: {es: "¿Cómo cambio el idioma del bot?", en: "How do I change the bot's language?"}
    answer: {es: "Envía /idioma.", en: "Send /language."}
""".encode()
NOW = datetime(2031, 4, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    network = parse_network_files([("ties.yaml", NETWORK)])
    return Answerer(Catalog(network.courses, network.events, network.faq))


def best(answerer: Answerer, question: str, language: str) -> str | None:
    result = answerer.ask(question, language=language, zone="America/Montevideo", now=NOW)
    return result.best.id if result.best is not None and result.confident else None


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿dónde es la reunión del comité asesor?", "es"),
        ("where is the advisory board meeting", "en"),
        ("until what day does the advisory board run", "en"),
    ],
)
def test_the_record_whose_name_is_said_wins_a_tie(
    answerer: Answerer, question: str, language: str
) -> None:
    assert best(answerer, question, language) == "advisory-board-2031"


def test_a_title_said_in_full_shares_more_than_one_said_in_part(answerer: Answerer) -> None:
    doc = answerer._by_key["event:advisory-board-2031"]
    other = answerer._by_key["event:safety-board-2031"]
    said = frozenset().union(*answerer._query(["advisory", "board"], "en"))
    assert said_share(title_words(doc), said) == 1.0
    assert said_share(title_words(other), said) == 0.5
    # one word names nothing
    assert said_share(title_words(doc), answerer._query(["board"], "en")[0]) == 0.0


def test_a_fact_only_courses_have_goes_to_the_course(answerer: Answerer) -> None:
    assert best(answerer, "la de robotica en la formacion da certificado?", "es") == "robots-2031"


def test_a_pace_word_after_the_kind_names_the_course(answerer: Answerer) -> None:
    result = answerer.ask("cuanto cuesta el curso de tutoria?", language="es", zone="UTC", now=NOW)
    assert result.best is not None and result.best.id == "mentoring-2031"
    assert result.intent == "cost" and "pace" not in result.also
    assert "80" in plain(compose(result, Reader("es", "UTC", True), NOW).text)


def test_changing_the_language_is_the_setting_not_a_course(answerer: Answerer) -> None:
    for question, language in [("quiero cambiar el idioma", "es"), ("change language", "en")]:
        assert best(answerer, question, language) == "faq-bot-language"


def test_spellings_that_sound_alike_are_corrected() -> None:
    speller = Speller({"curso", "quiero", "vamos", "calle"})
    assert speller.correct("curzo") == "curso"
    assert speller.correct("kiero") == "quiero"
    assert speller.correct("bamos") == "vamos"
    assert speller.correct("caye") == "calle"


def test_a_place_lists_every_record_that_mentions_it(answerer: Answerer) -> None:
    result = answerer.ask("caribbean activities", language="en", zone="UTC", now=NOW)
    assert result.listing is not None
    assert {h.id for h in result.listing} == {"assessors-2031", "vc-island-trades-2031"}
