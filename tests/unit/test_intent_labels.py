"""Stored codes in words on organizer screens: what a rated answer was about (/stats), and
the line of those whose country or institution is not known (no bare "—" or "-")."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.qa.engine import ENTITY_INTENTS, FACT_INTENTS
from bot.render.labels import INTENT_LABELS, intent_label, no_country, no_institution


def test_every_intent_the_answerer_has_reads_as_words() -> None:
    assert set(INTENT_LABELS) >= ENTITY_INTENTS | FACT_INTENTS
    assert intent_label("cost", Translator("es")) == "preguntas sobre costos"
    assert intent_label("what_is", Translator("pt")) == "perguntas sobre o que é algo"
    assert intent_label("", Translator("en")) == "other questions"
    assert intent_label("no-such", Translator("es")) == "otras preguntas"


def test_unknown_country_and_institution_lines() -> None:
    assert no_country(Translator("es")) == "país no indicado"
    assert no_institution(Translator("pt")) == "instituição não informada"
    assert no_country(Translator("en")) == "country not given"
