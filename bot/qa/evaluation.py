"""Scoring the answerer on an evaluation set (``tests/qa_eval.yaml``): top-1 and top-3
accuracy per language, and the fact rate: of the questions that carry a ``fact:`` regex,
how many replies (as plain text, in the question's language) contain it. Used by the
accuracy test and by ``bench/qa.py``; ``choose_thresholds`` picks the answerer's confidence
thresholds on the same set."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Sequence
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
LEADING_GRID = tuple(round(0.1 + 0.05 * n, 2) for n in range(9))  # 0.10 … 0.50
LEAD_GRID = tuple(round(0.05 * n, 2) for n in range(1, 11))  # 0.05 … 0.50
CLOSE_GRID = tuple(round(0.01 * n, 2) for n in range(0, 21, 2))  # 0.00 … 0.20
DEV_DIR = EVAL_FILE.parent / "qa_dev"
DEV2_DIR = EVAL_FILE.parent / "qa_dev2"  # on its own network file
DEV3_DIR = EVAL_FILE.parent / "qa_dev3"  # on its own network file too
DEV4_DIR = EVAL_FILE.parent / "qa_dev4"  # on its own network file too
SPENT_DIR = EVAL_FILE.parent / "qa_spent"  # spent blind questions, on the blind network file
# The development sets written on their own network file, each answered by an answerer
# built on that file: the thresholds are chosen on these with the tuning set and qa_dev.
OWN_NETWORK_DIRS = (DEV2_DIR, DEV3_DIR, DEV4_DIR, SPENT_DIR)


@dataclass
class Row:
    """One question's result, and what would be right: the keys that may come first
    (``{"none"}`` for an out-of-scope question), or for a list question ``listed``."""

    accept: frozenset[str]
    result: Any
    listed: bool = False  # a list question, scored on its listing (thresholds do not apply)


@dataclass
class Thresholds:
    confident: float
    leading: float
    lead: float
    close: float
    accuracy: float  # top-1 over the sets with these thresholds
    close_score: float  # the F1 that chose ``close``


def tuning_rows(answerer: Answerer, now: datetime, questions: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for item in questions:
        result = answerer.ask(item["q"], language=item["lang"], zone="America/Montevideo", now=now)
        if isinstance(item["expect"], list):
            rows.append(Row(frozenset(), result, listed=listing_right(item, result)))
        else:
            rows.append(Row(frozenset({str(item["expect"]).split(":")[-1]}), result))
    return rows


def dev_rows(answerer: Answerer, folder: Path = DEV_DIR) -> list[Row]:
    """The development set (``tests/qa_dev``, blind-written on the same sample data, with its
    own clock): its questions as rows, matched on record ids."""
    path = folder / "questions.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    now = datetime.fromisoformat(str(data["now"]))
    zone = str((data.get("member") or {}).get("timezone", "America/Montevideo"))
    rows = []
    for item in data["items"]:
        result = answerer.ask(item["q"], language=item["lang"], zone=zone, now=now)
        expect = item["expect"]
        if expect in ("none", None):
            rows.append(Row(frozenset({"none"}), result))
        elif expect.get("kind") == "list":
            listed = {h.id for h in result.listing or []}
            wanted = {str(i) for i in expect["ids"]}
            extra = {str(i) for i in expect.get("may_include") or ()}
            right = result.listing is not None and wanted <= listed
            rows.append(Row(frozenset(), result, listed=right and not listed - wanted - extra))
        else:
            accept = {str(expect["id"]), *(str(i) for i in expect.get("also_ok") or ())}
            rows.append(Row(frozenset(accept), result))
    return rows


def all_rows(answerer: Answerer, own_networks: Sequence[tuple[Answerer, Path]] = ()) -> list[Row]:
    """The tuning set's rows and the development sets': what the thresholds are chosen on.
    ``own_networks``: development sets written on their own network file (``tests/qa_dev2``,
    ``tests/qa_dev3``, ``tests/qa_dev4``, ``tests/qa_spent``: ``OWN_NETWORK_DIRS``), each with
    the answerer built on that file."""
    now, questions = load_eval()
    rows = tuning_rows(answerer, now, questions) + dev_rows(answerer)
    for other, folder in own_networks:
        rows += dev_rows(other, folder)
    return rows


def _right(row: Row, confident: float, leading: float, lead: float) -> bool:
    result = row.result
    if result.listing is not None or not row.accept:
        return row.listed
    sure = engine.sure(result.hits, confident, leading, lead)
    first = result.best.id if result.best is not None and sure else "none"
    return first in row.accept


def choose_thresholds(rows: list[Row]) -> Thresholds:
    """The answerer's thresholds, chosen on the tuning and development sets' rows.

    ``CONFIDENT`` is the coverage a best candidate needs to be answered, and ``LEADING`` /
    ``LEAD`` the coverage and the score margin over the runner-up with which a clear leader
    is answered anyway: the grid values with the best top-1 over the rows (a wrongly
    confident answer to an out-of-scope question is a miss, and so is a right record left
    unconfident); ties go to the middle of the tied values. ``CLOSE`` is the score gap
    under which the runners-up are offered as "Did you mean" buttons: the value with the
    best F1 of "buttons shown" against "the best is wrong and the right record is among the
    next two"."""
    scored = []
    for confident in CONFIDENT_GRID:
        for leading in (v for v in LEADING_GRID if v <= confident):
            for lead in LEAD_GRID:
                right = sum(_right(row, confident, leading, lead) for row in rows)
                scored.append((right, (confident, leading, lead)))
    top = max(right for right, _ in scored)
    tied = [values for right, values in scored if right == top]
    confident, leading, lead = tied[len(tied) // 2]
    kept = engine.CONFIDENT
    engine.CONFIDENT = confident
    try:
        close, f1 = _choose_close(rows)
    finally:
        engine.CONFIDENT = kept
    return Thresholds(confident, leading, lead, close, top / max(1, len(rows)), f1)


def _choose_close(rows: list[Row]) -> tuple[float, float]:
    wanted = []  # (gap between the best and the runner-up, buttons would help)
    for row in rows:
        hits = row.result.hits
        if row.result.listing is not None or not row.accept or len(hits) < 2:
            continue
        if hits[1].coverage < engine.CONFIDENT:
            continue
        ids = [h.id for h in hits]
        helps = ids[0] not in row.accept and bool(row.accept & set(ids[1:3]))
        wanted.append((hits[0].score - hits[1].score, helps))
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
