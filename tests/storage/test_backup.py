"""``python -m bot backup FILE`` and ``restore FILE`` while the bot runs: SQLite through its
online backup API, PostgreSQL through pg_dump and through the logical export."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.app.backup import pg_tool
from bot.devtools.local import local_bot
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member
from storage.models import Member

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def members(db: Database) -> int:
    async with db.session() as session:
        return int((await session.exec(select(func.count()).select_from(Member))).one())


async def add(db: Database, first: int, count: int) -> None:
    for user_id in range(first, first + count):
        identity = TelegramIdentity(user_id, user_id, f"Ñandú {user_id}")
        await ensure_member(db, identity, default_timezone="UTC")


@pytest.mark.parametrize("logical", [False, True], ids=["native", "logical"])
@pytest.mark.strict_api
async def test_backup_and_restore_while_the_bot_runs(
    database_url: str, logical: bool, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite") and not logical and pg_tool("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    async with local_bot(database_url=database_url) as bot:
        await add(bot.db, 40_000, 25)
        target = tmp_path / "backup.bin"
        made = await asyncio.to_thread(
            cli, database_url, "backup", str(target), *(["--logical"] if logical else [])
        )
        assert made.returncode == 0, made.stderr
        expected = "logical" if logical else ("sqlite" if "sqlite" in database_url else "pg_dump")
        assert f"({expected})" in made.stdout
        await add(bot.db, 41_000, 5)  # written after the backup: the restore undoes it
        assert await members(bot.db) == 30

        done = await asyncio.to_thread(cli, database_url, "restore", str(target))
        assert done.returncode == 0, done.stderr
        assert await members(bot.db) == 25
        # the running bot goes on: a new person is answered and remembered
        user = bot.emulator.user(user_id=42_000, language_code="es")
        await user.send("/start")
        await bot.emulator.wait_for(lambda: bool(bot.emulator.chats[42_000].messages), 20)
        for _ in range(50):
            if await members(bot.db) == 26:
                break
            await asyncio.sleep(0.1)
        assert await members(bot.db) == 26
        async with bot.db.session() as session:
            names = (await session.exec(select(Member.first_name))).all()
        assert "Ñandú 40000" in names


def test_restore_refuses_what_is_no_backup(sqlite_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("not a backup")
    done = cli(sqlite_url, "restore", str(junk))
    assert done.returncode == 1
    assert "is not a backup of this bot" in done.stderr
