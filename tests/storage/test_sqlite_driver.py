"""The SQLite driver (storage.sqlite_driver): one trip to the driver thread per statement,
and the writers of one process queued at the write gate instead of in SQLite's busy
handler (where they timed out as "database is locked" under a burst)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage import sqlite_driver
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
