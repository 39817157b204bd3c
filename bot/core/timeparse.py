"""Durations, zones and local times as the data file and the organizers write them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
