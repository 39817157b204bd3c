"""The demo's sample data, moved to today, still reads true: ids and texts carry the years of
the moved dates, weekdays stay, and the surveys are open."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime

import yaml

from bot.devtools.sample import SAMPLE_FILE, sample_bytes
from bot.devtools.sample_demo import year_shift

NOW = datetime(2026, 12, 2, 0, 40, tzinfo=UTC)


def _day(value: object) -> date:
    return date.fromisoformat(str(value)[:10])


@functools.cache
def moved() -> dict:  # type: ignore[type-arg]
    """Read-only: shared by the tests (the sample takes seconds to parse)."""
    return yaml.safe_load(sample_bytes(NOW, demo=True))


def test_ids_carry_the_year_of_their_dates() -> None:
    data = moved()
    checked = 0
    for section in ("events", "courses"):
        for item in data[section]:
            found = re.search(r"(20\d\d)", item["id"])
            if found is None:
                continue
            assert int(found.group(1)) == _day(item["starts"]).year, item["id"]
            full = re.search(r"(20\d\d-\d\d-\d\d)", item["id"])
            if full is not None:  # vc-2027-08-24: the day the event now is, not the old one
                assert date.fromisoformat(full.group(1)) == _day(item["starts"]), item["id"]
            checked += 1
    assert checked > 50


def test_ids_named_in_texts_and_links_are_the_moved_ones() -> None:
    data = moved()
    ids = {e["id"] for e in data["events"]}
    faq = next(f for f in data["faq"] if "/event " in f["answer"]["en"])
    named = re.search(r"/event (\S+)\)", faq["answer"]["en"])
    assert named is not None and named.group(1) in ids  # the FAQ's example still exists
    for event in data["events"]:
        if event.get("join_url", "").startswith("https://example.org/j/"):
            assert event["join_url"].endswith("/" + event["id"]), event["id"]


def test_texts_move_with_the_dates() -> None:
    data = moved()
    meeting = next(e for e in data["events"] if e["id"].startswith("tc-46-"))
    year = _day(meeting["starts"]).year
    faq = next(f for f in data["faq"] if "Punta Cana" in f["answer"]["en"])
    assert f"October {year}" in faq["answer"]["en"] and "2023" not in faq["answer"]["en"]
    assert f"outubro de {year}" in faq["answer"]["pt"]
    steam = next(c for c in data["courses"] if c["id"].startswith("steam-gender-"))
    assert str(_day(steam["starts"]).year) in steam["id"]


def test_weekdays_kept_and_events_ahead() -> None:
    original = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))
    data = moved()
    for before, after in zip(original["events"], data["events"], strict=True):
        assert _day(before["starts"]).weekday() == _day(after["starts"]).weekday()
    ahead = [e for e in data["events"] if _day(e["starts"]) > NOW.date()]
    behind = [e for e in data["events"] if _day(e["starts"]) <= NOW.date()]
    assert ahead and behind
    assert year_shift(original, NOW) == 4


def test_every_survey_is_open_now() -> None:
    for survey in moved()["surveys"]:
        opens = datetime.fromisoformat(survey["opens"]).replace(tzinfo=UTC)
        closes = datetime.fromisoformat(survey["closes"]).replace(tzinfo=UTC)
        assert opens < NOW < closes
    kinds = {s["respondent"] for s in moved()["surveys"]}
    assert kinds == {"institution", "member"}


def test_plain_rebase_unchanged() -> None:
    plain = yaml.safe_load(sample_bytes(NOW))
    assert any(c["id"] == "big-data-2021" for c in plain["courses"])  # ids as shipped
