"""The answerer on the evaluation set (tests/qa_eval.yaml): top-1 accuracy and the fact
rate (the reply states the fact asked) per language; the thresholds are the set's choice.

The set was written against the sample data with the clock fixed (its ``now``); out-of-scope
questions count as right only when no confident answer is offered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.qa_blind import load as load_set
from bot.devtools.sample import SAMPLE_FILE
from bot.importer.network_file import parse_network_files
from bot.qa import engine
from bot.qa.documents import provider_countries
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import (
    OWN_NETWORK_DIRS,
    Scores,
    all_rows,
    choose_thresholds,
    evaluate,
    load_eval,
)

MIN_TOP1 = 0.90
MIN_FACT = 0.90


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    data = parse_network_files([(SAMPLE_FILE.name, Path(SAMPLE_FILE).read_bytes())])
    countries = provider_countries(data.institutions)
    return Answerer(Catalog(data.courses, data.events, data.faq, countries=countries))


@pytest.fixture(scope="module")
def scores(answerer: Answerer) -> Scores:
    now, questions = load_eval()
    return evaluate(answerer, now, questions)


@pytest.mark.parametrize("language", ["es", "pt", "en"])
def test_fact_rate_per_language(scores: Scores, language: str) -> None:
    assert scores.facts[language] >= 20
    misses = [m for m in scores.fact_misses if m.startswith(f"[{language}]")]
    assert scores.fact_rate(language) >= MIN_FACT, "\n".join(misses)


def test_thresholds_are_the_tuning_and_dev_sets_choice(answerer: Answerer) -> None:
    own = [(load_set(folder)[0], folder) for folder in OWN_NETWORK_DIRS]
    chosen = choose_thresholds(all_rows(answerer, own))
    constants = (engine.CONFIDENT, engine.LEADING, engine.LEAD, engine.CLOSE)
    assert (chosen.confident, chosen.leading, chosen.lead, chosen.close) == constants


def test_fact_questions_cover_every_fact_kind() -> None:
    _, questions = load_eval()
    for language in ("es", "pt", "en"):
        intents = {q["intent"] for q in questions if q["lang"] == language and "fact" in q}
        assert {
            "when",
            "time",
            "duration",
            "platform",
            "where",
            "link",
            "enroll",
            "deadline",
            "cost",
            "certificate",
            "modality",
            "pace",
            "languages",
            "provider",
            "reminders",
        } <= intents
        notes = {q.get("note") for q in questions if q["lang"] == language and "fact" in q}
        assert {"small-talk", "off-topic", "date-word", "shorthand"} <= notes


@pytest.mark.parametrize("language", ["es", "pt", "en"])
def test_top1_accuracy_per_language(scores: Scores, language: str) -> None:
    assert scores.total[language] >= 50
    misses = [m for m in scores.misses if m.startswith(f"[{language}]")]
    assert scores.rate(language) >= MIN_TOP1, "\n".join(misses)


def test_evaluation_set_covers_every_intent_and_kind() -> None:
    _, questions = load_eval()
    intents = {q["intent"] for q in questions}
    assert {
        "when",
        "time",
        "link",
        "enroll",
        "deadline",
        "cost",
        "certificate",
        "topic",
        "next_event",
        "what_is",
        "where",
        "duration",
        "languages",
        "faq",
    } <= intents
    kinds = {
        "list" if isinstance(q["expect"], list) else q["expect"].split(":")[0] for q in questions
    }
    assert kinds == {"course", "event", "faq", "none", "list"}
