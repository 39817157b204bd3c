"""Creating, moving, changing and cancelling events (organizer commands), with the audit
log. Reminders follow by themselves: ``storage.reminders`` derives them from these rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.audit import add_entry
from storage.db import Database
from storage.models import Event
from storage.types import utcnow

EDITABLE = frozenset(
    {
        "title",
        "description",
        "platform",
        "join_url",
        "location",
        "audience",
        "reminders",
        "kind",
        "timezone",  # the zone it is shown in (the Mini App's form); the instant is move_event's
    }
)


async def free_event_id(db: Database, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever does not exist yet."""
    async with db.session() as session:
        taken = set(
            (await session.exec(select(Event.id).where(col(Event.id).startswith(base)))).all()
        )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


async def create_event(db: Database, event: Event, *, actor_id: int, actor_name: str) -> Event:
    async with db.session() as session:
        event.updated_at = utcnow()
        event.attendees_only = event.audience == [f"event:{event.id}"]
        session.add(event)
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="new event",
            target=event.id,
            details={"starts_at": event.starts_at.isoformat()},
        )
        await session.flush()
        return event


def remember_previous_start(
    event: Event, start: datetime | None = None, all_day: bool | None = None
) -> None:
    """Before a move of ``event`` (from ``start`` and ``all_day``, what it has until now by
    default), keep the start members were last told of for the notice, and whether it was a
    day or a time; a second move before that notice went out keeps the first one's."""
    if event.revision == event.notified_revision:
        event.previous_start = start if start is not None else event.starts_at
        event.previous_all_day = all_day if all_day is not None else event.all_day


async def move_event(
    db: Database,
    event_id: str,
    starts_at: datetime,
    ends_at: datetime,
    all_day: bool,
    *,
    actor_id: int,
    actor_name: str,
) -> Event | None:
    """New times: a new revision, so reminders are derived again and members told."""
    async with db.session() as session:
        event = await session.get(Event, event_id)
        if event is None or event.status == "cancelled":
            return None
        before = event.starts_at
        remember_previous_start(event)
        event.starts_at, event.ends_at, event.all_day = starts_at, ends_at, all_day
        event.revision += 1
        event.status = "scheduled"
        event.updated_at = utcnow()
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="move event",
            target=event_id,
            details={"from": before.isoformat(), "to": starts_at.isoformat()},
        )
        await session.flush()
        return event


async def change_event(
    db: Database, event_id: str, values: dict[str, Any], *, actor_id: int, actor_name: str
) -> Event | None:
    unknown = set(values) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    async with db.session() as session:
        event = await session.get(Event, event_id)
        if event is None:
            return None
        for key, value in values.items():
            setattr(event, key, value)
        event.attendees_only = event.audience == [f"event:{event.id}"]
        event.updated_at = utcnow()
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="edit event",
            target=event_id,
            details={"fields": sorted(values)},
        )
        await session.flush()
        return event


async def cancel_event(
    db: Database, event_id: str, *, actor_id: int, actor_name: str
) -> Event | None:
    """Cancelled: pending reminders are dropped and members told (``storage.reminders``)."""
    async with db.session() as session:
        event = await session.get(Event, event_id)
        if event is None or event.status == "cancelled":
            return None
        event.status = "cancelled"
        event.updated_at = utcnow()
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="cancel event",
            target=event_id,
        )
        await session.flush()
        return event
