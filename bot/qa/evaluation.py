"""Scoring the answerer on an evaluation set (``tests/qa_eval.yaml``): top-1 and top-3
accuracy per language. Used by the accuracy test and by ``bench/qa.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bot.qa.engine import Answerer

EVAL_FILE = Path(__file__).resolve().parents[2] / "tests" / "qa_eval.yaml"


@dataclass
class Scores:
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top1: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top3: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    def rate(self, language: str, k: int = 1) -> float:
        hits = self.top1 if k == 1 else self.top3
        return hits[language] / self.total[language] if self.total[language] else 0.0


def load_eval(path: Path = EVAL_FILE) -> tuple[datetime, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return datetime.fromisoformat(str(data["now"])), list(data["questions"])


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
