"""The answerer on bare topics and kinds of record, on a small catalog of its own: an FAQ
keyword of several words is not matched by one of them, a topic of two words that a title
holds whole finds that record, "the next webinar" is the soonest online talk coming (a
videoconference when no webinar is), and the plural words members use for courses say
courses (unless training is the subject: "sobre las capacitaciones")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog, Result
from bot.qa.question import analyse
from bot.qa.text import fold

NETWORK = """
version: 1
courses:
  - id: retail-data-2031
    title: {es: "Big Data en el comercio", pt: "Big Data no comércio", en: "Big Data in retail"}
    starts: 2031-06-02
  - id: bakery-2031
    title: {es: "Panadería artesanal", pt: "Panificação artesanal", en: "Craft bakery"}
    starts: 2031-07-01
events:
  - id: vc-late-2031
    title: {es: "Hornos eficientes", pt: "Fornos eficientes", en: "Efficient ovens"}
    kind: videoconference
    starts: 2031-06-20T14:00
    ends: 2031-06-20T15:00
    timezone: America/Montevideo
    platform: Zoom
  - id: vc-soon-2031
    title: {es: "Vitrinas que venden", pt: "Vitrines que vendem", en: "Shop windows that sell"}
    kind: videoconference
    starts: 2031-04-20T14:00
    ends: 2031-04-20T15:00
    timezone: America/Montevideo
    platform: Zoom
  - id: webinar-past-2031
    title: {es: "Harinas locales", pt: "Farinhas locais", en: "Local flours"}
    kind: webinar
    starts: 2031-03-02T14:00
    ends: 2031-03-02T15:00
    timezone: America/Montevideo
    platform: Zoom
faq:
  - id: faq-figures
    question: {es: "¿Dónde veo las cifras del sector?", pt: "Onde vejo os números do setor?",
               en: "Where do I see the sector's figures?"}
    answer: {es: "En el tablero.", pt: "No painel.", en: "On the dashboard."}
    keywords: {es: [cifras, datos], pt: [números, dados], en: [figures, data]}
  - id: faq-forget
    question: {es: "¿Cómo me doy de baja?", pt: "Como saio da lista?",
               en: "How do I leave the list?"}
    answer: {es: "Envía /stop.", pt: "Envie /stop.", en: "Send /stop."}
    keywords: {es: [borrar mis datos], pt: [apagar meus dados], en: [delete my data]}
  - id: faq-join
    question: {es: "¿Cómo me conecto a un webinar?", pt: "Como entro em um webinar?",
               en: "How do I join a webinar?"}
    answer: {es: "Con el enlace.", pt: "Com o link.", en: "With the link."}
    keywords: {es: [webinar, enlace, conectarme], pt: [webinar, link, entrar],
               en: [webinar, link, join]}
""".encode()
NOW = datetime(2031, 4, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    network = parse_network_files([("topics.yaml", NETWORK)])
    return Answerer(Catalog(network.courses, network.events, network.faq))


def ask(answerer: Answerer, question: str, language: str) -> Result:
    return answerer.ask(question, language=language, zone="America/Montevideo", now=NOW)


def best(answerer: Answerer, question: str, language: str) -> str | None:
    result = ask(answerer, question, language)
    return result.best.id if result.best is not None and result.confident else None


@pytest.mark.parametrize(
    ("question", "language"), [("data", "en"), ("datos", "es"), ("dados", "pt")]
)
def test_one_word_of_a_keyword_phrase_does_not_match_it(
    answerer: Answerer, question: str, language: str
) -> None:
    assert best(answerer, question, language) != "faq-forget"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("how do I delete my data?", "en"),
        ("quiero borrar mis datos", "es"),
        ("como apago meus dados?", "pt"),
    ],
)
def test_a_keyword_phrase_said_whole_matches(
    answerer: Answerer, question: str, language: str
) -> None:
    assert best(answerer, question, language) == "faq-forget"


@pytest.mark.parametrize("language", ["en", "es", "pt"])
def test_a_bare_topic_a_title_holds_whole_finds_the_record(
    answerer: Answerer, language: str
) -> None:
    result = ask(answerer, "big data", language)
    found = [hit.id for hit in (result.listing or result.hits[:1])]
    assert result.confident and "retail-data-2031" in found


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("when is the next webinar?", "en"),
        ("¿cuándo es el próximo webinar?", "es"),
        ("quando é o próximo webinar?", "pt"),
    ],
)
def test_the_next_webinar_is_the_soonest_online_talk_coming(
    answerer: Answerer, question: str, language: str
) -> None:
    assert best(answerer, question, language) == "vc-soon-2031"


@pytest.mark.parametrize(
    ("question", "language"),
    [("capacitaciones", "es"), ("capacitações", "pt"), ("trainings", "en")],
)
def test_plural_words_for_courses_list_the_courses(
    answerer: Answerer, question: str, language: str
) -> None:
    result = ask(answerer, question, language)
    listed = [hit.id for hit in result.listing or []]
    assert listed == ["retail-data-2031", "bakery-2031"]


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿qué capacitaciones hay sobre panadería?", "es"),
        ("quais capacitações sobre panificação?", "pt"),
        ("trainings on bakery", "en"),
    ],
)
def test_plural_words_for_courses_ask_for_a_course(
    answerer: Answerer, question: str, language: str
) -> None:
    result = ask(answerer, question, language)
    assert result.best is not None and result.best.id == "bakery-2031"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿qué hay sobre las capacitaciones?", "es"),
        ("o que há sobre as capacitações?", "pt"),
        ("anything about trainings?", "en"),
    ],
)
def test_trainings_as_a_subject_ask_for_no_kind_of_record(question: str, language: str) -> None:
    text = question.lower()
    rest = fold(text)
    asked, _ = analyse(text, rest, None, language, NOW)
    assert asked.kind is None
