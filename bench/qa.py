"""Question-answering benchmark: ``python -m bench.qa``

1. Top-1 and top-3 accuracy and the fact rate (the reply states the fact asked) per language,
   and the confidence thresholds chosen, on the evaluation set (tests/qa_eval.yaml), on the
   sample data with the evaluation's fixed clock.
2. Answer latency p50/p99, index build time and memory for catalogs of 100, 1,000 and
   20,000 items, generated from the sample by recombining its titles and topics (so the
   vocabulary and the kinds of question stay realistic), asked the evaluation's questions.
Everything runs on one core, in this process (no network, no model).
"""

from __future__ import annotations

import argparse
import copy
import gc
import random
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bench.harness import machine, percentile, table
from bench.qa_blind import load as load_set
from bot.core.records import NetworkData
from bot.devtools.sample import SAMPLE_FILE
from bot.importer.network_file import parse_network_files
from bot.qa.documents import provider_countries
from bot.qa.engine import Answerer, Catalog
from bot.qa.evaluation import (
    OWN_NETWORK_DIRS,
    all_rows,
    choose_thresholds,
    evaluate,
    load_eval,
)

SIZES = (100, 1_000, 20_000)


def sample() -> NetworkData:
    return parse_network_files([(SAMPLE_FILE.name, SAMPLE_FILE.read_bytes())])


def generated_catalog(data: NetworkData, size: int, seed: int = 1) -> Catalog:
    """``size`` items in the sample's proportions: sample items first, then variants whose
    titles mix words of two sample titles, with shifted dates."""
    rng = random.Random(seed)
    shares = (len(data.courses), len(data.events), len(data.faq))
    total = sum(shares)
    counts = [max(1, round(size * share / total)) for share in shares]
    counts[0] += size - sum(counts)
    out: list[list[Any]] = []
    sections: tuple[list[Any], ...] = (data.courses, data.events, data.faq)
    for records, count in zip(sections, counts, strict=True):
        items = list(records[:count])
        while len(items) < count:
            base, other = rng.choice(records), rng.choice(records)
            items.append(_variant(base, other, len(items), rng))
        out.append(items)
    return Catalog(out[0], out[1], out[2])


def _mix(first: dict[str, str], second: dict[str, str], rng: random.Random) -> dict[str, str]:
    mixed = {}
    for language, text in first.items():
        words = text.split()
        extra = (second.get(language) or "").split()
        cut = rng.randint(1, max(1, len(words)))
        mixed[language] = " ".join(words[:cut] + extra[: rng.randint(1, 4)])
    return mixed


def _variant(base: Any, other: Any, number: int, rng: random.Random) -> Any:
    item = copy.copy(base)
    if hasattr(item, "title"):
        item = replace(item, id=f"{base.id}-{number}", title=_mix(base.title, other.title, rng))
    else:
        item = replace(
            item, id=f"{base.id}-{number}", question=_mix(base.question, other.question, rng)
        )
    shift = timedelta(days=rng.randint(-900, 900))
    if hasattr(item, "starts_at"):
        item = replace(item, starts_at=item.starts_at + shift, ends_at=item.ends_at + shift)
    elif getattr(item, "starts", None) is not None:
        item = replace(
            item, starts=item.starts + shift, ends=item.ends + shift if item.ends else None
        )
    return item


def latency(answerer: Answerer, questions: Sequence[dict[str, Any]], now: Any) -> list[float]:
    times = []
    for item in questions:
        started = time.perf_counter()
        answerer.ask(item["q"], language=item["lang"], zone="America/Montevideo", now=now)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(quick: bool) -> None:
    print(f"Question-answering benchmark on {machine()}\n")
    data = sample()
    now, questions = load_eval()
    countries = provider_countries(data.institutions)
    answerer = Answerer(Catalog(data.courses, data.events, data.faq, countries=countries))
    scores = evaluate(answerer, now, questions)
    rows = []
    for language in ("es", "pt", "en"):
        rows.append(
            (
                f"{language}: top-1 / top-3 ({scores.total[language]} questions)",
                f"{scores.rate(language):.1%} / {scores.rate(language, 3):.1%}",
                ">= 90% / >= 97%",
            )
        )
        rows.append(
            (
                f"{language}: fact stated in the reply ({scores.facts[language]} questions)",
                f"{scores.fact_rate(language):.1%}",
                ">= 90%",
            )
        )
    own = [(load_set(folder)[0], folder) for folder in OWN_NETWORK_DIRS]
    chosen = choose_thresholds(all_rows(answerer, own))
    rows.append(
        (
            "thresholds chosen on the tuning + dev sets: CONFIDENT, LEADING, LEAD, CLOSE",
            f"{chosen.confident:.2f}, {chosen.leading:.2f}, {chosen.lead:.2f}, {chosen.close:.2f}",
            "= bot/qa/engine.py",
        )
    )
    print(table("1. Accuracy on the evaluation set (sample data)", rows))
    print()
    rows = []
    for size in SIZES[:2] if quick else SIZES:
        catalog = generated_catalog(data, size)
        gc.collect()
        tracemalloc.start()  # memory first: tracing slows the build several times over
        Answerer(catalog)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        gc.collect()
        started = time.perf_counter()
        answerer = Answerer(catalog)
        build = time.perf_counter() - started
        latency(answerer, questions[:20], now)  # warm the caches
        times = latency(answerer, questions, now)
        rows.append(
            (
                f"{size:,} items: latency p50 / p99",
                f"{percentile(times, 0.5):.1f} / {percentile(times, 0.99):.1f} ms",
                "p99 <= 20 ms at 20,000" if size == 20_000 else "—",
            )
        )
        rows.append(
            (
                f"{size:,} items: index build, peak memory",
                f"{build:.2f} s, {peak / 1e6:.0f} MB",
                "—",
            )
        )
    print(table(f"2. Latency over the {len(questions)} evaluation questions, one core", rows))


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 20,000-item catalog")
    main(parser.parse_args().quick)


if __name__ == "__main__":
    cli()
