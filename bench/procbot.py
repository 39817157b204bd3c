"""A bot under test in its own process, the emulator in this one.

The bot (``python -m bot run``, or the bare python-telegram-bot echo bot of
:mod:`bench.echo_bot`) talks HTTP to a :class:`BotAPIEmulator` served by the benchmark
process, so what the bot process spends is the bot's alone: :func:`cpu_seconds` reads it
from ``/proc``. The emulator's people (``emulator.user(...)``) type and tap as in the tests.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import python_env
from bot.devtools.emulator import BotAPIEmulator, EmulatedUser

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A TCP port nobody listens on now (the bot's health port; 8080 may be taken)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass
class BotUnderTest:
    process: subprocess.Popen[bytes]

    @classmethod
    def start(
        cls, emulator: BotAPIEmulator, module: Sequence[str], log: Path, **env: str
    ) -> BotUnderTest:
        environment = python_env(
            BOT_TOKEN=emulator.token,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            LOG_LEVEL="WARNING",
            PORT=str(free_port()),
            **env,
        )
        process = subprocess.Popen(
            [sys.executable, "-m", *module],
            env=environment,
            cwd=log.parent,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        return cls(process)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    async def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def wait_polling(emulator: BotAPIEmulator, timeout: float = 60) -> None:
    """Until the bot under test has asked for updates (it is serving)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(method == "getUpdates" for method, _ in emulator.call_counts):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the bot under test never polled")


async def idle_rate(bot: BotUnderTest, seconds: float = 4.0) -> float:
    """CPU seconds per second the bot spends doing nothing (polling, periodic jobs)."""
    before, started = bot.cpu(), time.monotonic()
    await asyncio.sleep(seconds)
    return (bot.cpu() - before) / (time.monotonic() - started)


async def cpu_per_update(
    bot: BotUnderTest,
    idle: float,
    count: int,
    one: Callable[[int], Awaitable[Any]],
    concurrency: int = 8,
) -> float:
    """CPU milliseconds per update: ``one(i)`` sends update ``i`` and waits for its answer."""
    gate = asyncio.Semaphore(concurrency)

    async def guarded(index: int) -> None:
        async with gate:
            await one(index)

    before, started = bot.cpu(), time.monotonic()
    await asyncio.gather(*(guarded(i) for i in range(count)))
    spent = bot.cpu() - before - idle * (time.monotonic() - started)
    return max(0.0, spent) * 1000 / count


async def launch(admin: EmulatedUser, survey_id: str = "bench") -> None:
    """/launch a survey and confirm it (the command asks first)."""
    from bot.render.callbacks.surveys import LaunchConfirmed

    await admin.send(f"/launch {survey_id}")
    confirmation = await admin.next_message(timeout=60)
    edits = confirmation.edits
    await admin.press(confirmation, LaunchConfirmed(survey_id, True).pack())
    await admin.next_edit(confirmation, edits, timeout=60)
