"""What the end-to-end tests share: a bot at a fixed time, members onboarded in a zone, two
bot processes on one database, the outbox drained, and the ``python -m bot`` command line.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.devtools.emulator import BotAPIEmulator, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from storage.members import update_member
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def bot_at(database_url: str, now: datetime) -> AsyncIterator[LocalBot]:
    """A bot with the test admin whose clock stands at ``now``."""
    async with local_bot(
        database_url=database_url, admin_ids=(ADMIN_ID,), clock=FakeClock(now)
    ) as running:
        yield running


async def member_in(
    bot: LocalBot, user_id: int, zone: str, language: str, *, first: str = "/start"
) -> EmulatedUser:
    """A member who sent ``first`` (its answer read), then onboarded in ``zone``."""
    user = bot.emulator.user(user_id=user_id, first_name="Ana", language_code=language)
    await user.send(first)
    await user.next_message()
    await update_member(bot.db, user_id, timezone=zone, onboarded=True)
    return user


async def onboarded(
    bot: LocalBot, people: Mapping[int, tuple[str | None, str]]
) -> dict[int, EmulatedUser]:
    """Members ``M<id>`` (``{id: (zone or None to keep the default, language)}``) who sent
    /help, then onboarded."""
    users = {}
    for user_id, (zone, language) in people.items():
        user = bot.emulator.user(user_id=user_id, first_name=f"M{user_id}", language_code=language)
        await user.send("/help")
        await user.next_message()
        changes: dict[str, Any] = {"timezone": zone} if zone else {}
        await update_member(bot.db, user_id, onboarded=True, **changes)
        users[user_id] = user
    return users


@asynccontextmanager
async def two_processes(
    database_url: str, clock: Callable[[], datetime]
) -> AsyncIterator[tuple[LocalBot, LocalBot]]:
    """Two bot processes on one database and one emulator; only the first polls and
    migrates. The emulator stops after both."""
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        async with (
            local_bot(database_url=database_url, emulator=emulator, clock=clock) as first,
            local_bot(
                database_url=database_url,
                emulator=emulator,
                clock=clock,
                polling=False,
                migrate=False,
            ) as second,
        ):
            yield first, second
    finally:
        await emulator.stop()


async def drain(*bots: LocalBot) -> None:
    """Let every bot's outbox send what is due (the bots side by side)."""
    engines = [bot.services.delivery for bot in bots]
    assert all(engine is not None for engine in engines)
    await asyncio.gather(*(e.run_until_idle(20, horizon=0) for e in engines if e is not None))


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of ``python -m bot`` on a fresh SQLite file in ``tmp_path``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ask.db'}",
        **extra,
    }


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m bot <args>``, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
