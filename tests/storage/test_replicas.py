"""Several replicas of the bot on one PostgreSQL: one send budget for the bot as a whole
(two replicas against the emulator with Telegram's limits on: < 1% of sends refused with
429), and one getUpdates poller, replaced within OUTBOX_LEASE_SECONDS when it dies."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.devtools.emulator import BotAPIEmulator, FloodLimits
from bot.devtools.local import local_bot
from bot.messaging.compose import split_html
from bot.messaging.ratelimit import SendBudget
from bot.messaging.shared_budget import SharedBudget, split_limit
from storage import broadcasts, replicas
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member
from storage.types import utcnow
from tests.pgserver import PostgresServer, create_database
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 240
LEASE_SECONDS = 3


@pytest.fixture
async def pg_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    url = create_database(postgres_server.url, f"r_{abs(hash(request.node.nodeid)) % 10**12}")
    db = Database(url)
    await db.upgrade()
    await db.dispose()
    return url


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    emu = BotAPIEmulator(limits=FloodLimits(30, 1, 20))
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


async def add_members(db: Database, emu: BotAPIEmulator, first: int, count: int) -> None:
    for user_id in range(first, first + count):
        emu.user(user_id=user_id, language_code="es")
        await ensure_member(
            db, TelegramIdentity(user_id, user_id, f"U{user_id}"), default_timezone="UTC"
        )


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    return Counter(
        {chat_id: len(chat.messages) for chat_id, chat in emu.chats.items() if chat.messages}
    )


def test_the_limit_is_split_in_whole_messages() -> None:
    assert [split_limit(30, 1, i, 1) for i in range(1)] == [(30, 1)]
    assert [split_limit(30, 1, i, 2) for i in range(2)] == [(15, 1), (15, 0)]
    assert [split_limit(30, 1, i, 4) for i in range(4)] == [(8, 1), (8, 0), (7, 0), (7, 0)]
    assert sum(split_limit(30, 1, i, 7)[0] for i in range(7)) == 30


async def test_a_chat_is_taken_by_one_replica_at_a_time(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        assert await replicas.take_chat(db, 42, 100.0, 101.0) == 0.0
        assert await replicas.take_chat(db, 42, 100.5, 101.5) == pytest.approx(0.5)
        assert await replicas.take_chat(db, 42, 101.0, 102.0) == 0.0
        # its own mark does not hold a replica back; another's mark still does
        assert await replicas.take_chat(db, 42, 101.2, 102.2, mine=102.0) == 0.0
        assert await replicas.take_chat(db, 42, 101.3, 102.3, mine=101.0) == pytest.approx(0.9)
        assert await replicas.hold_lease(db, "poller", "a", 100.0, 2.0)
        assert not await replicas.hold_lease(db, "poller", "b", 101.0, 2.0)
        assert await replicas.hold_lease(db, "poller", "a", 101.0, 2.0)  # renewed
        assert await replicas.hold_lease(db, "poller", "b", 103.5, 2.0)  # a stopped renewing
        assert await replicas.lease_holder(db, "poller", 104.0) == "b"
    finally:
        await db.dispose()


async def test_a_replica_takes_its_own_chat_again_at_once(pg_url: str) -> None:
    """After a long local wait a send takes its chat again: its own mark must not make it
    wait (that cut 3 replicas to 20 msg/s); another replica's mark still does."""
    db = Database(pg_url)
    first = SharedBudget(SendBudget(), db, "first", total=30)
    other = SharedBudget(SendBudget(), db, "other", total=30)
    first.replicas = other.replicas = 2
    try:
        assert await first._take_chat(77, 1.0) == 0.0
        assert await first._take_chat(77, 1.0) == 0.0
        assert await other._take_chat(77, 1.0) > 1.0
    finally:
        await db.dispose()


@pytest.mark.strict_api
async def test_two_replicas_share_one_send_budget(pg_url: str, emulator: BotAPIEmulator) -> None:
    emu = emulator
    async with (
        local_bot(database_url=pg_url, emulator=emu, migrate=False) as one,
        local_bot(database_url=pg_url, emulator=emu, migrate=False) as two,
    ):
        await add_members(one.db, emu, 30_000, RECIPIENTS)
        roles = sorted(
            bool(b.application.updater and b.application.updater.running) for b in (one, two)
        )
        assert roles == [False, True]  # one poller, one standing by
        await asyncio.sleep(2.0)  # both settled: each holds half the budget
        created = await broadcasts.create_broadcast(
            one.db,
            created_by=0,
            actor_name="test",
            texts={"es": "Aviso a toda la red"},
            audience=["all"],
            now=utcnow(),
            default_language="es",
            split=split_html,
        )
        assert created.recipients == RECIPIENTS
        await emu.wait_for(lambda: len(delivered(emu)) == RECIPIENTS, timeout=90)
        await asyncio.sleep(0.5)
        assert one.services.delivery and two.services.delivery
        sent = (one.services.delivery.sent, two.services.delivery.sent)
        # (a poller that stops while another polls ends its last request with 409, as
        # Telegram does: counted while both still run)
        conflicts = emu.call_counts.get(("getUpdates", 409), 0)
    counts = delivered(emu)
    assert sum(n - 1 for n in counts.values()) == 0  # nobody twice
    assert min(sent) > RECIPIENTS // 4, sent  # both replicas sent
    refused = emu.call_counts.get(("sendMessage", 429), 0)
    accepted = emu.call_counts.get(("sendMessage", 200), 0)
    assert refused * 100 < accepted, f"{refused} of {accepted + refused} sends refused with 429"
    assert conflicts == 0  # never two pollers
    moments = sorted(m.at for chat in emu.chats.values() for m in chat.messages)
    busiest = max(sum(1 for t in moments[i:] if t - start < 1.0) for i, start in enumerate(moments))
    assert busiest <= 30


def start_replica(emu: BotAPIEmulator, url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "DATABASE_URL": url,
        "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=log.parent,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def role(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return str(json.loads(answer.read()).get("role"))
    except urllib.error.HTTPError as exc:
        return str(json.loads(exc.read()).get("role"))
    except OSError:
        return None


async def wait_roles(ports: list[int], want: set[str], timeout: float) -> dict[int, str | None]:
    deadline = time.monotonic() + timeout
    while True:
        roles = {port: await asyncio.to_thread(role, port) for port in ports}
        if set(roles.values()) >= want and None not in roles.values():
            return roles
        if time.monotonic() > deadline:
            raise AssertionError(f"roles after {timeout} s: {roles}")
        await asyncio.sleep(0.1)


async def test_one_poller_and_a_standby_takes_over(
    pg_url: str, emulator: BotAPIEmulator, tmp_path: Path
) -> None:
    emu = emulator
    ports = [free_port(), free_port()]
    log = tmp_path / "bots.log"
    processes = [start_replica(emu, pg_url, port, log) for port in ports]
    try:
        roles = await wait_roles(ports, {"poller", "standby"}, timeout=60)
        poller = next(i for i, port in enumerate(ports) if roles[port] == "poller")
        other = ports[1 - poller]
        await asyncio.sleep(LEASE_SECONDS)
        assert emu.call_counts.get(("getUpdates", 409), 0) == 0  # the standby never polled
        processes[poller].send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await asyncio.to_thread(processes[poller].wait, 10)
        await wait_roles([other], {"poller"}, timeout=LEASE_SECONDS + 5)
        took = time.monotonic() - killed
        assert took <= LEASE_SECONDS + 0.5, f"took over after {took:.1f} s"
        user = emu.user(user_id=31_000, language_code="es")
        await user.send("/start")
        await emu.wait_for(lambda: bool(emu.chats[31_000].messages), timeout=20)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    await asyncio.to_thread(process.wait, 15)
                except subprocess.TimeoutExpired:
                    process.kill()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "is the poller now" in text
