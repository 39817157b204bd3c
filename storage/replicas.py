"""Shared state of several bot processes on one database: who sends, which chat is taken,
who holds a role (the poller). Times are Unix seconds from the callers' clocks (the hosts
of one deployment keep their clocks in sync with NTP).

Every statement is a single round trip, so a replica can afford them at sending rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database


async def _run(session: AsyncSession, sql: Any, params: dict[str, Any] | None = None) -> Any:
    connection = await session.connection()
    return await connection.execute(sql, params or {})


@dataclass(frozen=True)
class Replica:
    worker: str
    joined_at: float


async def heartbeat(db: Database, worker: str, now: float, stale: float) -> list[Replica]:
    """Say ``worker`` is alive, forget replicas not seen for ``stale`` seconds, and return
    the live ones (``worker`` included), oldest first."""
    async with db.session() as session:
        await _run(
            session, text("DELETE FROM sendreplica WHERE seen_at < :old"), {"old": now - stale}
        )
        await _run(
            session,
            text(
                "INSERT INTO sendreplica (worker, joined_at, seen_at) VALUES (:w, :now, :now) "
                "ON CONFLICT (worker) DO UPDATE SET seen_at = :now"
            ),
            {"w": worker, "now": now},
        )
        await _run(session, text("DELETE FROM chatsendmark WHERE until < :old"), {"old": now - 60})
        rows = await _run(
            session, text("SELECT worker, joined_at FROM sendreplica ORDER BY joined_at, worker")
        )
        return [Replica(str(w), float(j)) for w, j in rows.all()]


async def leave(db: Database, worker: str) -> None:
    async with db.session() as session:
        await _run(session, text("DELETE FROM sendreplica WHERE worker = :w"), {"w": worker})


async def take_chat(
    db: Database, chat_id: int, now: float, until: float, *, mine: float | None = None
) -> float:
    """Take ``chat_id`` for one send until ``until``: 0 when taken, else the seconds until
    the replica that holds it lets it go. ``mine``: the ``until`` of this replica's own
    mark on the chat, which does not hold it back (its local window does that)."""
    async with db.session() as session:
        taken = await _run(
            session,
            text(
                "INSERT INTO chatsendmark (chat_id, until) VALUES (:c, :until) "
                "ON CONFLICT (chat_id) DO UPDATE SET until = :until "
                "WHERE chatsendmark.until <= :now OR chatsendmark.until = :mine "
                "RETURNING chat_id"
            ),
            {"c": chat_id, "until": until, "now": now, "mine": mine},
        )
        if taken.first() is not None:
            return 0.0
        held = await _run(
            session, text("SELECT until FROM chatsendmark WHERE chat_id = :c"), {"c": chat_id}
        )
        value = held.scalar()
        return max(0.0, float(value) - now) if value is not None else 0.0


async def hold_lease(db: Database, name: str, holder: str, now: float, ttl: float) -> bool:
    """Take or renew the lease ``name`` for ``ttl`` seconds; False while another holds it."""
    async with db.session() as session:
        got = await _run(
            session,
            text(
                "INSERT INTO leaderlease (name, holder, expires_at) VALUES (:n, :h, :exp) "
                "ON CONFLICT (name) DO UPDATE SET holder = :h, expires_at = :exp "
                "WHERE leaderlease.holder = :h OR leaderlease.expires_at < :now "
                "RETURNING holder"
            ),
            {"n": name, "h": holder, "exp": now + ttl, "now": now},
        )
        return got.first() is not None


async def release_lease(db: Database, name: str, holder: str) -> None:
    async with db.session() as session:
        await _run(
            session,
            text("DELETE FROM leaderlease WHERE name = :n AND holder = :h"),
            {"n": name, "h": holder},
        )


async def lease_holder(db: Database, name: str, now: float) -> str | None:
    async with db.session() as session:
        row = await _run(
            session,
            text("SELECT holder FROM leaderlease WHERE name = :n AND expires_at >= :now"),
            {"n": name, "now": now},
        )
        value = row.scalar()
        return str(value) if value is not None else None
