"""The durable delivery outbox: every outgoing fan-out message is a row here first.

Rows are written in the same transaction as whatever caused them (a broadcast, a reminder,
a survey invitation), with a unique ``key`` so that the same message is never queued twice.
Senders claim due rows atomically — ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite's
single writer otherwise — so two processes never send the same row. A row left in
``sending`` by a crashed process is released after a lease and sent at most once more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.models import Delivery, Member

PRIORITY_NOTICE = 0  # one-off messages to a person (role granted, ...)
PRIORITY_REMINDER = 5
PRIORITY_SURVEY = 8
PRIORITY_BROADCAST = 10
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 6


@dataclass
class DeliveryDraft:
    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    language: str = "es"
    member_id: int | None = None
    broadcast_id: int | None = None
    priority: int = PRIORITY_BROADCAST
    not_before: datetime | None = None


@dataclass
class Outcome:
    """What happened to one claimed delivery, applied in batches."""

    delivery_id: int
    status: str  # sent | retry | failed | blocked | requeue
    message_id: int | None = None
    error: str | None = None
    retry_at: datetime | None = None
    count_attempt: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert(Delivery) if dialect == "postgresql" else sqlite.insert(Delivery)


async def enqueue(session: AsyncSession, drafts: Sequence[DeliveryDraft], now: datetime) -> int:
    """Queue drafts inside the caller's transaction; drafts whose key exists are skipped.

    Returns how many rows were new.
    """
    if not drafts:
        return 0
    rows = [
        {
            "key": d.key,
            "kind": d.kind,
            "chat_id": d.chat_id,
            "member_id": d.member_id,
            "broadcast_id": d.broadcast_id,
            "language": d.language,
            "payload": d.payload,
            "priority": d.priority,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": d.not_before or now,
            "created_at": now,
        }
        for d in drafts
    ]
    inserted = 0
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        statement = _insert(session).values(chunk).on_conflict_do_nothing(index_elements=["key"])
        result = await session.exec(statement)
        inserted += int(result.rowcount or 0)
    return inserted


async def claim_due(db: Database, worker: str, now: datetime, limit: int) -> list[Delivery]:
    """Atomically take up to ``limit`` due rows for ``worker`` (status becomes ``sending``).

    Stale claims (older than the lease) are taken back first.
    """
    async with db.session() as session:
        await session.exec(
            update(Delivery)
            .where(
                col(Delivery.status) == "sending",
                col(Delivery.claimed_at) < now - LEASE,
            )
            .values(status="pending", claimed_by=None, claimed_at=None)
        )
        due = (
            select(Delivery.id)
            .where(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now)
            .order_by(col(Delivery.priority), col(Delivery.next_attempt_at), col(Delivery.id))
            .limit(limit)
        )
        if not db.is_sqlite:
            due = due.with_for_update(skip_locked=True)
        ids = list((await session.exec(due)).all())
        if not ids:
            return []
        # The status condition makes the claim safe even where the SELECT above could not
        # lock (SQLite): a row another process took in between is simply not ours.
        await session.exec(
            update(Delivery)
            .where(col(Delivery.id).in_(ids), col(Delivery.status) == "pending")
            .values(status="sending", claimed_by=worker, claimed_at=now)
        )
        rows = await session.exec(
            select(Delivery)
            .where(
                col(Delivery.id).in_(ids),
                col(Delivery.claimed_by) == worker,
                col(Delivery.status) == "sending",
            )
            .order_by(col(Delivery.priority), col(Delivery.id))
        )
        return list(rows.all())


async def apply_outcomes(db: Database, outcomes: Iterable[Outcome], now: datetime) -> None:
    """Write the results of a batch of sends in one transaction."""
    outcomes = list(outcomes)
    if not outcomes:
        return
    blocked_chats: list[int] = []
    async with db.session() as session:
        for outcome in outcomes:
            values: dict[str, Any] = {"claimed_by": None, "claimed_at": None}
            if outcome.status == "sent":
                values |= {
                    "status": "sent",
                    "sent_at": now,
                    "telegram_message_id": outcome.message_id,
                    "last_error": None,
                }
            elif outcome.status in ("retry", "requeue"):
                values |= {
                    "status": "pending",
                    "next_attempt_at": outcome.retry_at or now,
                    "last_error": (outcome.error or "")[:500],
                }
            else:
                values |= {"status": outcome.status, "last_error": (outcome.error or "")[:500]}
            statement = update(Delivery).where(col(Delivery.id) == outcome.delivery_id)
            if outcome.count_attempt:
                statement = statement.values(attempts=col(Delivery.attempts) + 1)
            await session.exec(statement.values(**values))
            if outcome.status == "blocked" and "chat_id" in outcome.extra:
                blocked_chats.append(int(outcome.extra["chat_id"]))
        if blocked_chats:
            await session.exec(
                update(Member)
                .where(col(Member.chat_id).in_(blocked_chats))
                .values(blocked=True, updated_at=now)
            )
            # Nothing more goes to someone who blocked the bot.
            await session.exec(
                update(Delivery)
                .where(col(Delivery.chat_id).in_(blocked_chats), col(Delivery.status) == "pending")
                .values(status="blocked", last_error="bot was blocked by the user")
            )


async def release_claims(db: Database, worker: str) -> int:
    """Give back this worker's unsent claims (clean shutdown)."""
    async with db.session() as session:
        result = await session.exec(
            update(Delivery)
            .where(col(Delivery.claimed_by) == worker, col(Delivery.status) == "sending")
            .values(status="pending", claimed_by=None, claimed_at=None)
        )
        return int(result.rowcount or 0)


async def status_counts(db: Database, broadcast_id: int | None = None) -> dict[str, int]:
    async with db.session() as session:
        query = select(Delivery.status, func.count()).group_by(col(Delivery.status))
        if broadcast_id is not None:
            query = query.where(col(Delivery.broadcast_id) == broadcast_id)
        return {status: int(n) for status, n in (await session.exec(query)).all()}


async def next_due_at(db: Database) -> datetime | None:
    async with db.session() as session:
        result = await session.exec(
            select(func.min(Delivery.next_attempt_at)).where(col(Delivery.status) == "pending")
        )
        return result.one()


async def cancel_pending(db: Database, *, broadcast_id: int) -> int:
    async with db.session() as session:
        result = await session.exec(
            update(Delivery)
            .where(col(Delivery.broadcast_id) == broadcast_id, col(Delivery.status) == "pending")
            .values(status="cancelled")
        )
        return int(result.rowcount or 0)


async def due_counts(db: Database, until: datetime, worker: str | None = None) -> int:
    """Rows pending and due by ``until``, plus rows being sent (by ``worker`` when given;
    other workers' claims count once their lease has run out, as they are then due again)."""
    sending = col(Delivery.status) == "sending"
    if worker is not None:
        sending = sending & (
            (col(Delivery.claimed_by) == worker) | (col(Delivery.claimed_at) < until - LEASE)
        )
    async with db.session() as session:
        result = await session.exec(
            select(func.count())
            .select_from(Delivery)
            .where(
                sending
                | ((col(Delivery.status) == "pending") & (col(Delivery.next_attempt_at) <= until))
            )
        )
        return int(result.one())
