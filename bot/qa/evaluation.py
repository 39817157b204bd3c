"""Scoring the answerer on an evaluation set (``tests/qa_eval.yaml``): top-1 and top-3
accuracy per language, and the fact rate: of the questions that carry a ``fact:`` regex,
how many replies (as plain text, in the question's language) contain it. Used by the
accuracy test and by ``bench/qa.py``; ``choose_thresholds`` picks the answerer's confidence
thresholds on the same set."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bot.qa import engine
from bot.qa.engine import Answerer
from bot.qa.reply import Reader, compose

EVAL_FILE = Path(__file__).resolve().parents[2] / "tests" / "qa_eval.yaml"


@dataclass
class Scores:
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top1: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top3: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fact_misses: list[str] = field(default_factory=list)

    def rate(self, language: str, k: int = 1) -> float:
        hits = self.top1 if k == 1 else self.top3
        return hits[language] / self.total[language] if self.total[language] else 0.0

    def fact_rate(self, language: str) -> float:
        asked = self.facts[language]
        return self.stated[language] / asked if asked else 0.0


def load_eval(path: Path = EVAL_FILE) -> tuple[datetime, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return datetime.fromisoformat(str(data["now"])), list(data["questions"])


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def evaluate(
    answerer: Answerer,
    now: datetime,
    questions: list[dict[str, Any]],
    zone: str = "America/Montevideo",
) -> Scores:
    scores = Scores()
    for item in questions:
        language = item["lang"]
        result = answerer.ask(item["q"], language=language, zone=zone, now=now)
        found = [f"{h.kind}:{h.id}" for h in result.hits] if result.confident else []
        scores.total[language] += 1
        if "fact" in item:
            reply = plain(compose(result, Reader(language, zone, True), now).text)
            scores.facts[language] += 1
            if re.search(item["fact"], reply, re.IGNORECASE):
                scores.stated[language] += 1
            else:
                scores.fact_misses.append(
                    f"[{language}] {item['q']!r}: /{item['fact']}/ not in {reply[:160]!r}"
                )
        if isinstance(item["expect"], list):  # "what is on in April": the records listed
            if listing_right(item, result):
                scores.top1[language] += 1
                scores.top3[language] += 1
            else:
                listed = [f"{h.kind}:{h.id}" for h in result.listing or []]
                scores.misses.append(
                    f"[{language}] {item['q']!r}: expected the list {item['expect']}, "
                    f"got {listed or found[:3]}"
                )
            continue
        if item["expect"] == "none":  # out of scope: right when nothing confident is offered
            if found:
                scores.misses.append(f"[{language}] {item['q']!r}: expected none, got {found}")
            else:
                scores.top1[language] += 1
                scores.top3[language] += 1
            continue
        if found[:1] == [item["expect"]]:
            scores.top1[language] += 1
        else:
            scores.misses.append(
                f"[{language}] {item['q']!r}: expected {item['expect']}, got {found[:3]} "
                f"(intent {result.intent})"
            )
        if item["expect"] in found[:3]:
            scores.top3[language] += 1
    return scores


def listing_right(item: dict[str, Any], result: Any) -> bool:
    """A list question is right when the reply lists every expected record and nothing
    but those and the ``may_include`` extras."""
    if result.listing is None:
        return False
    listed = {f"{h.kind}:{h.id}" for h in result.listing}
    wanted, extra = set(item["expect"]), set(item.get("may_include") or ())
    return wanted <= listed and not listed - wanted - extra


CONFIDENT_GRID = tuple(round(0.25 + 0.05 * n, 2) for n in range(11))  # 0.25 … 0.75
CLOSE_GRID = tuple(round(0.01 * n, 2) for n in range(0, 21, 2))  # 0.00 … 0.20


@dataclass
class Thresholds:
    confident: float
    close: float
    accuracy: float  # top-1 over the whole set at ``confident``
    close_score: float  # the F1 that chose ``close``


def choose_thresholds(
    answerer: Answerer, now: datetime, questions: list[dict[str, Any]]
) -> Thresholds:
    """The answerer's thresholds, chosen on an evaluation set.

    ``CONFIDENT`` is the coverage a best candidate needs to be answered: the grid value with
    the best top-1 over the set (a wrongly confident answer to an out-of-scope question is a
    miss, and so is a right record left unconfident); ties go to the value nearest the middle
    of the tied range. ``CLOSE`` is the score gap under which the runners-up are offered as
    "Did you mean" buttons: the value with the best F1 of "buttons shown" against "the best
    is wrong and the right record is among the next two"."""
    kept = engine.CONFIDENT
    rows = []
    for item in questions:
        result = answerer.ask(item["q"], language=item["lang"], zone="America/Montevideo", now=now)
        rows.append((item["expect"], result))
    accuracy = {}
    for value in CONFIDENT_GRID:
        right = 0
        for expect, result in rows:
            best = result.best
            sure = result.listing is not None or (best is not None and best.coverage >= value)
            first = f"{best.kind}:{best.id}" if best is not None and sure else "none"
            right += result.listing is not None if isinstance(expect, list) else first == expect
        accuracy[value] = right / len(rows)
    top = max(accuracy.values())
    tied = [v for v in CONFIDENT_GRID if accuracy[v] == top]
    confident = tied[len(tied) // 2]
    engine.CONFIDENT = confident
    try:
        close, f1 = _choose_close(rows)
    finally:
        engine.CONFIDENT = kept
    return Thresholds(confident, close, top, f1)


def _choose_close(rows: list[tuple[str, Any]]) -> tuple[float, float]:
    wanted = []  # (gap between the best and the runner-up, buttons would help)
    for expect, result in rows:
        hits = result.hits
        if result.listing is not None or len(hits) < 2 or hits[1].coverage < engine.CONFIDENT:
            continue
        keys = [f"{h.kind}:{h.id}" for h in hits]
        if isinstance(expect, list):
            continue
        wanted.append((hits[0].score - hits[1].score, keys[0] != expect and expect in keys[1:3]))
    best = (0.0, 0.0)
    for value in CLOSE_GRID:
        shown = [helps for gap, helps in wanted if gap <= value]
        hits = sum(shown)
        positives = sum(helps for _, helps in wanted)
        if not hits:
            continue
        precision, recall = hits / len(shown), hits / max(1, positives)
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[1]:
            best = (value, f1)
    return best
