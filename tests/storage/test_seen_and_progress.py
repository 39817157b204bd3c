"""Storage for the reliability work: webhook update ids seen across processes, the
outbox's per-part progress, and the queue figures of /healthz (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from storage import outbox, updates
from storage.db import Database
from storage.models import Delivery
from storage.types import utcnow


async def test_an_update_id_is_first_seen_once_across_processes(
    db: Database, database_url: str
) -> None:
    other = Database(database_url)  # a second process on the same database
    try:
        now = utcnow()
        assert await updates.first_sighting(db, 501, now) is True
        assert await updates.first_sighting(other, 501, now) is False
        assert await updates.first_sighting(db, 501, now) is False
        assert await updates.first_sighting(other, 502, now) is True
        assert await updates.first_sighting(db, 2**63 - 1, now) is True
    finally:
        await other.dispose()


async def test_old_update_ids_are_pruned(db: Database) -> None:
    now = utcnow()
    await updates.first_sighting(db, 1, now - timedelta(days=2))
    await updates.first_sighting(db, 2, now)
    assert await updates.prune(db, now) == 1
    assert await updates.first_sighting(db, 1, now) is True  # forgotten
    assert await updates.first_sighting(db, 2, now) is False


async def test_outcomes_keep_the_progress_of_each_part(db: Database) -> None:
    now = utcnow()
    drafts = [
        outbox.DeliveryDraft(f"k{i}", "broadcast", 100 + i, {"parts": ["a", "b", "c"]})
        for i in range(3)
    ]
    async with db.session() as session:
        await outbox.enqueue(session, drafts, now - timedelta(minutes=5))
    claimed = await outbox.claim_due(db, "w", now, 3)
    assert [row.parts_sent for row in claimed] == [0, 0, 0]
    first, second, third = (row.id for row in claimed)
    assert first is not None and second is not None and third is not None
    retry_at = now + timedelta(seconds=30)
    await outbox.apply_outcomes(
        db,
        [
            outbox.Outcome(
                first, "retry", 1, parts_sent=2, first_attempt_at=now, retry_at=retry_at
            ),
            outbox.Outcome(second, "retry", 1, first_attempt_at=now, timeouts=1, retry_at=retry_at),
            outbox.Outcome(third, "sent", 1, message_id=9, parts_sent=3, first_attempt_at=now),
        ],
        now,
    )
    async with db.session() as session:
        rows = {row_id: await session.get(Delivery, row_id) for row_id in (first, second, third)}
    assert rows[first] is not None and rows[first].parts_sent == 2
    assert rows[first].first_attempt_at == now and rows[first].status == "pending"
    assert rows[second] is not None and rows[second].timeouts == 1
    assert rows[third] is not None and rows[third].parts_sent == 3

    stats = await outbox.queue_stats(db, now)
    assert stats.depth == 2 and stats.due == 0 and stats.oldest_due_seconds == 0
    later = await outbox.queue_stats(db, now + timedelta(seconds=90))
    assert later.due == 2 and 59 <= later.oldest_due_seconds <= 61
