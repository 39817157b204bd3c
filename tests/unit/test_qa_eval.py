"""The answerer on the evaluation set (tests/qa_eval.yaml): top-1 accuracy per language.

The set was written against the sample data with the clock fixed (its ``now``); out-of-scope
questions count as right only when no confident answer is offered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.sample import SAMPLE_FILE
from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import Scores, evaluate, load_eval

MIN_TOP1 = 0.90


@pytest.fixture(scope="module")
def scores() -> Scores:
    data = parse_network_files([(SAMPLE_FILE.name, Path(SAMPLE_FILE).read_bytes())])
    answerer = Answerer(Catalog(data.courses, data.events, data.faq))
    now, questions = load_eval()
    return evaluate(answerer, now, questions)


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
    kinds = {q["expect"].split(":")[0] for q in questions}
    assert kinds == {"course", "event", "faq", "none"}
