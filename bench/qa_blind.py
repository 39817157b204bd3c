"""The answerer on the blind set: ``python -m bench.qa_blind [--misses]``

``tests/qa_blind/`` holds questions written without sight of the answerer, against their own
network file (see its README). This prints top-1, top-3 and the fact rate per language, and
how small talk and off-topic questions fare. Only the aggregate is for reading: never tune on
a blind question (``--misses`` lists them for moving a fixed miss to the tuning set).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bench.harness import machine
from bot.importer.network_file import parse_network_files
from bot.qa.engine import Answerer, Catalog, Result
from bot.qa.evaluation import plain
from bot.qa.reply import Reader, compose

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "qa_blind"


@dataclass
class Tally:
    asked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top1: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top3: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    facts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    scope: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    scope_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)


def load() -> tuple[Answerer, datetime, str, list[dict[str, Any]]]:
    data = yaml.safe_load((BLIND / "questions.yaml").read_text(encoding="utf-8"))
    network = parse_network_files([("network.yaml", (BLIND / "network.yaml").read_bytes())])
    answerer = Answerer(Catalog(network.courses, network.events, network.faq))
    zone = str(data.get("member", {}).get("timezone", "America/Montevideo"))
    return answerer, datetime.fromisoformat(str(data["now"])), zone, list(data["items"])


def acceptable(expect: dict[str, Any], item: dict[str, Any]) -> set[str]:
    ids = {f"{expect['kind']}:{expect['id']}"} if "id" in expect else set()
    for other in item.get("also_ok") or []:
        ids.add(f"{other['kind']}:{other['id']}" if isinstance(other, dict) else str(other))
    return ids


def found_of(result: Result) -> list[str]:
    if result.listing is not None:
        return [f"{h.kind}:{h.id}" for h in result.listing]
    return [f"{h.kind}:{h.id}" for h in result.hits] if result.confident else []


def score_list(item: dict[str, Any], found: list[str]) -> bool:
    """A list question is right when every required record is listed and nothing listed is
    outside the required and the allowed extras."""
    wanted = {str(i) for i in item["expect"].get("ids", [])}
    extra = {str(i) for i in item.get("may_include") or []}
    got = {f.split(":", 1)[1] for f in found}  # list ids name records of any kind
    return bool(wanted) and wanted <= got and not (got - wanted - extra)


def score(answerer: Answerer, now: datetime, zone: str, items: list[dict[str, Any]]) -> Tally:
    tally = Tally()
    for item in items:
        language = item["lang"]
        result = answerer.ask(item["q"], language=language, zone=zone, now=now)
        found = found_of(result)
        expect = item["expect"]
        if expect == "none" or expect is None:
            tally.scope[language] += 1
            right = not found
            tally.scope_right[language] += right
            if not right:
                tally.misses.append(f"{item['id']}: out of scope, answered {found[:2]}")
            continue
        tally.asked[language] += 1
        if expect.get("kind") == "list":
            right = score_list(item, found)
            tally.top1[language] += right
            tally.top3[language] += right
        else:
            ok = acceptable(expect, item)
            tally.top1[language] += bool(found[:1]) and found[0] in ok
            tally.top3[language] += bool(ok & set(found[:3]))
            right = bool(found[:1]) and found[0] in ok
        if not right:
            tally.misses.append(f"{item['id']}: expected {expect}, got {found[:3]}")
        if item.get("fact"):
            tally.facts[language] += 1
            reply = plain(compose(result, Reader(language, zone, True), now).text)
            if re.search(item["fact"], reply):
                tally.stated[language] += 1
            else:
                tally.misses.append(f"{item['id']}: fact {item.get('asks')} not stated")
    return tally


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "—"


def table(tally: Tally) -> str:
    rows = [
        "| language | top-1 | top-3 | fact stated | small talk / off-topic right |",
        "|---|---|---|---|---|",
    ]
    for language in ("es", "pt", "en"):
        rows.append(
            f"| {language} | {pct(tally.top1[language], tally.asked[language])} "
            f"| {pct(tally.top3[language], tally.asked[language])} "
            f"| {pct(tally.stated[language], tally.facts[language])} "
            f"| {pct(tally.scope_right[language], tally.scope[language])} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the blind misses")
    args = parser.parse_args()
    answerer, now, zone, items = load()
    tally = score(answerer, now, zone, items)
    print(f"### Blind set ({len(items)} questions, tests/qa_blind) on {machine()}\n")
    print(table(tally))
    if args.misses:
        print("\n" + "\n".join(tally.misses))


if __name__ == "__main__":
    main()
