"""Lists and asks on a small catalog of its own: a provider's courses ("los cursos del
CETA"), a country's institutions' courses ("courses from Peruvian institutions"), the
courses that start in a month however the start is said ("arrancan", "kick off"),
"solo"/"only" saying nothing of what is asked, a recording asked as watching later, and
Castilian as a teaching language; what was learned at work is prior learning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.importer.network_file import parse_network_files
from bot.qa.documents import provider_countries
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import plain
from bot.qa.reply import Reader, compose

NETWORK = """
version: 1
institutions:
  - {id: ceta, acronym: CETA, name: {es: "Centro Técnico"}, country: PE, timezone: America/Lima}
  - {id: cetab, acronym: CETAB, name: {pt: "Centro Técnico"}, country: BR,
     timezone: America/Sao_Paulo}
courses:
  - id: welding-2031
    title: {es: "Soldadura industrial", en: "Industrial welding"}
    topics: [welding, metalwork]
    starts: 2031-06-09
    languages: [es, en]
    provider: CETA
  - id: bakery-2031
    title: {es: "Panadería artesanal", en: "Artisan bakery"}
    topics: [food, bakery]
    starts: 2031-09-01
    provider: CETA
  - id: solar-roofs-2031
    title: {es: "Techos solares para viviendas"}
    topics: [solar-energy]
    starts: 2031-06-23
    languages: [es]
    provider: CETAB
  - id: tourism-guides-2031
    title: {es: "Guías de turismo rural"}
    topics: [tourism]
    starts: 2031-10-06
    provider: Instituto Sur
  - id: first-job-2031
    title: {es: "Aprender en el primer trabajo", en: "Learning on your first job",
            pt: "Aprender no primeiro trabalho"}
    topics: [youth-employment]
    starts: 2031-11-10
  - id: rpl-2031
    title: {es: "Reconocimiento de aprendizajes previos", en: "Recognition of prior learning"}
    topics: [rpl]
    starts: 2031-11-03
events:
  - id: vc-welding-2031
    title: {es: "Videoconferencia: la soldadura en la industria"}
    starts: 2031-04-24T14:00
    ends: 2031-04-24T15:30
    timezone: America/Montevideo
  - id: meeting-lima-2031
    title: {es: "Reunión técnica de la red en Lima"}
    starts: 2031-05-20T09:00
    ends: 2031-05-20T17:00
    timezone: America/Lima
    location: "Lima, Perú"
  - id: workshop-lima-2031
    title: {es: "Taller de tutores de empresa"}
    starts: 2031-06-10T09:00
    ends: 2031-06-10T13:00
    timezone: America/Lima
    location: "Lima, Perú"
  - id: vc-cycle-opening-2031
    title: {pt: "Abertura do ciclo de videoconferências sobre a pandemia"}
    starts: 2031-05-06T14:00
    ends: 2031-05-06T15:30
    timezone: America/Sao_Paulo
  - id: vc-cycle-closing-2031
    title: {pt: "Encerramento do ciclo de videoconferências: lições aprendidas"}
    starts: 2031-07-01T14:00
    ends: 2031-07-01T15:30
    timezone: America/Sao_Paulo
faq:
  - id: faq-event-times
    question: {es: "¿Los horarios de los eventos están en mi hora local?"}
    answer: {es: "En tu hora local, y también en la del organizador."}
    keywords: {es: [hora local, zona horaria]}
  - id: faq-interpretation
    question: {es: "¿Las videoconferencias tienen interpretación simultánea?",
               en: "Do the videoconferences have simultaneous interpretation?"}
    answer: {es: "Sí, entre español y portugués.", en: "Yes, between Spanish and Portuguese."}
  - id: faq-recordings
    question: {es: "¿Las videoconferencias se graban? ¿Dónde veo las grabaciones?",
               en: "Are the videoconferences recorded? Where can I watch them?"}
    answer: {es: "Sí, en el canal de video.", en: "Yes, on the video channel."}
""".encode()
NOW = datetime(2031, 4, 7, 12, 0, tzinfo=UTC)
ZONE = "America/Montevideo"


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    data = parse_network_files([("network.yaml", NETWORK)])
    countries = provider_countries(data.institutions)
    return Answerer(Catalog(data.courses, data.events, data.faq, countries=countries))


def found(answerer: Answerer, question: str, language: str) -> list[str]:
    result = answerer.ask(question, language=language, zone=ZONE, now=NOW)
    listed = result.listing if result.listing is not None else result.hits[:1]
    return sorted(h.id for h in listed) if result.confident else []


@pytest.mark.parametrize(
    ("question", "language"),
    [("cuales son los cursos del CETA", "es"), ("me mostra os cursos do CETA", "pt")],
)
def test_a_providers_courses_are_listed_and_only_its(
    answerer: Answerer, question: str, language: str
) -> None:
    """The provider's name is a word of little weight in a course: said alone, it lists the
    provider's courses (CETAB's is another provider's)."""
    assert found(answerer, question, language) == ["bakery-2031", "welding-2031"]


@pytest.mark.parametrize(
    ("question", "language", "ids"),
    [
        ("courses from peruvian institutions", "en", ["bakery-2031", "welding-2031"]),
        ("cursos de instituciones peruanas", "es", ["bakery-2031", "welding-2031"]),
        ("cursos de instituições brasileiras", "pt", ["solar-roofs-2031"]),
    ],
)
def test_courses_of_a_countrys_institutions(
    answerer: Answerer, question: str, language: str, ids: list[str]
) -> None:
    """A course is where its provider is (the network's institutions say where), and a
    demonym names its country; "institutions" beside it says whose, not what about."""
    assert found(answerer, question, language) == ids


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("los cursos que arrancan en junio", "es"),
        ("wich of your courses kicks off in june", "en"),
        ("quais cursos arrancam em junho", "pt"),
    ],
)
def test_courses_starting_in_a_month_however_said(
    answerer: Answerer, question: str, language: str
) -> None:
    assert found(answerer, question, language) == ["solar-roofs-2031", "welding-2031"]


def test_only_is_not_what_a_question_is_about(answerer: Answerer) -> None:
    """ "solo" (only) shares a stem with "solares": it must not bring the solar course."""
    question = "las videoconf son solo en español o tienen interpretación?"
    assert found(answerer, question, "es") == ["faq-interpretation"]


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("no llegué a la videoconferencia, ¿se puede ver después?", "es"),
        ("is there a way to watch the videoconference later?", "en"),
    ],
)
def test_watching_later_asks_for_the_recording(
    answerer: Answerer, question: str, language: str
) -> None:
    assert found(answerer, question, language) == ["faq-recordings"]


def test_castilian_asks_the_teaching_languages(answerer: Answerer) -> None:
    result = answerer.ask(
        "el curso de soldadura lo dan en castellano?", language="es", zone=ZONE, now=NOW
    )
    assert result.best is not None and result.best.id == "welding-2031"
    reply = plain(compose(result, Reader("es", ZONE, True), NOW).text)
    assert "Español" in reply and "Inglés" in reply


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("is there a course on valuing what people learned on the job?", "en"),
        ("hay algo para validar lo que aprendieron en el trabajo?", "es"),
        ("tem curso sobre validar o que aprenderam no trabalho?", "pt"),
    ],
)
def test_learned_at_work_is_prior_learning(
    answerer: Answerer, question: str, language: str
) -> None:
    assert found(answerer, question, language) == ["rpl-2031"]


def test_event_times_asked_of_events_in_general_are_the_faqs(answerer: Answerer) -> None:
    """Events in the plural, none named: a city said only as a time zone ("la de Lima")
    does not make the meeting held there the answer."""
    question = "en los eventos, los horarios están en mi hora local o en la de Lima?"
    assert found(answerer, question, "es") == ["faq-event-times"]


def test_a_review_of_a_cycle_is_its_closing(answerer: Answerer) -> None:
    """ "Balanço" (a stock-taking) is what a closing session is for."""
    assert found(answerer, "quando foi o balanço do ciclo de videoconferências?", "pt") == [
        "vc-cycle-closing-2031"
    ]


EVENTS = """
version: 1
events:
  - id: meeting-new-direction-2031
    title: {es: "Presentación de la nueva dirección del centro"}
    starts: 2031-08-05T14:00
    ends: 2031-08-05T15:30
    timezone: America/Montevideo
  - id: webinar-crisis-2031
    title: {es: "Docentes frente a la crisis"}
    starts: 2031-05-13T14:00
    ends: 2031-05-13T15:30
    timezone: America/Montevideo
""".encode()


def test_heading_something_is_its_direction() -> None:
    """ "al frente de" (heading) is not "frente a" (facing)."""
    data = parse_network_files([("network.yaml", EVENTS)])
    answerer = Answerer(Catalog(data.courses, data.events, data.faq))
    question = "la reunión para conocer a la persona que queda al frente del centro"
    assert found(answerer, question, "es") == ["meeting-new-direction-2031"]
