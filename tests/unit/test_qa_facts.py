"""Pieces of the answerer that the evaluation set does not reach: a cost written ``free``
or ``0`` in any language, concepts learned from the catalog, phone-style spelling and small
talk."""

from __future__ import annotations

import pytest

from bot.core.i18n import Translator
from bot.qa import concepts
from bot.qa.facts import cost_line
from bot.qa.smalltalk import expand_shorthand, small_talk
from storage.models import Course


@pytest.mark.parametrize("written", ["free", "0", "Gratis", "0.00"])
@pytest.mark.parametrize(
    ("language", "expected"), [("es", "Gratuito"), ("pt", "Gratuito"), ("en", "Free")]
)
def test_free_or_zero_cost_is_localized(written: str, language: str, expected: str) -> None:
    course = Course(id="c", title={"en": "C"}, cost={"en": written})
    assert cost_line(course, Translator(language), "en").endswith(expected)


def test_a_priced_cost_is_kept() -> None:
    course = Course(id="c", title={"en": "C"}, cost={"es": "USD 100"})
    assert cost_line(course, Translator("es"), "es") == "Costo: USD 100"


def test_words_that_translate_each_other_become_one_concept() -> None:
    records = [
        concepts.record_words([{"es": "Soldadura básica", "en": "Basic welding"}]),
        concepts.record_words([{"es": "Soldadura avanzada", "en": "Advanced welding"}]),
        concepts.record_words([{"es": "Liderazgo", "en": "Leadership"}]),
    ]
    learned = concepts.learn(records)
    assert set(learned["soldadura"]) & set(learned["welding"])
    assert "liderazgo" not in learned  # one record is not evidence


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("q dia empieza", "que dia empieza"),
        ("vc sabe qdo começa?", "você sabe quando começa?"),
        ("wen is the vc", "when is the vc"),
        ("tb hay cursos", "tambien hay cursos"),
    ],
)
def test_phone_style_spelling_is_written_out(typed: str, meant: str) -> None:
    assert expand_shorthand(typed) == meant


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("hola", "greeting", "es"),
        ("thanks!", "thanks", "en"),
        ("obrigado", "thanks", "pt"),
        ("2", "digits", None),
        ("👍", "symbols", None),
        ("ok", "yesno", "es"),
        ("chau", "bye", "es"),
        ("bye", "bye", "en"),
    ],
)
def test_small_talk(text: str, kind: str, language: str | None) -> None:
    assert small_talk(text) == (kind, language)


def test_a_question_is_not_small_talk() -> None:
    assert small_talk("hola, cuando empieza el curso de big data?") is None
