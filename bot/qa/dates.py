"""Simple date words in a question, in Spanish, Portuguese and English.

``today``/``hoy``/``hoje``, ``tomorrow``, ``this week``, ``next week``, ``this month``,
``next month``, month names (``in October``, ``en octubre``, ``em outubro``), and days
(``26 de marzo``, ``March 26``, ``26/03``) become a :class:`DateSpan`: the days they mean,
in the asker's time zone. A month or day without a year means its next occurrence — or,
for the past, the record dates are matched on month and day alone (see :meth:`matches`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "enero janeiro january jan ene",
        "febrero fevereiro february feb fev",
        "marzo marco march mar",
        "abril april abr apr",
        "mayo maio may mai",
        "junio junho june jun",
        "julio julho july jul",
        "agosto august aug ago",
        "septiembre setiembre setembro september sep sept set",
        "octubre outubro october oct out",
        "noviembre novembro november nov",
        "diciembre dezembro december dec dic dez",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
# Three-letter abbreviations clash with words ("mar" = sea, "set", "out"): only full names
# count on their own; abbreviations only next to a day number.
FULL_MONTHS = {name: n for name, n in MONTHS.items() if len(name) > 4 or name == "may"}
FULL_MONTHS |= {"mayo": 5, "maio": 5, "junio": 6, "junho": 6, "julio": 7, "julho": 7}
FULL_MONTHS |= {"june": 6, "july": 7}  # English names as short as the abbreviations

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_ALT = "|".join(sorted(FULL_MONTHS, key=len, reverse=True))
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|o|a)?(?:\s*(?:de|of))?\s+({_MONTH_ALT})\b"
    rf"(?:\s*(?:de|,)?\s*(\d{{4}}))?"
)
MONTH_DAY = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?")
NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_ALONE = re.compile(rf"\b({_FULL_ALT})\b(?:\s*(?:de|of)?\s*(\d{{4}}))?")
YEAR = re.compile(r"\b(20\d{2})\b")

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "lunes segunda segunda-feira monday mondays",
        "martes terca terca-feira tuesday tuesdays",
        "miercoles quarta quarta-feira wednesday wednesdays",
        "jueves quinta quinta-feira thursday thursdays",
        "viernes sexta sexta-feira friday fridays",
        "sabado saturday saturdays",
        "domingo sunday sundays",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number
WEEKDAY = re.compile(r"\b(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b")

WEEKDAY_REACH = 8
# "el martes 20", "el día 14", "o dia 8", "on the 8th" (not "a las 14 h" or "14:00")
DAY_ALONE = re.compile(
    r"\b(?:(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")|el dia|o dia|dia|the)"
    r"\s+(?:de\s+|the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:h|hs|hrs|horas|hours|am|pm)\b|:)"
)

RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(pasado manana|depois de amanha|day after tomorrow)\b"), "day+2"),
    (re.compile(r"\b(hoy|hoje|today|tonight|esta noche|esta tarde|hoje a noite)\b"), "day+0"),
    (re.compile(r"\b(manana|amanha|tomorrow)\b"), "day+1"),
    (
        re.compile(
            r"\b(proxima semana|semana que viene|semana proxima|proxima semana|"
            r"semana que vem|next week)\b"
        ),
        "week+1",
    ),
    (
        re.compile(
            r"\b(esta semana|essa semana|nesta semana|nessa semana|desta semana|"
            r"dessa semana|this week)\b"
        ),
        "week+0",
    ),
    (re.compile(r"\b(proximo mes|mes que viene|mes proximo|mes que vem|next month)\b"), "month+1"),
    (
        re.compile(
            r"\b(este mes|esse mes|neste mes|deste mes|nesse mes|desse mes|this month|"
            r"(del|do) mes(?!\s+(de|que|pasado|passado|proximo|siguiente|seguinte)\b))\b"
        ),
        "month+0",
    ),
    (re.compile(r"\b(fin de semana|fim de semana|finde|weekend)\b"), "weekend+0"),
    (
        re.compile(
            r"\b(proximos dias|los proximos dias|nos proximos dias|next few days|"
            r"next days|coming days)\b"
        ),
        "days+7",
    ),
    (re.compile(r"\b(ayer|ontem|yesterday)\b"), "day-1"),
    (re.compile(r"\b(semana pasada|semana passada|last week)\b(?!\s+(of|in)\b)"), "week-1"),
    (re.compile(r"\b(mes pasado|mes passado|last month)\b"), "month-1"),
    (re.compile(r"\b(proximo ano|ano que viene|ano que vem|next year)\b"), "year+1"),
    (re.compile(r"\b(este ano|esse ano|neste ano|this year)\b"), "year+0"),
]


@dataclass(frozen=True)
class DateSpan:
    """Days from ``first`` to ``last`` (inclusive); ``loose`` spans also match other years
    on month (and day), for questions such as "the videoconference of 26 March"."""

    first: date
    last: date
    loose: bool = False
    with_day: bool = False
    weekday: int | None = None  # "on Thursday": only that weekday within the span

    def matches(self, day: date) -> bool:
        if self.weekday is not None and day.weekday() != self.weekday:
            return False
        if self.first <= day <= self.last:
            return True
        if not self.loose:
            return False
        if self.with_day:
            return (day.month, day.day) == (self.first.month, self.first.day)
        return day.month == self.first.month

    def overlaps(self, first: date, last: date) -> bool:
        if self.weekday is None and first <= self.last and last >= self.first:
            return True
        if not self.loose and self.weekday is None:
            return False
        days = min(62, (last - first).days + 1)
        return any(self.matches(first + timedelta(days=n)) for n in range(days))


def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _upcoming_day(today: date, month: int, day: int) -> date | None:
    this_year = _safe_date(today.year, month, day)
    if this_year is None:
        return None
    if this_year >= today - timedelta(days=31):
        return this_year
    return _safe_date(today.year + 1, month, day)


def find_date_span(folded: str, today: date) -> tuple[DateSpan | None, str]:
    """The date words of a folded question, and the question without them."""
    for finder in (_relative_words, _exact_day, _month_words, _weekday_words):
        found = finder(folded, today)
        if found is not None:
            return found
    match = YEAR.search(folded)
    if match:
        year = int(match[1])
        return DateSpan(date(year, 1, 1), date(year, 12, 31)), folded
    return None, folded


Found = tuple[DateSpan | None, str] | None


def _relative_words(folded: str, today: date) -> Found:
    for pattern, code in RELATIVE:
        match = pattern.search(folded)
        if match:
            span, rest = _relative(code, today), _cut(folded, match)
            named = WEEKDAY.search(rest)
            if named and code.startswith("week"):  # "el jueves de la semana que viene"
                monday = span.last - timedelta(days=6)
                chosen = monday + timedelta(days=WEEKDAYS[named[1]])
                return DateSpan(chosen, chosen), _cut(rest, named)
            return span, rest
    return None


def _exact_day(folded: str, today: date) -> Found:
    match = ISO.search(folded)
    if match:
        day = _safe_date(int(match[1]), int(match[2]), int(match[3]))
        if day:
            return DateSpan(day, day), _cut(folded, match)
    for pattern, order in ((DAY_MONTH, "dm"), (MONTH_DAY, "md")):
        match = pattern.search(folded)
        if match:
            day_text, month_text = (match[1], match[2]) if order == "dm" else (match[2], match[1])
            span = _day_span(int(day_text), MONTHS[month_text], match[3], today)
            return _week_of(span, folded, match), _cut(folded, match)
    match = NUMERIC.search(folded)
    if match and 1 <= int(match[2]) <= 12:
        span = _day_span(int(match[1]), int(match[2]), match[3], today)
        return _week_of(span, folded, match), _cut(folded, match)
    match = DAY_ALONE.search(folded)
    if match:  # "el martes 20", "el día 14", "on the 8th": the next day of that number
        number = int(match[2])
        weekday = WEEKDAYS.get(match[1] or "")
        for ahead in range(0, 62):
            day = today + timedelta(days=ahead)
            if day.day == number and (weekday is None or day.weekday() == weekday):
                return DateSpan(day, day), _cut(folded, match)
    return None


# "may" alone is the English verb ("may I enrol?") unless a preposition or a year marks it
MAY_AS_MONTH = re.compile(
    r"\b(?:in|of|for|during|next|this|last|since|until|till|by|from|early|late|mid|de|em|en)"
    r"\s+(?:the\s+month\s+of\s+)?$"
)


def _is_month(folded: str, match: re.Match[str]) -> bool:
    if match[1] != "may" or match[2]:
        return True
    return MAY_AS_MONTH.search(folded[: match.start()]) is not None


# A part of a month said before it: "the last week of October", "a fines de marzo",
# "no começo de maio", "mid-June" → (first day, last day; 0 is the month's last)
_WEEK = r"(?:week|semana)\s+(?:of|de|do|da|del)\s+(?:the\s+month\s+of\s+|(?:el\s+)?mes\s+de\s+)?"
PART_OF_MONTH: list[tuple[re.Pattern[str], int, int]] = [
    (re.compile(rf"\b(?:first|1st|primera|primeira|1a|1ra)\s+{_WEEK}$"), 1, 7),
    (re.compile(rf"\b(?:second|2nd|segunda|2a|2da)\s+{_WEEK}$"), 8, 14),
    (re.compile(rf"\b(?:third|3rd|tercera|terceira|3a|3ra)\s+{_WEEK}$"), 15, 21),
    (re.compile(rf"\b(?:last|final|ultima)\s+{_WEEK}$"), -6, 0),
    (
        re.compile(
            r"\b(?:early|beginning of|start of|the start of|principios de|inicios de|"
            r"comienzos de|inicio de|comeco de|no comeco de|inicio do|primeiros dias de)"
            r"\s+(?:the\s+month\s+of\s+)?$"
        ),
        1,
        10,
    ),
    (re.compile(r"\b(?:mid|mid-|middle of|mediados de|meados de)\s*$"), 11, 20),
    (
        re.compile(
            r"\b(?:late|end of|the end of|finales de|fines de|fin de|final de|fim de|"
            r"finais de|no final de|ultimos dias de|last days of)\s+(?:the\s+month\s+of\s+)?$"
        ),
        21,
        0,
    ),
]


def _part_of_month(
    folded: str, match: re.Match[str], first: date, last: date, loose: bool
) -> tuple[DateSpan, str]:
    """The month's span, or the part of it that the words just before its name single
    out; and the question without them."""
    before = folded[: match.start()]
    for pattern, start, end in PART_OF_MONTH:
        part = pattern.search(before)
        if part:
            begin = last + timedelta(days=start) if start < 0 else first.replace(day=start)
            finish = last if end == 0 else first.replace(day=end)
            return DateSpan(begin, finish), before[: part.start()] + " " + folded[match.end() :]
    return DateSpan(first, last, loose=loose), _cut(folded, match)


def _month_words(folded: str, today: date) -> Found:
    match = next((m for m in MONTH_ALONE.finditer(folded) if _is_month(folded, m)), None)
    if not match:
        return None
    month = FULL_MONTHS[match[1]]
    if match[2]:
        first, last = _month_span(int(match[2]), month)
        return _part_of_month(folded, match, first, last, loose=False)
    year = today.year if month >= today.month - 1 else today.year + 1
    first, last = _month_span(year, month)
    return _part_of_month(folded, match, first, last, loose=True)


def _weekday_words(folded: str, today: date) -> Found:
    match = WEEKDAY.search(folded)
    if not match:
        return None
    weekday = WEEKDAYS[match[1]]
    ahead = (weekday - today.weekday()) % 7
    day = today + timedelta(days=ahead)
    # "Thursday's videoconference": the next Thursday that has one, within WEEKDAY_REACH
    # weeks (listings keep only the first such day).
    last = day + timedelta(weeks=WEEKDAY_REACH)
    return DateSpan(day, last, weekday=weekday), _cut(folded, match)


# "the week of March 18", "la semana del 18 de marzo", "a semana de 18/3": that day's week
WEEK_OF = re.compile(r"\b(week of( the)?|week starting( on)?|semana (del|de|do|da))\s*$")


def _week_of(span: DateSpan | None, folded: str, match: re.Match[str]) -> DateSpan | None:
    """The Monday-to-Sunday week of the day when the question says "the week of" it."""
    if span is None or not WEEK_OF.search(folded[: match.start()]):
        return span
    monday = span.first - timedelta(days=span.first.weekday())
    return DateSpan(monday, monday + timedelta(days=6))


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]


def _day_span(day: int, month: int, year_text: str | None, today: date) -> DateSpan | None:
    if year_text:
        year = int(year_text)
        year = year + 2000 if year < 100 else year
        found = _safe_date(year, month, day)
        return DateSpan(found, found) if found else None
    found = _upcoming_day(today, month, day)
    if found is None:
        return None
    return DateSpan(found, found, loose=True, with_day=True)


def _relative(code: str, today: date) -> DateSpan:
    unit, amount = re.split(r"(?=[+-])", code, maxsplit=1)
    step = int(amount)
    if unit == "day":
        day = today + timedelta(days=step)
        return DateSpan(day, day)
    if unit == "days":
        return DateSpan(today, today + timedelta(days=step))
    if unit == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # on a Sunday, "this weekend" is today
            saturday = today - timedelta(days=1)
        return DateSpan(max(today, saturday), saturday + timedelta(days=1))
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
        first = today if step == 0 else monday
        return DateSpan(first, monday + timedelta(days=6))
    if unit == "month":
        month = today.month - 1 + step
        first, last = _month_span(today.year + month // 12, month % 12 + 1)
        return DateSpan(today if step == 0 else first, last)
    year = today.year + step
    return DateSpan(today if step == 0 else date(year, 1, 1), date(year, 12, 31))
