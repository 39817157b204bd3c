"""Sanity check of a development set (tests/qa_dev, tests/qa_dev2, tests/qa_dev3) against the
network file it targets.

Run: python tests/qa_dev/check.py [QUESTIONS] (default: tests/qa_dev/questions.yaml). It
checks the schema of every item (ids `d-<lang>-NNN`, `d2-<lang>-NNN`, `d3-<lang>-NNN`, the
blind set's `b-<lang>-NNN`), that
every expected id exists in the network file (with the right kind), that every fact regex
compiles, and that each fact regex matches the true value rendered from the network file (and
not a neighbouring wrong value; `hours`, `pace` and `status` included, and compound durations
such as `1h15m`).
It runs no QA code.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "en": "January February March April May June July August September October November December",
}
KINDS = {"course": "courses", "event": "events", "faq": "faq"}
ASKS = set(
    "starts ends enroll_by enroll_url cost certificate hours modality pace languages provider "
    "date time timezone duration platform place join_url status".split()
)


def text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or next(iter(value.values())))
    return str(value)


def dates(day: dt.date, lang: str) -> list[str]:
    month = MONTHS[lang].split()[day.month - 1]
    return [
        f"{day.day} de {month} de {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month[:3]}.",
        f"{day.day}/{day.month}",
        day.isoformat(),
    ]


def as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.datetime.fromisoformat(str(value)).date()


def truth(asks: str, rec: dict[str, Any], lang: str) -> tuple[list[str], list[str]]:
    """Renderings of the true value, and of a wrong one the regex must not match."""
    if asks in ("starts", "ends", "enroll_by", "date"):
        key = "starts" if asks == "date" else asks
        day = as_date(rec[key])
        return dates(day, lang), dates(day + dt.timedelta(days=1), lang)
    if asks in ("time", "duration"):
        start = dt.datetime.fromisoformat(str(rec["starts"]))
        if "ends" in rec:
            end = dt.datetime.fromisoformat(str(rec["ends"]))
            minutes = int((end - start).total_seconds() // 60)
        else:
            raw = str(rec["duration"])  # 90m, 1h, 1h15m
            minutes = sum(
                int(n) * (60 if u == "h" else 1) for n, u in re.findall(r"(\d+)([hm])", raw)
            )
        if asks == "time":
            wrong = start + dt.timedelta(hours=1)
            return [start.strftime("%H:%M")], [wrong.strftime("%H:%M")]
        end = start + dt.timedelta(minutes=minutes)
        return [f"{minutes} min", end.strftime("%H:%M")], ["45 min"]
    if asks == "certificate":
        yes = "Certificado: sí" if rec.get("certificate") else "No da certificado"
        return [yes], ["No da certificado" if rec.get("certificate") else "Certificado: sí"]
    if asks == "languages":
        names = {"es": "español", "pt": "portugués", "en": "inglés"}
        return [", ".join(names[x] for x in rec["languages"])], []
    if asks == "modality":
        names = {"online": "en línea", "blended": "semipresencial", "in-person": "presencial"}
        return [names[rec["modality"]], rec["modality"]], []
    if asks == "timezone":
        return [rec["timezone"]], []
    if asks == "place":
        return [rec["location"]], []
    if asks in ("enroll_url", "join_url", "platform", "provider"):
        return [str(rec[asks])], []
    if asks == "hours":
        return [f"{rec['hours']} horas", f"{rec['hours']} hours"], [f"{rec['hours'] + 1} horas"]
    if asks == "pace":
        names = {"tutored": "tutorado", "self-paced": "autoasistido"}
        other = {"tutored": "self-paced", "self-paced": "tutored"}[rec["pace"]]
        return [rec["pace"], names[rec["pace"]]], [other, names[other]]
    if asks == "status":
        names = {
            "cancelled": {"es": "cancelado", "pt": "cancelado", "en": "cancelled"},
            "postponed": {"es": "aplazado", "pt": "adiado", "en": "postponed"},
        }
        wrong = {"es": "confirmado", "pt": "confirmado", "en": "scheduled"}
        other = "postponed" if rec["status"] == "cancelled" else "cancelled"
        return [names[rec["status"]][lang]], [wrong[lang], names[other][lang]]
    if asks == "cost":
        return [text(rec["cost"], lang), text(rec["cost"], "en")], []
    raise ValueError(f"no truth rendering for asks={asks}")


def check(path: Path) -> list[str]:
    doc = yaml.safe_load(path.read_text())
    net = yaml.safe_load((ROOT / doc["network"]).read_text())
    ids = {kind: {r["id"]: r for r in net[sec]} for kind, sec in KINDS.items()}
    every = {i: r for recs in ids.values() for i, r in recs.items()}
    errors: list[str] = []
    seen: set[str] = set()
    for it in doc["items"]:
        iid, lang, exp = it["id"], it["lang"], it["expect"]
        err = errors.append
        if iid in seen or not re.fullmatch(rf"(d\d*|b)-{lang}-\d{{3}}", iid):
            err(f"{iid}: bad or duplicate id")
        seen.add(iid)
        if exp == "none":
            if it.get("kind_of") not in ("smalltalk", "offtopic"):
                err(f"{iid}: expect none needs kind_of")
            continue
        if exp["kind"] == "list":
            for x in exp["ids"] + exp.get("may_include", []):
                if x not in every:
                    err(f"{iid}: unknown id {x}")
            continue
        if exp["id"] not in ids[exp["kind"]]:
            err(f"{iid}: unknown {exp['kind']} {exp['id']}")
            continue
        for x in exp.get("also_ok", []):
            if x not in every:
                err(f"{iid}: unknown also_ok {x}")
        if "asks" not in it:
            continue
        if it["asks"] not in ASKS:
            err(f"{iid}: unknown asks {it['asks']}")
        try:
            rx = re.compile(it["fact"])
        except re.error as exc:
            err(f"{iid}: regex does not compile: {exc}")
            continue
        rec = ids[exp["kind"]][exp["id"]]
        good, bad = truth(it["asks"], rec, lang)
        titles = rec["title"].values() if isinstance(rec["title"], dict) else [rec["title"]]
        bad = bad + [str(t) for t in titles]  # a title alone must not satisfy the fact
        if not any(rx.search(g) for g in good):
            err(f"{iid}: regex {it['fact']!r} matches none of the true renderings {good}")
        for b in bad:
            if rx.search(b):
                err(f"{iid}: regex {it['fact']!r} also matches {b!r}")
    return errors


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("questions.yaml")
    errors = check(path)
    for e in errors:
        print(e)
    print(f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
