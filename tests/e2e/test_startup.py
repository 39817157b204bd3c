"""``python -m bot run`` that cannot start: one clear line naming the cause, exit code 1,
no traceback, and the token never shown, not even in part."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.devtools.emulator import BotAPIEmulator

ROOT = Path(__file__).resolve().parents[2]
WRONG_TOKEN = "8123456789:AAWrongWrongWrongWrongWrongWrong_xyz"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("0.0.0.0", 0))
        held.listen()
        yield int(held.getsockname()[1])


async def run_bot(tmp_path: Path, **env: str) -> tuple[int, str]:
    """Run the bot in a fresh process; returns its exit code and everything it printed."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": path,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(closed_port()),
        "LOG_LEVEL": "WARNING",  # the normal progress lines aside, only the problem shows
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=full_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        raise
    assert process.returncode is not None
    return process.returncode, output.decode()


def assert_one_clear_line(code: int, output: str, token: str, *words: str) -> None:
    assert code == 1, output
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("cannot start:"), output
    bot_id, secret = token.split(":")
    assert bot_id not in output and secret not in output and secret[:8] not in output
    for word in words:
        assert word in lines[0], output


async def test_rejected_token(tmp_path: Path) -> None:
    async with BotAPIEmulator() as emu:
        code, output = await run_bot(
            tmp_path, BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_BASE_URL=emu.base_url
        )
    assert_one_clear_line(code, output, WRONG_TOKEN, "rejected BOT_TOKEN")


async def test_unreachable_api(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}"
    code, output = await run_bot(tmp_path, BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_BASE_URL=api)
    assert_one_clear_line(code, output, WRONG_TOKEN, "unreachable", api)


async def test_unreachable_database(tmp_path: Path) -> None:
    url = f"postgresql://bot:hunter2pw@127.0.0.1:{closed_port()}/bot"
    code, output = await run_bot(tmp_path, BOT_TOKEN=WRONG_TOKEN, DATABASE_URL=url)
    assert_one_clear_line(code, output, WRONG_TOKEN, "database", "unreachable")
    assert "hunter2pw" not in output


async def test_wrong_database(tmp_path: Path) -> None:
    garbage = tmp_path / "not-a-database.db"
    garbage.write_bytes(b"this is no SQLite file at all\n" * 200)
    code, output = await run_bot(
        tmp_path, BOT_TOKEN=WRONG_TOKEN, DATABASE_URL=f"sqlite:///{garbage}"
    )
    assert_one_clear_line(code, output, WRONG_TOKEN, "database", "not usable")


async def test_port_in_use(tmp_path: Path, busy_port: int) -> None:
    async with BotAPIEmulator() as emu:
        code, output = await run_bot(
            tmp_path,
            BOT_TOKEN=emu.token,
            TELEGRAM_API_BASE_URL=f"{emu.base_url}/bot",  # PTB's form: accepted
            PORT=str(busy_port),
        )
        assert emu.calls_of("getMe")  # the API was reached with the /bot form
    assert_one_clear_line(code, output, emu.token, f"port {busy_port}", "in use")
