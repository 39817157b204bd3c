"""A leaner aiosqlite connection for SQLAlchemy: one hand-off to the driver thread per
statement, and one writer at a time per process, queued in the event loop.

Stock aiosqlite takes four trips to its thread for a query (make a cursor, execute, fetch,
close) and SQLAlchemy adds a rollback when a connection goes back to the pool, so a
one-row read cost six thread hand-offs — most of an update's CPU on a busy bot. Here a
statement is executed, fetched and closed in one trip, and a commit or rollback with no
transaction open takes none.

SQLite allows one writer at a time; the others wait in its busy handler, which sleeps and
polls. With many updates in flight a writer could sleep past the busy timeout while the
lock changed hands ("database is locked"), and the lock stayed taken for as long as the
event loop needed to get round to the commit. So a connection that is about to write
first takes this process's write gate (FIFO, in the event loop) and gives it back at
commit or rollback: the writers of one process queue instead of polling, and SQLite's busy
timeout only settles contention with other processes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import aiosqlite
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")  # what makes sqlite3 open a transaction
Description = tuple[tuple[Any, ...], ...] | None
Outcome = tuple[bool, Any]  # (True, the work's result) or (False, its error)
T = TypeVar("T")


class WriteGate:
    """One writer at a time in this process (per event loop)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.holder: object | None = None
        self.group = GroupCommit()

    def _current(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop, self.holder = asyncio.Lock(), loop, None
        return self._lock

    async def acquire(self, owner: object) -> bool:
        """Wait for the gate; False (go on ungated) after ``timeout``: a task that writes
        in two sessions at once would otherwise wait for itself for ever."""
        lock = self._current()
        try:
            await asyncio.wait_for(lock.acquire(), self.timeout)
        except TimeoutError:
            log.warning("SQLite write gate not free after %.0f s; writing anyway", self.timeout)
            return False
        self.holder = owner
        return True

    def release(self, owner: object) -> None:
        if self.holder is owner and self._lock is not None and self._lock.locked():
            self.holder = None
            self._lock.release()


def is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(WRITES)


class Cursor:
    """Enough of a DBAPI cursor for SQLAlchemy's adapter; rows are fetched with the
    execution, so fetching and closing cost nothing."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def execute(self, sql: str, parameters: Any = ()) -> Cursor:
        await self._connection.run_statement(self, sql, lambda c: c.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        await self._connection.run_statement(self, sql, lambda c: c.executemany(sql, parameters))
        return self

    def take(self, result: tuple[list[Any], Description, int, int | None]) -> None:
        self._rows, self.description, self.rowcount, self.lastrowid = result

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> Sequence[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []


def _run(
    connection: sqlite3.Connection, call: Callable[[sqlite3.Cursor], Any]
) -> tuple[list[Any], Description, int, int | None]:
    """On the driver thread: execute, fetch everything, close."""
    cursor = connection.cursor()
    try:
        call(cursor)
        rows = cursor.fetchall() if cursor.description is not None else []
        return rows, cursor.description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _batch(
    connection: sqlite3.Connection, works: list[Callable[[sqlite3.Connection], Any]]
) -> list[Outcome]:
    """On the driver thread: each of ``works`` in its own savepoint of one transaction, then
    one commit. A work that raises is rolled back alone and its error is its outcome; if the
    transaction itself fails (the lock not had, the commit refused) nothing is kept and the
    error goes to every caller."""
    outcomes: list[Outcome] = []
    try:
        connection.execute("BEGIN IMMEDIATE")  # the lock once, not per work
        for work in works:
            connection.execute("SAVEPOINT work")
            try:
                outcomes.append((True, work(connection)))
            except Exception as error:
                connection.execute("ROLLBACK TO work")
                outcomes.append((False, error))
            connection.execute("RELEASE work")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return outcomes


@dataclass(eq=False)
class _Job:
    work: Callable[[sqlite3.Connection], Any]
    done: asyncio.Future[Any]


class GroupCommit:
    """One-trip writes of this process committed together: the first to arrive leads the
    next batch, waits for the write gate, and runs every write that queued meanwhile in one
    transaction and one trip on its own connection; the others wait for their outcome.

    In the 500-member survey burst the gate changed hands about 10,000 times, and each hand-
    over waited for the busy event loop twice (to wake the next writer, then to resume it
    after its trip): answers queued behind the hand-overs, not behind SQLite. A batch pays
    that once for all the answers that came in while it waited."""

    def __init__(self) -> None:
        self._next: list[_Job] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def run(self, connection: Connection, work: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # jobs of a loop that is gone are gone with it
            self._next, self._loop = [], loop
        job = _Job(work, loop.create_future())
        job.done.add_done_callback(_retrieved)
        self._next.append(job)
        try:
            if len(self._next) == 1:
                batch = asyncio.ensure_future(self._lead(connection))
                try:
                    await asyncio.shield(batch)
                except asyncio.CancelledError:
                    self._drop(job)
                    await asyncio.wait([batch])  # it runs on this connection
                    raise
            return cast(T, await asyncio.shield(job.done))
        except asyncio.CancelledError:
            self._drop(job)  # not written if its batch has not started
            raise

    @property
    def waiting(self) -> int:
        """Writes queued for the next batch."""
        return len(self._next)

    def _drop(self, job: _Job) -> None:
        if job in self._next:
            self._next.remove(job)

    async def _lead(self, connection: Connection) -> None:
        gate = connection.gate
        if gate.holder is not connection:
            await gate.acquire(connection)
        jobs, self._next = self._next, []
        try:
            outcomes = await connection.run_batch([job.work for job in jobs]) if jobs else []
        except asyncio.CancelledError:  # the loop is closing: nobody is left to tell
            for job in jobs:
                job.done.cancel()
            raise
        except Exception as error:
            outcomes = [(False, error)] * len(jobs)
        finally:
            gate.release(connection)
        for job, (ok, value) in zip(jobs, outcomes, strict=True):
            if not job.done.done():
                job.done.set_result(value) if ok else job.done.set_exception(value)


def _retrieved(future: asyncio.Future[Any]) -> None:
    """A caller cancelled meanwhile never reads its outcome; asyncio would log it."""
    if not future.cancelled():
        future.exception()


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose statements take one trip to its thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], gate: WriteGate) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy makes aiosqlite's own
        self.gate = gate

    def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    def _open(self) -> bool:
        return self._connection is not None and self._connection.in_transaction

    async def run_statement(
        self, cursor: Cursor, sql: str, call: Callable[[sqlite3.Cursor], Any]
    ) -> None:
        if not self._open() and is_write(sql) and self.gate.holder is not self:
            await self.gate.acquire(self)
        try:
            cursor.take(await self._execute(_run, self._conn, call))
        finally:
            if not self._open():  # autocommit, or the statement failed before BEGIN
                self.gate.release(self)

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` as one transaction on the driver thread, in one trip: committed, or
        rolled back if it raises. A transaction of several statements otherwise holds the
        write gate for one trip per statement and one for the commit, each waiting for a
        busy event loop to get round to it; this one holds it for one trip only, and shares
        that trip and its commit with the other one-trip writes waiting (:class:`GroupCommit`)."""
        if self._open():
            raise RuntimeError("run_transaction inside an open transaction")
        try:
            return cast(T, await self.gate.group.run(self, work))
        except sqlite3.Error as error:  # as SQLAlchemy gives it on every other path
            raise DBAPIError.instance(None, None, error, sqlite3.Error) from error

    async def run_batch(self, works: list[Callable[[sqlite3.Connection], Any]]) -> list[Outcome]:
        """On the driver thread, in one trip: each of ``works`` in a savepoint of one
        transaction, then one commit (the caller holds the write gate)."""
        trip = asyncio.ensure_future(self._execute(_batch, self._conn, works))
        try:
            return cast(list[Outcome], await asyncio.shield(trip))
        except asyncio.CancelledError:
            await asyncio.wait([trip])  # the gate stays taken until the thread is done
            raise

    async def commit(self) -> None:
        try:
            if self._open():
                await super().commit()
        finally:
            self.gate.release(self)

    async def rollback(self) -> None:
        try:
            if self._open():
                await super().rollback()
        finally:
            self.gate.release(self)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self.gate.release(self)

    def stop(self) -> asyncio.Future[Any] | None:
        self.gate.release(self)
        return super().stop()


def connector(path: str, gate: WriteGate, **kwargs: Any) -> Callable[[], Any]:
    """The ``async_creator`` of an engine on the SQLite file ``path``."""

    async def connect() -> Connection:
        connection = Connection(lambda: sqlite3.connect(path, **kwargs), gate)
        await connection  # starts its thread and opens the file
        return connection

    return connect
