"""The SQLite driver (storage.sqlite_driver): one trip to the driver thread per statement,
and the writers of one process queued at the write gate instead of in SQLite's busy
handler (where they timed out as "database is locked" under a burst)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import one_trip, sqlite_driver
from storage.db import Database
from storage.models import KeyValue
from storage.types import utcnow


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url, busy_timeout=0.05)  # a writer waits 50 ms, no more
    await database.upgrade()
    yield database
    await database.dispose()


async def test_writers_holding_the_lock_across_awaits_all_succeed(sqlite_db: Database) -> None:
    """Forty writers each keep their transaction open over 20 ms of event-loop work: far
    past SQLite's 50 ms busy timeout in total, so without the gate most would fail."""

    async def write(n: int) -> None:
        async with sqlite_db.session() as session:
            await session.exec(
                insert(KeyValue).values(key=f"k{n}", value={"n": n}, updated_at=utcnow())
            )
            await asyncio.sleep(0.02)
            await session.exec(
                update(KeyValue).where(KeyValue.key == f"k{n}").values(value={"n": -n})
            )

    await asyncio.gather(*(write(n) for n in range(40)))
    async with sqlite_db.session() as session:
        rows = (await session.exec(select(KeyValue.value).where(KeyValue.key.like("k%")))).all()
    assert sorted(row[0]["n"] for row in rows) == sorted(-n for n in range(40))
    assert sqlite_db.write_gate.holder is None


async def test_gate_is_given_back_on_rollback_and_on_a_failed_statement(
    sqlite_db: Database,
) -> None:
    async with sqlite_db.session() as session:
        session.add(KeyValue(key="once", value={}, updated_at=utcnow()))
    with pytest.raises(IntegrityError):
        async with sqlite_db.session() as session:
            await session.exec(insert(KeyValue).values(key="once", value={}, updated_at=utcnow()))
    assert sqlite_db.write_gate.holder is None
    with pytest.raises(RuntimeError):
        async with sqlite_db.session() as session:
            await session.exec(insert(KeyValue).values(key="other", value={}, updated_at=utcnow()))
            assert sqlite_db.write_gate.holder is not None
            raise RuntimeError("changed my mind")
    assert sqlite_db.write_gate.holder is None
    async with sqlite_db.session() as session:
        assert await session.get(KeyValue, "other") is None


async def test_a_read_is_one_trip_to_the_driver_thread(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sqlite_db.session() as session:  # the pool has its connection now
        await session.exec(text("SELECT 1"))
    trips: list[Any] = []
    original = sqlite_driver.Connection._execute

    async def counted(self: sqlite_driver.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(fn)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite_driver.Connection, "_execute", counted)
    async with sqlite_db.session() as session:
        assert await session.get(KeyValue, "missing") is None
    assert len(trips) == 1  # stock aiosqlite: cursor, execute, fetch, close, then a rollback
    trips.clear()
    async with sqlite_db.session() as session:
        session.add(KeyValue(key="new", value={"a": 1}, updated_at=utcnow()))
    assert len(trips) == 2  # the insert, the commit


async def test_rows_row_counts_and_streaming_come_through(sqlite_db: Database) -> None:
    async with sqlite_db.session() as session:
        await session.exec(
            insert(KeyValue).values(
                [{"key": f"s{n}", "value": {"n": n}, "updated_at": utcnow()} for n in range(5)]
            )
        )
        result = await session.exec(
            update(KeyValue).where(KeyValue.key.like("s%")).values(value={})
        )
        assert result.rowcount == 5
    async with sqlite_db.engine.connect() as connection:
        stream = await connection.stream(select(KeyValue.key).order_by(KeyValue.key))
        keys = [row[0] async for row in stream]
    assert [k for k in keys if k.startswith("s")] == [f"s{n}" for n in range(5)]


def _insert(key: str) -> Any:
    """A one-trip write of one key-value row, in SQLite's own SQL."""

    def work(connection: sqlite3.Connection) -> str:
        connection.execute(
            "INSERT INTO keyvalue (key, value, updated_at) VALUES (?, '{}', ?)",
            (key, utcnow().isoformat(sep=" ")),
        )
        return key

    return work


async def _one_trip(database: Database, work: Any) -> Any:
    async with database.session() as session:
        driver = await one_trip.sqlite_driver(session)
        assert driver is not None
        return await driver[0].run_transaction(work)


async def _keys(database: Database, prefix: str) -> list[str]:
    async with database.session() as session:
        rows = await session.exec(select(KeyValue.key).where(KeyValue.key.like(f"{prefix}%")))
        return sorted(row[0] for row in rows.all())


async def _queued(database: Database, works: list[Any]) -> list[Any]:
    """The outcomes of one-trip ``works`` that all queued while another writer held the gate."""
    async with database.session() as session:
        await session.exec(insert(KeyValue).values(key="hold", value={}, updated_at=utcnow()))
        writes = [asyncio.ensure_future(_one_trip(database, work)) for work in works]
        for _ in range(500):  # each has its pooled connection and waits at the gate
            if database.write_gate.group.waiting == len(works):
                break
            await asyncio.sleep(0.01)
        assert database.write_gate.group.waiting == len(works)
        assert not any(write.done() for write in writes)
    return await asyncio.gather(*writes, return_exceptions=True)


async def test_one_trip_writes_that_queue_together_share_a_trip_and_a_commit(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    original = sqlite_driver.Connection.run_batch

    async def counted(self: sqlite_driver.Connection, works: list[Any]) -> Any:
        batches.append(len(works))
        return await original(self, works)

    monkeypatch.setattr(sqlite_driver.Connection, "run_batch", counted)
    keys = await _queued(sqlite_db, [_insert(f"g{n:02}") for n in range(30)])
    assert keys == [f"g{n:02}" for n in range(30)]  # each caller gets its own result
    assert await _keys(sqlite_db, "g") == keys
    assert batches == [30]  # one trip, one commit
    assert sqlite_db.write_gate.holder is None


async def test_a_failing_write_is_undone_alone_and_the_others_are_kept(
    sqlite_db: Database,
) -> None:
    def half_then_fail(connection: sqlite3.Connection) -> None:
        _insert("f-half")(connection)
        raise ValueError("no")

    outcomes = await _queued(
        sqlite_db,
        [_insert("f-1"), half_then_fail, _insert("f-1"), _insert("f-2")],  # f-1 twice
    )
    assert isinstance(outcomes[1], ValueError) and outcomes[3] == "f-2"
    twice = sorted(outcomes[::2], key=lambda o: isinstance(o, str))  # in whichever order
    assert isinstance(twice[0], IntegrityError) and twice[1] == "f-1"  # SQLAlchemy's, as elsewhere
    assert await _keys(sqlite_db, "f-") == ["f-1", "f-2"]
    assert sqlite_db.write_gate.holder is None


async def test_a_write_cancelled_before_its_batch_is_not_written(sqlite_db: Database) -> None:
    async with sqlite_db.session() as session:  # holds the gate: the writes below queue
        await session.exec(insert(KeyValue).values(key="c-hold", value={}, updated_at=utcnow()))
        first = asyncio.ensure_future(_one_trip(sqlite_db, _insert("c-first")))
        cancelled = asyncio.ensure_future(_one_trip(sqlite_db, _insert("c-cancelled")))
        last = asyncio.ensure_future(_one_trip(sqlite_db, _insert("c-last")))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        await asyncio.sleep(0)
    assert await asyncio.gather(first, last) == ["c-first", "c-last"]
    assert cancelled.cancelled()
    assert await _keys(sqlite_db, "c-") == ["c-first", "c-hold", "c-last"]
    assert sqlite_db.write_gate.holder is None


async def test_a_batch_that_cannot_take_the_lock_fails_every_write_in_it(
    sqlite_db: Database, sqlite_url: str
) -> None:
    """Another process holds SQLite's write lock past the busy timeout (50 ms here): each
    write in the batch gets the error, none is half-kept, and the gate is free again."""

    async def warm() -> None:  # five pooled connections, so none is opened under the lock
        async with sqlite_db.session() as session:
            await session.exec(text("SELECT 1"))
            await asyncio.sleep(0.05)

    await asyncio.gather(*(warm() for _ in range(5)))
    other = sqlite3.connect(sqlite_url.split(":///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        outcomes = await asyncio.gather(
            *(_one_trip(sqlite_db, _insert(f"l{n}")) for n in range(5)), return_exceptions=True
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert all(isinstance(o, OperationalError) for o in outcomes), outcomes
    assert await _keys(sqlite_db, "l") == []
    assert sqlite_db.write_gate.holder is None
    assert await _one_trip(sqlite_db, _insert("l-after")) == "l-after"
