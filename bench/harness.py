"""What the benchmarks share: the Bot API emulator and the real bot as separate processes,
a scratch database with members, and small statistics helpers.

The emulator runs in its own process (``python -m bot emulator``) with Telegram's limits
switched on, so the bot process under test has its core to itself; the benchmark drives
the emulator through its control API (``/_emulator/...``).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert

from storage.db import Database
from storage.models import Member

ROOT = Path(__file__).resolve().parent.parent


def python_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HOME": os.environ.get("HOME", "/tmp"),
        **extra,
    }


@dataclass
class Emulator:
    process: asyncio.subprocess.Process
    base_url: str
    token: str

    @classmethod
    async def start(cls, *, overall: float = 30, per_chat: float = 1) -> Emulator:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "emulator",
            "--limits",
            "--overall",
            str(overall),
            "--per-chat",
            str(per_chat),
            env=python_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert process.stdout is not None
        line = (await process.stdout.readline()).decode()
        match = re.search(r"ready (\S+) token=(\S+)", line)
        if match is None:
            process.kill()
            raise RuntimeError(f"emulator did not start: {line!r}")
        return cls(process, match[1], match[2])

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as http,
            http.request(method, f"{self.base_url}/_emulator/{path}", json=body) as answer,
        ):
            answer.raise_for_status()
            return await answer.json()

    async def users(self, ids: Sequence[int], language: str = "es") -> None:
        for start in range(0, len(ids), 2000):
            await self.call(
                "POST", "users", {"ids": list(ids[start : start + 2000]), "language": language}
            )

    async def stats(self) -> dict[str, Any]:
        return dict(await self.call("GET", "stats"))

    async def stop(self) -> None:
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()


class BotProcess:
    """``python -m bot run`` against the emulator, as in production."""

    def __init__(self, emulator: Emulator, database_url: str, log: Path, **env: str) -> None:
        self.env = python_env(
            **{
                "BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": database_url,
                "LOG_LEVEL": "WARNING",
                **env,
            }
        )
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=self.env,
            cwd=self.log.parent,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    async def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def scratch_database() -> tuple[str, Path]:
    folder = Path(tempfile.mkdtemp(prefix="cinterfor-bench-"))
    return f"sqlite+aiosqlite:///{folder / 'bench.db'}", folder


@dataclass
class Rig:
    """The emulator process, a scratch database and the bot process (not started)."""

    emulator: Emulator
    db: Database
    bot: BotProcess
    folder: Path


@asynccontextmanager
async def rig(overall: float, **env: str) -> AsyncIterator[Rig]:
    """The emulator at ``overall`` msg/s, a scratch database and a bot process for them
    (``env`` added to the bot's environment); all stopped and closed afterwards."""
    emulator = await Emulator.start(overall=overall)
    url, folder = scratch_database()
    db = Database(url)
    bot = BotProcess(emulator, url, folder / "bot.log", **env)
    try:
        yield Rig(emulator, db, bot, folder)
    finally:
        await bot.stop()
        await emulator.stop()
        await db.dispose()


async def start_bot(emulator: Emulator, bot: BotProcess) -> None:
    """Start the bot process and wait until it polls (it is serving)."""
    before = (await emulator.stats())["calls"].get("getUpdates:200", 0)
    bot.start()
    while True:  # polled by the emulator's control API, another process
        if (await emulator.stats())["calls"].get("getUpdates:200", 0) > before:
            return
        await asyncio.sleep(0.2)


async def add_members(
    db: Database,
    ids: Iterable[int],
    *,
    language: str = "es",
    country: str = "UY",
    zone: str = "America/Montevideo",
) -> None:
    """Many members at once (a plain bulk insert)."""
    from storage.types import utcnow

    now = utcnow()
    rows = [
        {
            "user_id": i,
            "chat_id": i,
            "first_name": f"U{i}",
            "language": language,
            "timezone": zone,
            "country": country,
            "role": "member",
            "opted_out": False,
            "blocked": False,
            "reminders_enabled": True,
            "onboarded": True,
            "created_at": now,
            "updated_at": now,
        }
        for i in ids
    ]
    async with db.session() as session:
        for start in range(0, len(rows), 1000):
            await session.exec(insert(Member).values(rows[start : start + 1000]))


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def table(title: str, rows: Sequence[tuple[str, str, str]]) -> str:
    """A Markdown table: measure, value, goal."""
    width = max(len(r[0]) for r in rows)
    lines = [
        f"### {title}",
        "",
        f"| {'measure'.ljust(width)} | value | goal |",
        f"|{'-' * (width + 2)}|---|---|",
    ]
    lines += [f"| {m.ljust(width)} | {v} | {g} |" for m, v, g in rows]
    return "\n".join(lines)


def machine() -> str:
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.start
