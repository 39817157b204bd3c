"""The answerer on a blind-written set: ``python -m bench.qa_blind [--set DIR] [--misses]``

``tests/qa_blind/`` holds questions written without sight of the answerer, against their own
network file (see its README). This prints top-1, top-3 and the fact rate per language, how
small talk and off-topic questions fare, and the same broken down by the fact asked
(``asks``) and by group (facts, finding a record, lists, FAQ, out of scope). Only the
aggregate is for reading: never tune on a blind question (``--misses`` lists them for moving
a fixed miss to the tuning set).

``--set tests/qa_dev`` runs a development set written the same way (blind to the code) on
the demo sample: that one may be read and tuned on.
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
from bot.qa.documents import provider_countries
from bot.qa.engine import Answerer, Catalog, Result
from bot.qa.evaluation import plain
from bot.qa.reply import Reader, compose

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "qa_blind"
LANGUAGES = ("es", "pt", "en")
GROUPS = ("fact", "find", "list", "faq", "smalltalk", "offtopic")


def _counter() -> defaultdict[str, int]:
    return defaultdict(int)


@dataclass
class Tally:
    asked: dict[str, int] = field(default_factory=_counter)
    top1: dict[str, int] = field(default_factory=_counter)
    top3: dict[str, int] = field(default_factory=_counter)
    facts: dict[str, int] = field(default_factory=_counter)
    stated: dict[str, int] = field(default_factory=_counter)
    scope: dict[str, int] = field(default_factory=_counter)
    scope_right: dict[str, int] = field(default_factory=_counter)
    # "<group or asks>/<language>" → questions, right (top-1, or out of scope kept out)
    cell: dict[str, int] = field(default_factory=_counter)
    cell_right: dict[str, int] = field(default_factory=_counter)
    cell_stated: dict[str, int] = field(default_factory=_counter)
    misses: list[str] = field(default_factory=list)


def load(folder: Path = BLIND) -> tuple[Answerer, datetime, str, list[dict[str, Any]]]:
    data = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    network_file = ROOT / str(data.get("network") or folder.relative_to(ROOT) / "network.yaml")
    network = parse_network_files([(network_file.name, network_file.read_bytes())])
    countries = provider_countries(network.institutions)
    answerer = Answerer(Catalog(network.courses, network.events, network.faq, countries=countries))
    zone = str((data.get("member") or {}).get("timezone", "America/Montevideo"))
    return answerer, datetime.fromisoformat(str(data["now"])), zone, list(data["items"])


def group_of(item: dict[str, Any]) -> str:
    expect = item["expect"]
    if expect in ("none", None):
        return "offtopic" if item.get("kind_of") == "offtopic" else "smalltalk"
    if item.get("asks"):
        return "fact"
    if expect.get("kind") in ("list", "faq"):
        return str(expect["kind"])
    return "find"


def acceptable(expect: dict[str, Any], item: dict[str, Any]) -> set[str]:
    """The ids that may come first: the expected one and its ``also_ok`` (ids are unique
    across sections, so they are compared without their kind)."""
    ids = {str(expect["id"])} if "id" in expect else set()
    for other in expect.get("also_ok") or item.get("also_ok") or []:
        ids.add(str(other["id"]) if isinstance(other, dict) else str(other).split(":")[-1])
    return ids


def found_of(result: Result) -> list[str]:
    if result.listing is not None:
        return [f"{h.kind}:{h.id}" for h in result.listing]
    return [f"{h.kind}:{h.id}" for h in result.hits] if result.confident else []


def score_list(item: dict[str, Any], found: list[str]) -> bool:
    """A list question is right when every required record is listed and nothing listed is
    outside the required and the allowed extras."""
    expect = item["expect"]
    wanted = {str(i) for i in expect.get("ids", [])}
    extra = {str(i) for i in item.get("may_include") or expect.get("may_include") or []}
    got = {f.split(":", 1)[1] for f in found}  # list ids name records of any kind
    return bool(wanted) and wanted <= got and not (got - wanted - extra)


def _count(tally: Tally, item: dict[str, Any], right: bool, stated: bool | None) -> None:
    language = item["lang"]
    cells = [f"{group_of(item)}/{language}"]
    if item.get("asks"):
        cells.append(f"asks:{item['asks']}/{language}")
    for cell in cells:
        tally.cell[cell] += 1
        tally.cell_right[cell] += right
        tally.cell_stated[cell] += bool(stated)


def score(answerer: Answerer, now: datetime, zone: str, items: list[dict[str, Any]]) -> Tally:
    tally = Tally()
    for item in items:
        language = item["lang"]
        result = answerer.ask(item["q"], language=language, zone=zone, now=now)
        found = found_of(result)
        expect = item["expect"]
        if expect in ("none", None):
            tally.scope[language] += 1
            right = not found
            tally.scope_right[language] += right
            _count(tally, item, right, None)
            if not right:
                tally.misses.append(f"{item['id']}: out of scope, answered {found[:2]}")
            continue
        tally.asked[language] += 1
        if expect.get("kind") == "list":
            right = top3 = score_list(item, found)
        else:
            ok = acceptable(expect, item)
            ids = [f.split(":", 1)[1] for f in found]
            right = bool(ids[:1]) and ids[0] in ok
            top3 = bool(ok & set(ids[:3]))
        tally.top1[language] += right
        tally.top3[language] += top3
        if not right:
            tally.misses.append(f"{item['id']}: expected {expect}, got {found[:3]}")
        stated = None
        if item.get("fact"):
            tally.facts[language] += 1
            reply = plain(compose(result, Reader(language, zone, True), now).text)
            stated = bool(re.search(item["fact"], reply))
            tally.stated[language] += stated
            if not stated:
                tally.misses.append(f"{item['id']}: fact {item.get('asks')} not stated")
        _count(tally, item, right, stated)
    return tally


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "—"


def table(tally: Tally) -> str:
    rows = [
        "| language | top-1 | top-3 | fact stated | small talk / off-topic right |",
        "|---|---|---|---|---|",
    ]
    for language in LANGUAGES:
        rows.append(
            f"| {language} | {pct(tally.top1[language], tally.asked[language])} "
            f"| {pct(tally.top3[language], tally.asked[language])} "
            f"| {pct(tally.stated[language], tally.facts[language])} "
            f"| {pct(tally.scope_right[language], tally.scope[language])} |"
        )
    return "\n".join(rows)


def breakdown(tally: Tally, names: list[str], label: str, facts: bool) -> str:
    """Right (top-1) per row and language; ``facts`` adds the fact rate per language."""
    heads = [f"{language} top-1" for language in LANGUAGES]
    if facts:
        heads += [f"{language} fact" for language in LANGUAGES]
    rows = [f"| {label} | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for name in names:
        cells = [name.removeprefix("asks:")]
        keys = [f"{name}/{language}" for language in LANGUAGES]
        cells += [pct(tally.cell_right[k], tally.cell[k]) for k in keys]
        if facts:
            cells += [pct(tally.cell_stated[k], tally.cell[k]) for k in keys]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(BLIND), help="the set's folder (questions.yaml)")
    parser.add_argument("--misses", action="store_true", help="list the misses")
    parser.add_argument("--brief", action="store_true", help="only the per-language table")
    args = parser.parse_args()
    folder = Path(args.set).resolve()
    answerer, now, zone, items = load(folder)
    tally = score(answerer, now, zone, items)
    name = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"### {len(items)} questions ({name}) on {machine()}\n")
    print(table(tally))
    if not args.brief:
        asks = sorted({k.split("/")[0] for k in tally.cell if k.startswith("asks:")})
        groups = [g for g in GROUPS if any(k.startswith(f"{g}/") for k in tally.cell)]
        print("\n" + breakdown(tally, groups, "group", facts=False))
        print("\n" + breakdown(tally, asks, "asks", facts=True))
    if args.misses:
        print("\n" + "\n".join(tally.misses))


if __name__ == "__main__":
    main()
