"""Durations, zones and local times as the data file and the organizers write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.text import fold

# [0-9], not \d: \d also takes other scripts' digits ("٣m" would be 3 minutes).
DURATION = re.compile(r"^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?$")


# ------------------------------------------------------------------ small parsers
def parse_duration(text: str) -> int:
    """``90m``, ``1h30m``, ``2d``, ``0m`` → minutes; ValueError otherwise."""
    value = str(text).strip().lower().replace(" ", "")
    match = DURATION.match(value)
    if not value or match is None or not any(match.groups()):
        raise ValueError(f"'{text}' is not a duration like 90m, 1h30m or 2d")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * 1440 + hours * 60 + minutes


def format_duration_code(minutes: int) -> str:
    """Minutes → the file's notation (``1h30m``, ``2d``, ``0m``)."""
    if minutes == 0:
        return "0m"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n)


def known_zone(name: str) -> bool:
    if not name or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_to_utc(naive: datetime, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as UTC; ValueError if it does not exist or is ambiguous."""
    tz = ZoneInfo(zone)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != naive:
            raise ValueError(
                f"{naive:%Y-%m-%dT%H:%M} does not exist in {zone} (the clocks skip that hour)"
            )
        raise ValueError(
            f"{naive:%Y-%m-%dT%H:%M} happens twice in {zone} (the clocks go back); "
            "choose another time"
        )
    return first.astimezone(UTC)


def parse_stamp(value: object) -> date | datetime:
    """``2023-10-04`` → date; ``2020-03-26T14:00`` (or with a space) → naive datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("write local time without a UTC offset; the zone goes in timezone")
        return value
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a valid date") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError:
            raise ValueError(f"'{text}' is not a valid date and time") from None
    if re.search(r"(Z|[+-]\d{2}:?\d{2})$", text):
        raise ValueError("write local time without a UTC offset; the zone goes in timezone")
    raise ValueError(f"'{text}' is not an ISO 8601 date (2023-10-04) or time (2023-10-04T14:00)")


def parse_date_only(value: object) -> date:
    stamp = parse_stamp(value)
    if isinstance(stamp, datetime):
        raise ValueError("expected a date without a time (2023-05-15)")
    return stamp


# ------------------------------------------------------------------ natural dates
# "mañana a las 10", "amanhã 15h", "next friday 3pm", "en 2 horas", "3 de diciembre 10:00":
# what organizers type in es, pt and en. Words are folded (no accents, lower case) first.
RELATIVE_DAYS = {
    # the past too, so that "ayer a las 10" is refused as past, not as unreadable
    "anteayer": -2,
    "antier": -2,
    "anteontem": -2,
    "day before yesterday": -2,
    "the day before yesterday": -2,
    "ayer": -1,
    "ontem": -1,
    "yesterday": -1,
    "hoy": 0,
    "hoje": 0,
    "today": 0,
    "manana": 1,
    "amanha": 1,
    "tomorrow": 1,
    "pasado manana": 2,
    "depois de amanha": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}
WEEKDAYS = {
    **dict.fromkeys(("lunes", "segunda", "segunda feira", "monday", "mon"), 0),
    **dict.fromkeys(("martes", "terca", "terca feira", "tuesday", "tue"), 1),
    **dict.fromkeys(("miercoles", "quarta", "quarta feira", "wednesday", "wed"), 2),
    **dict.fromkeys(("jueves", "quinta", "quinta feira", "thursday", "thu"), 3),
    **dict.fromkeys(("viernes", "sexta", "sexta feira", "friday", "fri"), 4),
    **dict.fromkeys(("sabado", "saturday", "sat"), 5),
    **dict.fromkeys(("domingo", "sunday", "sun"), 6),
}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("enero", "janeiro", "january", "jan", "ene"),
            ("febrero", "fevereiro", "february", "feb", "fev"),
            ("marzo", "marco", "march", "mar"),
            ("abril", "april", "abr", "apr"),
            ("mayo", "maio", "may", "mai"),
            ("junio", "junho", "june", "jun"),
            ("julio", "julho", "july", "jul"),
            ("agosto", "august", "ago", "aug"),
            ("septiembre", "setiembre", "setembro", "september", "sep", "set", "sept"),
            ("octubre", "outubro", "october", "oct", "out"),
            ("noviembre", "novembro", "november", "nov"),
            ("diciembre", "dezembro", "december", "dic", "dez", "dec"),
        ),
        start=1,
    )
    for name in names
}
UNITS = {
    **dict.fromkeys(("minuto", "minutos", "minute", "minutes", "min", "mins"), 1),
    **dict.fromkeys(("hora", "horas", "hour", "hours", "h", "hs"), 60),
    **dict.fromkeys(("dia", "dias", "day", "days"), 1440),
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_RELATIVE = re.compile(r"^(?:in|en|em|dentro de|daqui a|daqui|within)\s+([0-9]+)\s*([a-z]+)$")
_CLOCK = re.compile(
    r"(?:^|\s)(?:(a las|a la|as|at|a)\s+)?"
    r"([0-9]{1,2})(?:(?::|h|\.)([0-9]{2}))?\s*(h|hs|hrs|am|pm|a\.m\.|p\.m\.)?$"
)
_DAY_MONTH = re.compile(
    rf"^([0-9]{{1,2}})\s*(?:de\s+)?({_MONTH})\.?(?:\s+(?:de\s+)?([0-9]{{4}}))?$"
)
_MONTH_DAY = re.compile(rf"^({_MONTH})\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+([0-9]{{4}}))?$")
_NUMERIC = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$|^([0-9]{1,2})[/-]([0-9]{1,2})(?:[/-]([0-9]{4}))?$"
)
_FILLERS = re.compile(
    r"^(?:el|la|o|a|on|this|este|esta|next|proximo|proxima|que viene)\s+|\s+(?:que viene|next)$"
)


@dataclass(frozen=True)
class NaturalTime:
    """What was read: a day, a clock time, or (``in 2 hours``) a span from now."""

    day: date | None = None
    clock: time | None = None
    delta: timedelta | None = None
    weekday: bool = False  # the day was a weekday's name: a past hour means next week


def parse_natural(text: str, today: date) -> NaturalTime | None:
    """A date and/or time as people write them, relative to ``today``; None if unreadable."""
    folded = " ".join(fold(text).replace(",", " ").replace("T", " ").split())
    folded = re.sub(r"(?<=[0-9])t(?=[0-9])", " ", folded)
    folded = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", folded)  # "quarta-feira"
    relative = _RELATIVE.match(folded)
    if relative is not None:
        unit = UNITS.get(relative[2])
        return NaturalTime(delta=timedelta(minutes=int(relative[1]) * unit)) if unit else None
    clock, rest = _split_clock(folded)
    if isinstance(clock, bool):  # False: a time that cannot be (25:00, 13pm)
        return None
    day = _read_day(rest, today) if rest else None
    if rest and day is None:
        return None
    if day is None and clock is None:
        return None
    weekday = _FILLERS.sub("", _FILLERS.sub("", rest).strip()).strip() in WEEKDAYS
    return NaturalTime(day=day, clock=clock, weekday=weekday)


def _split_clock(folded: str) -> tuple[time | bool | None, str]:
    """The clock time at the end of the text and what stands before it (False: a bad time)."""
    match = _CLOCK.search(folded)
    if match is None:
        return None, folded
    rest = folded[: match.start()].strip()
    hour, minute = int(match[2]), int(match[3] or 0)
    suffix = (match[4] or "").replace(".", "")
    if match[3] is None and not suffix and not (match[1] or _is_day_expression(rest)):
        return None, folded  # "3 de diciembre" ends in no time; "15" alone is no time either
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return False, rest
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return False, rest
    return time(hour, minute), rest


def _is_day_expression(rest: str) -> bool:
    stripped = _FILLERS.sub("", rest).strip()
    named = _read_named_date(stripped, date(2000, 1, 1))
    return stripped in RELATIVE_DAYS or stripped in WEEKDAYS or named is not None


def _read_day(rest: str, today: date) -> date | None:
    text = rest.strip()
    if text in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[text])
    plain = _FILLERS.sub("", text).strip()
    plain = _FILLERS.sub("", plain).strip()
    if plain in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[plain])
    if plain in WEEKDAYS:
        ahead = (WEEKDAYS[plain] - today.weekday()) % 7
        if ahead == 0 and re.search(r"\b(next|proximo|proxima|que viene)\b", text):
            ahead = 7
        return today + timedelta(days=ahead)
    return _read_named_date(plain, today) or _read_numeric(plain, today)


def _read_named_date(text: str, today: date) -> date | None:
    """``3 de diciembre [de 2026]``, ``December 3[, 2026]``: this year or the next."""
    found = _DAY_MONTH.match(text)
    if found is not None:
        day, month, year = int(found[1]), MONTHS[found[2]], found[3]
    else:
        found = _MONTH_DAY.match(text)
        if found is None:
            return None
        day, month, year = int(found[2]), MONTHS[found[1]], found[3]
    return _complete(day, month, int(year) if year else None, today)


def _read_numeric(text: str, today: date) -> date | None:
    found = _NUMERIC.match(text)
    if found is None:
        return None
    if found[1]:
        return _complete(int(found[3]), int(found[2]), int(found[1]), today)
    return _complete(int(found[4]), int(found[5]), int(found[6]) if found[6] else None, today)


def _complete(day: int, month: int, year: int | None, today: date) -> date | None:
    """The date, with a missing year taken as the next time that day comes (a day of the
    last month stays in this year, so that it is refused as past rather than moved)."""
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate >= today - timedelta(days=31):
            return candidate
        return date(today.year + 1, month, day)
    except ValueError:
        return None


def natural_moment(text: str, now: datetime, zone: str) -> datetime | None:
    """A typed date and time in ``zone`` as aware UTC; None when it is not one.

    ValueError (from :func:`local_to_utc`) when the wall-clock time does not exist or
    happens twice there. A weekday whose hour has passed today means next week's.
    """
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    parsed = parse_natural(text, local_now.date())
    if parsed is None:
        return None
    if parsed.delta is not None:
        return now.astimezone(UTC) + parsed.delta
    if parsed.clock is None:
        return None  # a day without a time
    day = parsed.day or local_now.date()
    moment = local_to_utc(datetime.combine(day, parsed.clock), zone)
    if moment <= now and (parsed.day is None or parsed.weekday):
        # "10am" alone: the next 10am; "friday 9h" on a Friday at noon: next Friday
        later = day + timedelta(days=7 if parsed.weekday else 1)
        moment = local_to_utc(datetime.combine(later, parsed.clock), zone)
    return moment


def example_moment(now: datetime, zone: str, locale: str) -> str:
    """A date and time to show as an example: tomorrow at 10:00, in the reader's words."""
    from babel.dates import format_skeleton, format_time

    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    words = format_skeleton("MMMMd", day, locale=locale)
    return f"{words} {format_time(time(10, 0), 'short', locale=locale)}"


def example_day(now: datetime, zone: str, locale: str) -> str:
    """A date a week from now, as an example in the reader's words."""
    from babel.dates import format_skeleton

    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=7)
    return format_skeleton("MMMMd", day, locale=locale)
