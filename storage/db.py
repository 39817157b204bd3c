"""Engine, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.sqlite_driver import WriteGate
from storage.sqlite_driver import connector as sqlite_connector

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT = 10.0  # seconds a SQLite writer waits for another process's writer
GATE_TIMEOUT = 30.0  # seconds a SQLite writer waits for the other writers of this process
SQLITE_POOL = 32  # pooled SQLite connections kept open (and as many more at a peak)


def _sqlite_path(url: str) -> str:
    database = make_url(url).database or ":memory:"
    return database if database == ":memory:" else str(Path(database).resolve())


def _sqlite_pragmas(busy_timeout: float, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted content is overwritten with zeros, not left in free pages (erasure).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def upsert_insert(session: AsyncSession, model: Any) -> Any:
    """``INSERT`` for ``model`` in the session's dialect, which has ``ON CONFLICT`` (the
    ``on_conflict_do_nothing`` / ``on_conflict_do_update`` of PostgreSQL and SQLite)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)


class Database:
    """Owns the async engine; storage functions take it and open short sessions."""

    def __init__(self, url: str, *, echo: bool = False, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Values that never change once written (the installation salt), per database.
        self.cache: dict[str, Any] = {}
        if self.is_sqlite:
            path = _sqlite_path(url)
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            # One writer at a time in this process; the busy timeout settles other processes.
            self.write_gate = WriteGate(timeout=GATE_TIMEOUT)
            self.engine: AsyncEngine = create_async_engine(
                url,
                echo=echo,
                connect_args={"timeout": 30},
                async_creator=None
                if path == ":memory:"
                else sqlite_connector(path, self.write_gate, timeout=30),
                # Enough pooled connections for the updates that run at once, so a burst
                # does not open and close overflow connections (a thread each) by the
                # thousand; an in-memory database has its one static connection.
                **(
                    {}
                    if path == ":memory:"
                    else {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL}
                ),
            )
            pragmas = functools.partial(_sqlite_pragmas, busy_timeout)
            event.listen(self.engine.sync_engine, "connect", pragmas)
        else:
            self.engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=10)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # Storage's per-process copies of immutable data, keyed by a stamp read from the
        # database (so a change by another process is seen): see storage.surveys.responses.
        self.memo: dict[Hashable, Any] = {}

    def remember(self, key: Hashable, value: Any, limit: int = 512) -> None:
        """Keep ``value`` in :attr:`memo` (emptied when full: old stamps are never read)."""
        if len(self.memo) >= limit:
            self.memo.clear()
        self.memo[key] = value

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def checkpoint(self, attempts: int = 5) -> bool:
        """SQLite: copy the WAL into the database file and truncate it, so the old page
        images of erased rows are gone from disk; True when the WAL is empty. A reader in
        another connection can hold it up, so it is retried briefly. PostgreSQL: no-op."""
        if not self.is_sqlite:
            return True
        for attempt in range(attempts):
            async with self.engine.connect() as conn:
                result = await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                row = result.first()
            if row is None or int(row[0]) == 0:
                return True
            await asyncio.sleep(0.05 * (attempt + 1))
        return False

    async def upgrade(self) -> None:
        """Apply Alembic migrations up to head (in a thread: Alembic runs its own loop)."""
        await asyncio.to_thread(upgrade_database, self.url)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str, revision: str = "head") -> None:
    """Blocking: bring the schema of ``url`` to ``revision``."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
