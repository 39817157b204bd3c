"""The audit log: who did what, when (every admin and organizer action)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.models import AuditLog


def add_entry(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    target: str | None = None,
    actor_name: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an entry inside the caller's transaction (so it commits with the action)."""
    entry = AuditLog(
        actor_id=actor_id, actor_name=actor_name, action=action, target=target, details=details
    )
    session.add(entry)
    return entry


async def record(
    db: Database,
    *,
    actor_id: int | None,
    action: str,
    target: str | None = None,
    actor_name: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    async with db.session() as session:
        add_entry(
            session,
            actor_id=actor_id,
            action=action,
            target=target,
            actor_name=actor_name,
            details=details,
        )


async def record_unless_recent(
    db: Database,
    *,
    actor_id: int,
    action: str,
    target: str,
    now: datetime,
    within: timedelta,
    actor_name: str | None = None,
    details: dict[str, Any] | None = None,
) -> bool:
    """Record an entry unless the same actor had the same action on the same target within
    ``within`` before ``now`` (so that someone repeating a refused command cannot flood the
    log); whether it was recorded."""
    async with db.session() as session:
        found = await session.exec(
            select(AuditLog.id)
            .where(
                col(AuditLog.actor_id) == actor_id,
                col(AuditLog.action) == action,
                col(AuditLog.target) == target,
                col(AuditLog.at) > now - within,
            )
            .limit(1)
        )
        if found.first() is not None:
            return False
        entry = add_entry(
            session,
            actor_id=actor_id,
            action=action,
            target=target,
            actor_name=actor_name,
            details=details,
        )
        entry.at = now
        return True


async def recent_entries(db: Database, *, limit: int = 10, offset: int = 0) -> list[AuditLog]:
    async with db.session() as session:
        result = await session.exec(
            select(AuditLog)
            .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return list(result.all())


async def count_entries(db: Database) -> int:
    async with db.session() as session:
        result = await session.exec(select(func.count()).select_from(AuditLog))
        return int(result.one())
