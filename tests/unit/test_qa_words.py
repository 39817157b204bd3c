"""The answerer's words on a small catalog of its own: free courses listed on request, the
words of a field that share nothing with a record's title (ChatGPT and AI, solar panels and
photovoltaics, farmers and rural), "what do I do" read as a procedure the FAQ answers,
and a course on an off-topic subject still asked for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import plain
from bot.qa.index import concepts_of
from bot.qa.lexicon import PROCEDURAL
from bot.qa.phrases import normalize_phrases
from bot.qa.question import analyse
from bot.qa.reply import Reader, compose
from bot.qa.smalltalk import expand_shorthand, off_topic, small_talk
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import fold

NETWORK = """
version: 1
courses:
  - id: ai-teachers-2031
    title: {es: "Inteligencia artificial para docentes",
            pt: "Inteligência artificial para docentes"}
    topics: [artificial-intelligence, teachers]
    starts: 2031-05-05
    cost: {es: "gratuito", pt: "gratuito"}
  - id: pv-install-2031
    title: {es: "Instalación de paneles fotovoltaicos"}
    topics: [renewable-energy]
    starts: 2031-06-02
    cost: {es: "USD 200"}
  - id: cooking-2031
    title: {en: "Cooking for hotels"}
    topics: [tourism]
    starts: 2031-07-07
    cost: {en: "Free"}
  - id: farm-advice-2031
    title: {pt: "Assistência técnica no meio rural"}
    topics: [rural-development]
    starts: 2031-08-04
    cost: {pt: "R$ 300"}
events:
  - id: vc-low-carbon-2031
    title: {es: "Construcción de bajo carbono"}
    starts: 2031-04-24T14:00
    ends: 2031-04-24T15:30
    timezone: America/Montevideo
faq:
  - id: faq-certificate-copy
    question: {es: "¿Cómo obtengo una copia de mi certificado?",
               en: "How do I get a copy of my certificate?"}
    answer: {es: "Descárgalo en PDF desde «Mis cursos» en la plataforma.",
             en: "Download it as a PDF from 'My courses' on the platform."}
""".encode()
NOW = datetime(2031, 4, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    data = parse_network_files([("network.yaml", NETWORK)])
    return Answerer(Catalog(data.courses, data.events, data.faq))


def found(answerer: Answerer, question: str, language: str) -> list[str]:
    result = answerer.ask(question, language=language, zone="America/Montevideo", now=NOW)
    listed = result.listing if result.listing is not None else result.hits[:1]
    return [h.id for h in listed] if result.confident else []


@pytest.mark.parametrize(
    ("question", "language"),
    [("quais cursos sao de graca?", "pt"), ("free courses", "en"), ("cursos gratis", "es")],
)
def test_free_courses_are_listed_and_only_they(
    answerer: Answerer, question: str, language: str
) -> None:
    assert found(answerer, question, language) == ["ai-teachers-2031", "cooking-2031"]


@pytest.mark.parametrize("question", ["los cursos se pagan o son gratis?", "are the courses free?"])
def test_whether_courses_cost_is_not_a_listing(answerer: Answerer, question: str) -> None:
    """About courses in general: the FAQ's question (none here), not a list of free ones."""
    result = answerer.ask(question, language="es", zone="America/Montevideo", now=NOW)
    assert result.listing is None


def test_a_free_listing_says_what_it_is(answerer: Answerer) -> None:
    result = answerer.ask("cursos gratis", language="es", zone="America/Montevideo", now=NOW)
    text = plain(compose(result, Reader("es", "America/Montevideo", True), NOW).text)
    assert text.startswith("Esto es lo que encontré")
    assert "Cooking for hotels" in text and "fotovoltaicos" not in text


@pytest.mark.parametrize(
    ("question", "language", "record"),
    [
        ("algun curso de chatgpt para profes?", "es", "ai-teachers-2031"),
        ("quero aprender a montar placa solar", "pt", "pv-install-2031"),
        ("something for small farmers?", "en", "farm-advice-2031"),
    ],
)
def test_a_fields_words_find_a_record_whose_title_has_none_of_them(
    answerer: Answerer, question: str, language: str, record: str
) -> None:
    assert found(answerer, question, language) == [record]


@pytest.mark.parametrize(
    "question",
    [
        "perdi mi certificado, como lo bajo d nuevo",
        "no me aparece el link, que hago",
        "nao vejo o link, o que faco?",
        "lost my certificate, what do i do",
        "como descargo el certificado",
    ],
)
def test_asking_what_to_do_is_a_procedure(question: str) -> None:
    """Procedures are the FAQ's to answer: the entry gets the procedure's bonus."""
    folded = fold(expand_shorthand(question))
    assert PROCEDURAL.search(folded)


def test_no_in_portuguese_says_nothing_about_what_is_asked() -> None:
    """ "não" is no content word, as "no" is not: "não quero mais receber lembrete" is about
    reminders, not about the FAQ entry that starts "Não vejo o link"."""
    assert "nao" in ALL_STOPWORDS


def test_the_subject_of_a_course_is_not_off_topic() -> None:
    assert off_topic(fold("eres chatgpt?"))
    assert not off_topic(fold("algun curso de chatgpt para profes?"))
    assert not off_topic(fold("hay un taller para hoteles?"))


def test_asking_what_a_record_tells_of_a_catalog_subject_is_not_off_topic() -> None:
    """A deadline or "something about" asked of subjects some record is about goes to the
    catalog; the same words alone, or of subjects no record has, stay out of scope."""

    def music_and_hotels(word: str) -> bool:
        return word in {"musica", "hotel"}

    for question in (
        "whats the deadline to sign up for english for hotel staff",
        "algo sobre empleos en musica?",
    ):
        assert off_topic(fold(question))
        assert not off_topic(fold(question), music_and_hotels), question
    assert off_topic(fold("where is the nearest hotel"), music_and_hotels)
    assert off_topic(fold("algo sobre musica y peliculas?"), music_and_hotels)


def test_who_won_the_match_is_off_topic() -> None:
    for question in ("quién ganó el partido ayer", "quem ganhou o jogo?", "who won the match"):
        assert off_topic(fold(question)), question
    assert off_topic(fold("qual a capital da argentina"))
    assert off_topic(fold("eres un robot?")) and off_topic(fold("are you a robot"))


def test_thanks_for_the_help_is_small_talk() -> None:
    for text, language in (
        ("obrigada pela ajuda", "pt"),
        ("muchas gracias por la ayuda", "es"),
        ("thanks for your help", "en"),
    ):
        assert small_talk(text) == ("thanks", language), text
    assert small_talk("ayuda") is None and small_talk("help") is None


@pytest.mark.parametrize(
    ("question", "indefinite"),
    [
        ("quiero un curso para trabajar por proyectos", True),
        ("is there a course on welding?", True),
        ("tem algum webinar sobre drones?", True),
        ("we have a blind participant, can she follow the course?", False),
        ("el bot me manda demasiados mensajes antes de cada evento", False),
    ],
)
def test_a_record_asked_for_as_any_one_is_indefinite(question: str, indefinite: bool) -> None:
    folded = fold(question)
    assert analyse(question, folded, None, "es", NOW)[0].indefinite is indefinite


@pytest.mark.parametrize(
    ("question", "procedural"),
    [
        ("our institute would like to present our experience in a webinar", True),
        ("nos gustaría proponer un tema", True),
        ("gostaríamos de apresentar um projeto", True),
        ("me gustaría saber cuándo empieza el curso de soldadura", False),
        ("i would like to know which courses start in May", False),
    ],
)
def test_what_the_asker_would_like_to_do_asks_how(question: str, procedural: bool) -> None:
    assert bool(PROCEDURAL.search(fold(question))) is procedural


def test_a_verb_in_any_person_stands_for_its_infinitives_concept() -> None:
    assert concepts_of("cambiamos") == concepts_of("cambiar") != ()
    assert concepts_of("trocamos") == concepts_of("trocar") != ()
    assert concepts_of("inscribiendo") == concepts_of("inscribir") != ()


def test_a_question_naming_a_record_is_not_off_topic(answerer: Answerer) -> None:
    """ "cocina para hotel" names the cooking course, though "hotel" alone is off-topic;
    "el hotel más cercano" names no record."""
    assert found(answerer, "cocina para hotel", "es") == ["cooking-2031"]
    assert found(answerer, "donde queda el hotel mas cercano", "es") == []


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("no encuentro el enlace de la video", "no encuentro el enlace de la videoconferencia"),
        ("cuándo son las próximas videos?", "cuándo son las próximas videoconferencias?"),
        ("el video de ayer ya está?", "el video de ayer ya está?"),  # a recording
        ("is there a video of it?", "is there a video of it?"),
    ],
)
def test_la_video_is_a_videoconference(said: str, meant: str) -> None:
    assert expand_shorthand(said) == meant


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("algo sobre capacitacion del personal en las empresas", None),
        ("anything about training for company staff?", None),
        ("hay alguna capacitacion para docentes?", "course"),
        ("which training courses start soon?", "course"),
    ],
)
def test_training_as_a_subject_is_no_kind_of_record(question: str, kind: str | None) -> None:
    folded = fold(question)
    assert analyse(question, folded, None, "es", NOW)[0].kind == kind


@pytest.mark.parametrize(
    ("question", "asks_modality"),
    [
        ("algo sobre si la educación a distancia llegó para quedarse", False),
        ("webinar sobre ensino a distância na pandemia", False),
        ("anything on distance learning for teachers?", False),
        ("el curso es a distancia?", True),
    ],
)
def test_teaching_at_a_distance_is_a_field_not_a_modality(
    question: str, asks_modality: bool
) -> None:
    text = normalize_phrases(question)
    assert (analyse(text, fold(text), None, "es", NOW)[1] == "modality") is asks_modality


def test_the_phrase_search_skips_no_text_that_holds_a_phrase() -> None:
    """normalize_phrases looks for any phrase with one regex before replacing: every phrase,
    alone, inside other words or beside others, is still replaced as the table says."""
    from itertools import pairwise

    from bot.qa.phrases import PHRASES

    def replaced_one_by_one(text: str) -> str:
        lowered = text.lower()
        for phrase, token in PHRASES:
            lowered = lowered.replace(phrase, token)
        return lowered

    texts = [phrase for phrase, _ in PHRASES]
    texts += [f"Un texto con {phrase.upper()}, y más" for phrase, _ in PHRASES]
    texts += [f"x{a}y{b}" for (a, _), (b, _) in pairwise(PHRASES)]
    texts += ["nada que ver", ""]
    assert [normalize_phrases(t) for t in texts] == [replaced_one_by_one(t) for t in texts]
    assert normalize_phrases("Big Data") == "bigdata"


def test_an_off_topic_word_an_faq_entry_asks_about_is_in_scope() -> None:
    """ "Visa" is off topic, unless the organizers' FAQ has an entry on the visa letter; a
    sum is off topic."""
    from bot.qa.smalltalk import off_topic

    faq_words = {"visa", "carta"}.__contains__
    assert off_topic("preciso do visto pro brasil")
    assert not off_topic("necesito la visa para el encuentro", in_faq=faq_words)
    assert off_topic("que tiempo va a hacer en lima", in_faq=faq_words)
    assert off_topic("quanto e 15% de 200?") and off_topic("what is 12 x 7")
    assert not off_topic("quanto e o curso de 200 horas?")


def test_for_when_i_am_away_is_no_question_of_when() -> None:
    from bot.qa.lexicon import COMPILED_INTENTS, PROCEDURAL

    assert not COMPILED_INTENTS["when"].search("suplente pa cuando yo salgo de vacaciones")
    assert COMPILED_INTENTS["when"].search("cuando empieza el curso")
    assert PROCEDURAL.search("queremos oferecer um curso pra rede, como faz?")
