"""Stored codes in words on organizer screens: what a rated answer was about (/stats), and
the line of those whose country or institution is not known (no bare "—" or "-")."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.qa.engine import ENTITY_INTENTS, FACT_INTENTS
from bot.render.labels import INTENT_LABELS, country_label, institution_label_of, intent_label


def test_every_intent_the_answerer_has_reads_as_words() -> None:
    assert set(INTENT_LABELS) >= ENTITY_INTENTS | FACT_INTENTS
    assert intent_label("cost", Translator("es")) == "preguntas sobre costos"
    assert intent_label("what_is", Translator("pt")) == "perguntas sobre o que é algo"
    assert intent_label("", Translator("en")) == "other questions"
    assert intent_label("no-such", Translator("es")) == "otras preguntas"


def test_unknown_country_and_institution_lines() -> None:
    assert country_label("-", Translator("es")) == "país no indicado"
    assert institution_label_of("-", Translator("pt")) == "instituição não informada"
    assert country_label("-", Translator("en")) == "country not given"
    assert country_label("UY", Translator("pt")) == "Uruguai"
    assert institution_label_of("INEFOP", Translator("es")) == "INEFOP"
