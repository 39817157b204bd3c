"""Webhook update ids seen lately: Telegram re-posts an update it thinks was not received,
and with several processes behind one URL any of them may get the copy."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col

from storage.db import Database, upsert_insert
from storage.models import SeenUpdate

KEEP = timedelta(days=1)  # Telegram gives up re-posting an update well within this


async def first_sighting(db: Database, update_id: int, now: datetime) -> bool:
    """Record ``update_id``; True only for the first process (and call) that records it."""
    async with db.session() as session:
        statement = (
            upsert_insert(session, SeenUpdate)
            .values(update_id=update_id, received_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        result = await session.exec(statement)
        return bool(result.rowcount)


async def prune(db: Database, now: datetime, keep: timedelta = KEEP) -> int:
    """Forget update ids older than ``keep``."""
    async with db.session() as session:
        result = await session.exec(
            delete(SeenUpdate).where(col(SeenUpdate.received_at) < now - keep)
        )
        return int(result.rowcount or 0)
