"""The sample network shipped with the project (``bot/sample_data/network.yaml``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.app.config import Settings
from storage.db import Database

SAMPLE_FILE = Path(__file__).resolve().parent / "sample_data" / "network.yaml"
DATE_KEYS = {"starts", "ends", "enroll_by", "opens", "closes"}


def _shift_value(value: Any, delta: timedelta) -> Any:
    if isinstance(value, datetime):
        return (value + delta).isoformat(timespec="minutes")
    if isinstance(value, date):
        return (value + delta).isoformat()
    if isinstance(value, str):
        try:
            if "T" in value:
                return (datetime.fromisoformat(value) + delta).isoformat(timespec="minutes")
            return (date.fromisoformat(value) + delta).isoformat()
        except ValueError:
            return value
    return value


def rebase_dates(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Move every date by whole weeks so the sample's most recent year is centred on ``now``.

    Whole weeks keep weekdays and local times of day, so the sample still reads naturally;
    about half of the latest year's events and courses then lie ahead.
    """
    starts = [
        _as_date(item.get("starts"))
        for section in ("events", "courses")
        for item in raw.get(section) or []
    ]
    known = [d for d in starts if d is not None]
    if not known:
        return raw
    latest = max(known)
    middle = latest - timedelta(days=182)
    weeks = round((now.date() - middle).days / 7)
    delta = timedelta(weeks=weeks)
    for section in ("events", "courses", "surveys"):
        for item in raw.get(section) or []:
            for key in DATE_KEYS & set(item):
                item[key] = _shift_value(item[key], delta)
    return raw


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def sample_bytes(now: datetime | None = None, *, demo: bool = False) -> bytes:
    """The sample file, re-based to ``now`` when given; ``demo``: moved by whole years, ids
    and texts included, with its surveys open (:func:`bot.devtools.sample_demo.move_for_demo`)."""
    raw = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))
    if now is not None and demo:
        from bot.devtools.sample_demo import move_for_demo

        raw = move_for_demo(raw, now)
    elif now is not None:
        raw = rebase_dates(raw, now)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


async def load_sample_data(
    db: Database, settings: Settings, now: datetime | None = None, *, demo: bool = False
) -> None:
    from bot.importer.network_file import parse_network_files
    from storage.network import import_network

    data = parse_network_files(
        [("network.yaml", sample_bytes(now, demo=demo))], default_language=settings.default_language
    )
    await import_network(db, data, actor_name="sample data")
