"""The audit log: who did what, when (every admin and organizer action)."""

from __future__ import annotations

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
