"""Shared fixtures: databases (SQLite and PostgreSQL) and the bot over the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.devtools.local import LocalBot, local_bot
from storage.db import Database
from tests.pgserver import PostgresServer, create_database, postgres_server  # noqa: F401

ADMIN_ID = 9000


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    yield create_database(server.url, f"t_{abs(hash(request.node.nodeid)) % 10**12}")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database, on each store in turn."""
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    """The real bot on a fresh SQLite database, talking to a fresh emulator."""
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,)) as running:
        yield running
