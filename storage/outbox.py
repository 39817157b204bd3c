"""The durable delivery outbox: every outgoing fan-out message is a row here first.

Rows are written in the same transaction as whatever caused them (a broadcast, a reminder,
a survey invitation), with a unique ``key`` so that the same message is never queued twice.
Senders claim due rows atomically — ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite's
single writer otherwise — so two processes never send the same row. A row left in
``sending`` by a crashed process is released after a lease and sent at most once more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database, upsert_insert
from storage.models import Delivery, Member

PRIORITY_NOTICE = 0  # one-off messages to a person (role granted, ...)
PRIORITY_REMINDER = 5
PRIORITY_SURVEY = 8
PRIORITY_BROADCAST = 10
LEASE = timedelta(seconds=30)  # a claim not renewed for this long was a crashed process's
GIVE_UP_AFTER = timedelta(hours=24)  # retries go on this long after the first attempt


@dataclass
class DeliveryDraft:
    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    language: str = "es"
    member_id: int | None = None
    broadcast_id: int | None = None
    event_id: str | None = None
    survey_id: str | None = None
    priority: int = PRIORITY_BROADCAST
    not_before: datetime | None = None


def drafts_for(
    members: Iterable[Member],
    *,
    key: Callable[[Member], str],
    kind: str,
    payload: Callable[[Member], dict[str, Any]],
    priority: int,
    event_id: str | None = None,
    survey_id: str | None = None,
    broadcast_id: int | None = None,
    not_before: datetime | None = None,
) -> list[DeliveryDraft]:
    """One draft per member, to their private chat, in their language."""
    return [
        DeliveryDraft(
            key=key(member),
            kind=kind,
            chat_id=member.chat_id,
            member_id=member.user_id,
            language=member.language,
            payload=payload(member),
            priority=priority,
            event_id=event_id,
            survey_id=survey_id,
            broadcast_id=broadcast_id,
            not_before=not_before,
        )
        for member in members
    ]


@dataclass
class Outcome:
    """What happened to one claimed delivery, applied in batches."""

    delivery_id: int
    status: str  # sent | retry | failed | blocked | requeue | cancelled
    attempts: int  # the row's attempt count after this outcome
    message_id: int | None = None
    error: str | None = None
    retry_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    parts_sent: int = 0  # parts of a multi-part message delivered so far
    first_attempt_at: datetime | None = None
    timeouts: int = 0  # sends that timed out (their outcome unknown)


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
            "event_id": d.event_id,
            "survey_id": d.survey_id,
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
        statement = (
            upsert_insert(session, Delivery)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        result = await session.exec(statement)
        inserted += int(result.rowcount or 0)
    return inserted


async def claim_due(
    db: Database,
    worker: str,
    now: datetime,
    limit: int,
    lease: timedelta = LEASE,
    *,
    reclaim: bool = True,
) -> list[Delivery]:
    """Atomically take up to ``limit`` due rows for ``worker`` (status becomes ``sending``).

    With ``reclaim``, stale claims (not renewed within the lease: their process died) are
    taken back first.
    """
    async with db.session() as session:
        if reclaim:
            await session.exec(
                update(Delivery)
                .where(
                    col(Delivery.status) == "sending",
                    col(Delivery.claimed_at) < now - lease,
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
    """Write the results of a batch of sends in one transaction, one statement for all.

    Only the claiming worker touches a claimed row, so absolute values (the new attempt
    count) are safe to write.
    """
    outcomes = list(outcomes)
    if not outcomes:
        return
    rows = []
    for outcome in outcomes:
        row: dict[str, Any] = {
            "row_id": outcome.delivery_id,
            "status": "pending" if outcome.status in ("retry", "requeue") else outcome.status,
            "attempts": outcome.attempts,
            "sent_at": now if outcome.status == "sent" else None,
            "message_id": outcome.message_id,
            "error": (outcome.error or "")[:500] or None,
            "next_at": outcome.retry_at or now,
            "parts_sent": outcome.parts_sent,
            "first_at": outcome.first_attempt_at,
            "timeouts": outcome.timeouts,
        }
        rows.append(row)
    table = Delivery.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        # A row cancelled while it was being sent (an erasure) stays cancelled.
        .where(table.c.id == bindparam("row_id"), table.c.status != "cancelled")
        .values(
            status=bindparam("status"),
            attempts=bindparam("attempts"),
            sent_at=bindparam("sent_at"),
            telegram_message_id=bindparam("message_id"),
            last_error=bindparam("error"),
            next_attempt_at=bindparam("next_at"),
            parts_sent=bindparam("parts_sent"),
            first_attempt_at=bindparam("first_at"),
            timeouts=bindparam("timeouts"),
            claimed_by=None,
            claimed_at=None,
        )
    )
    blocked_chats = [
        int(o.extra["chat_id"]) for o in outcomes if o.status == "blocked" and "chat_id" in o.extra
    ]
    async with db.session() as session:
        connection = await session.connection()
        await connection.execute(statement, rows)
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


async def renew_claims(db: Database, worker: str, now: datetime) -> int:
    """Heartbeat: this worker still holds its claims (so nobody takes them back)."""
    async with db.session() as session:
        result = await session.exec(
            update(Delivery)
            .where(col(Delivery.claimed_by) == worker, col(Delivery.status) == "sending")
            .values(claimed_at=now)
        )
        return int(result.rowcount or 0)


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


async def due_counts(
    db: Database, until: datetime, worker: str | None = None, lease: timedelta = LEASE
) -> int:
    """Rows pending and due by ``until``, plus rows being sent (by ``worker`` when given;
    other workers' claims count once their lease has run out, as they are then due again)."""
    sending = col(Delivery.status) == "sending"
    if worker is not None:
        sending = sending & (
            (col(Delivery.claimed_by) == worker) | (col(Delivery.claimed_at) < until - lease)
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


@dataclass
class QueueStats:
    depth: int  # rows pending or being sent
    due: int  # rows due now (pending, next attempt passed)
    oldest_due_seconds: float  # how long the oldest due row has waited (0: none)


async def queue_stats(db: Database, now: datetime) -> QueueStats:
    """Depth of the outbox and the age of its oldest due row, for /healthz and /metrics."""
    waiting = col(Delivery.status).in_(("pending", "sending"))
    due = (col(Delivery.status) == "pending") & (col(Delivery.next_attempt_at) <= now)
    async with db.session() as session:
        depth = int((await session.exec(select(func.count()).where(waiting))).one())
        row = (
            await session.exec(select(func.count(), func.min(Delivery.next_attempt_at)).where(due))
        ).one()
    count, oldest = int(row[0]), row[1]
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return QueueStats(depth, count, max(0.0, age))
