"""The sample network moved for the demo so that it still reads true.

:func:`bot.devtools.sample.rebase_dates` moves dates by whole weeks, which keeps weekdays but
leaves ids (``steam-gender-2023``) and texts ("by the end of November 2023") in the old
years. Here every date moves by the whole weeks nearest to a whole number of years, every
whole date written in an id, a link or a text moves with it (``vc-2023-08-22`` becomes
``vc-2027-08-24``, the id of the event now on that day) and every year alone by the years,
so "the 46th meeting, October 2027" is the event of October 2027, still on its weekday.
The surveys are opened (from two days ago to three weeks ahead) so that each respondent kind
has one to answer at once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from bot.devtools.sample import DATE_KEYS, _as_date, _shift_value

YEAR = re.compile(r"(?<![\d.,])(19[89]\d|20[0-4]\d)(?!\d)")
# A whole date (vc-2023-08-22, in ids, links and texts) or else a year on its own.
DATE_OR_YEAR = re.compile(
    r"(?<![\d.,])(?:(?P<date>(?:19[89]\d|20[0-4]\d)-[01]\d-[0-3]\d)|(?P<year>19[89]\d|20[0-4]\d))"
    r"(?!\d)"
)
SURVEY_OPEN_FOR = timedelta(weeks=3)
UPCOMING_MARGIN = timedelta(days=60)


def year_shift(raw: dict[str, Any], now: datetime) -> int:
    """The fewest whole years that put the sample's latest start ``UPCOMING_MARGIN`` ahead."""
    starts = [
        _as_date(item.get("starts"))
        for section in ("events", "courses")
        for item in raw.get(section) or []
    ]
    known = [d for d in starts if d is not None]
    if not known:
        return 0
    latest = max(known)
    target = (now + UPCOMING_MARGIN).date()
    years = target.year - latest.year
    if _plus_years(latest, years) < target:
        years += 1
    return max(0, years)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def whole_weeks(years: int) -> timedelta:
    """The whole weeks nearest to ``years`` years (within 3 days): weekdays and times of day
    stay as in the sample, and so do months in the texts."""
    return timedelta(weeks=round(years * 365.2425 / 7))


def _shift_text(text: str, years: int, delta: timedelta) -> str:
    """A whole date moves as the dates do (by ``delta``: ``vc-2023-08-22`` becomes the id
    of the event now on 2027-08-24, and ``/start event-…`` links move with it); a year
    alone moves by ``years``."""

    def moved(found: re.Match[str]) -> str:
        if found.group("date"):
            try:
                return (date.fromisoformat(found.group("date")) + delta).isoformat()
            except ValueError:  # 2023-02-30: not a date, only its year moves
                return YEAR.sub(lambda m: str(int(m.group(1)) + years), found.group("date"))
        return str(int(found.group("year")) + years)

    return DATE_OR_YEAR.sub(moved, text)


def _walk(value: Any, years: int, delta: timedelta) -> Any:
    """Every date and year inside strings (ids, titles, descriptions, FAQ answers, links)
    moved; the date fields are left to :func:`move_for_demo`."""
    if isinstance(value, str):
        return _shift_text(value, years, delta)
    if isinstance(value, list):
        return [_walk(item, years, delta) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key in DATE_KEYS else _walk(item, years, delta)
            for key, item in value.items()
        }
    return value


def move_for_demo(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    years = year_shift(raw, now)
    delta = whole_weeks(years)
    for section in ("events", "courses", "surveys"):
        for item in raw.get(section) or []:
            for key in DATE_KEYS & set(item):
                item[key] = _shift_value(item[key], delta)
    moved: dict[str, Any] = {}
    for key, value in raw.items():
        moved[key] = value if key == "version" else _walk(value, years, delta)
    open_surveys(moved, now)
    return moved


def open_surveys(raw: dict[str, Any], now: datetime) -> None:
    """Each survey runs from two days ago to three weeks ahead."""
    opens = (now - timedelta(days=2)).replace(tzinfo=None, second=0, microsecond=0)
    closes = (now + SURVEY_OPEN_FOR).replace(tzinfo=None, second=0, microsecond=0)
    for survey in raw.get("surveys") or []:
        survey["opens"] = opens.isoformat(timespec="minutes")
        survey["closes"] = closes.isoformat(timespec="minutes")
