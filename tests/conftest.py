"""Shared fixtures: databases (SQLite and PostgreSQL) and the bot over the emulator."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.devtools.emulator import STRICT_ENV, Call, collect_refusals
from bot.devtools.local import LocalBot, local_bot
from storage.db import Database
from tests.pgserver import PostgresServer, create_database, postgres_server  # noqa: F401

ADMIN_ID = 9000
# Every emulator of the tests holds the bot to the Bot API's rules (bot.devtools.emulator.strict).
os.environ.setdefault(STRICT_ENV, "1")
REFUSALS = pytest.StashKey[dict[str, list[str]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--strict-api",
        action="store_true",
        help="fail every test in which an emulator refused one of the bot's requests",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "strict_api: fail the test if an emulator refused one of the bot's requests"
    )
    config.stash[REFUSALS] = {}


@pytest.fixture(autouse=True)
def emulator_refusals(request: pytest.FixtureRequest) -> Iterator[list[Call]]:
    """The requests emulators refused during the test (400/404 of their own, not faults):
    listed at the end of the run; they fail tests marked ``strict_api`` (or all of them with
    ``--strict-api``). Tests that provoke refusals on purpose can read and clear this list."""
    with collect_refusals() as refused:
        yield refused
    if not refused:
        return
    lines = [f"{c.method} {c.status} {c.description}: {_brief(c.params)}" for c in refused]
    request.config.stash[REFUSALS][request.node.nodeid] = lines
    strict = request.node.get_closest_marker("strict_api") is not None
    if strict or request.config.getoption("--strict-api"):
        pytest.fail("the emulator refused requests:\n" + "\n".join(lines), pytrace=False)


def _brief(params: dict[str, object]) -> str:
    return ", ".join(f"{key}={str(value)[:40]!r}" for key, value in params.items())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    refusals = terminalreporter.config.stash.get(REFUSALS, {})
    if not refusals:
        return
    terminalreporter.section("requests the emulator refused")
    for nodeid, lines in refusals.items():
        terminalreporter.write_line(nodeid)
        for line in lines:
            terminalreporter.write_line(f"    {line}")


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
