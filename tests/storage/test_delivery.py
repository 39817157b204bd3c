"""The delivery engine over the emulator: once and only once, blocked, 429, 5xx, crashes,
and two senders on one database."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlmodel import select
from telegram.ext import ExtBot

from bot.devtools.emulator import BotAPIEmulator
from bot.messaging.delivery import DeliveryEngine
from bot.messaging.ratelimit import PriorityRateLimiter
from storage import outbox
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, get_member
from storage.models import Delivery
from storage.types import utcnow
from tests.clock import FakeClock


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    emu = BotAPIEmulator()
    await emu.start()
    yield emu
    await emu.stop()


def make_bot(emu: BotAPIEmulator) -> ExtBot[None]:
    return ExtBot(
        emu.token,
        base_url=f"{emu.base_url}/bot",
        base_file_url=f"{emu.base_url}/file/bot",
        rate_limiter=PriorityRateLimiter(),
    )


async def queue_messages(db: Database, emu: BotAPIEmulator, count: int, prefix: str = "m") -> None:
    drafts = []
    for index in range(count):
        user_id = 10_000 + index
        emu.user(user_id=user_id, first_name=f"U{index}", language_code="es")
        await ensure_member(
            db, TelegramIdentity(user_id, user_id, f"U{index}"), default_timezone="UTC"
        )
        drafts.append(
            outbox.DeliveryDraft(
                key=f"{prefix}:{user_id}",
                kind="broadcast",
                chat_id=user_id,
                member_id=user_id,
                payload={"text": f"hello {index}"},
            )
        )
    async with db.session() as session:
        assert await outbox.enqueue(session, drafts, utcnow()) == count
        # the same keys again are ignored: never queued twice
        assert await outbox.enqueue(session, drafts, utcnow()) == 0


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in emu.calls_of("sendMessage") if c.status == 200)


async def run_engine(engine: DeliveryEngine, timeout: float = 20) -> None:
    await engine.start()
    try:
        await engine.run_until_idle(timeout)
    finally:
        await engine.stop()


async def test_each_delivery_sent_once(db: Database, emulator: BotAPIEmulator) -> None:
    await queue_messages(db, emulator, 40)
    async with make_bot(emulator) as bot:
        await run_engine(DeliveryEngine(bot, db))
    counts = delivered(emulator)
    assert len(counts) == 40 and set(counts.values()) == {1}
    assert await outbox.status_counts(db) == {"sent": 40}
    async with db.session() as session:
        row = await session.get(Delivery, 1)
    assert row is not None and row.telegram_message_id is not None and row.sent_at is not None


async def test_blocked_member_is_marked_and_skipped(db: Database, emulator: BotAPIEmulator) -> None:
    await queue_messages(db, emulator, 5)
    emulator.block_user(10_002)
    async with make_bot(emulator) as bot:
        await run_engine(DeliveryEngine(bot, db))
    assert await outbox.status_counts(db) == {"sent": 4, "blocked": 1}
    member = await get_member(db, 10_002)
    assert member is not None and member.blocked


async def test_429_is_honoured_not_dropped(db: Database, emulator: BotAPIEmulator) -> None:
    await queue_messages(db, emulator, 6)
    emulator.inject_fault("sendMessage", "flood", count=1, retry_after=1)
    async with make_bot(emulator) as bot:
        started = asyncio.get_running_loop().time()
        await run_engine(DeliveryEngine(bot, db))
        elapsed = asyncio.get_running_loop().time() - started
    assert await outbox.status_counts(db) == {"sent": 6}
    assert set(delivered(emulator).values()) == {1}
    assert elapsed >= 0.9  # everybody waited for retry_after


async def test_server_errors_are_retried_with_backoff(
    db: Database, emulator: BotAPIEmulator
) -> None:
    await queue_messages(db, emulator, 3)
    emulator.inject_fault("sendMessage", "server_error", chat_id=10_001, count=2)
    clock = FakeClock()
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, db, clock=clock, poll_interval=0.05)
        await engine.start()
        try:
            for _ in range(3):
                await asyncio.sleep(0.5)
                clock.advance(seconds=10)  # past the backoff
            await engine.run_until_idle(10)
        finally:
            await engine.stop()
    assert await outbox.status_counts(db) == {"sent": 3}
    async with db.session() as session:
        rows = {r.chat_id: r for r in (await session.exec(select(Delivery))).all()}
    assert rows[10_001].attempts == 3 and rows[10_000].attempts == 1


async def test_stale_claims_of_a_crashed_process_are_resumed(
    db: Database, emulator: BotAPIEmulator
) -> None:
    await queue_messages(db, emulator, 10)
    stranded = await outbox.claim_due(db, "crashed-process", utcnow(), 4)
    assert len(stranded) == 4
    clock = FakeClock()
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, db, clock=clock)
        await run_engine(engine)
        assert await outbox.status_counts(db) == {"sent": 6, "sending": 4}
        clock.advance(outbox.LEASE + timedelta(seconds=1))
        await run_engine(DeliveryEngine(bot, db, clock=clock))
    assert await outbox.status_counts(db) == {"sent": 10}
    assert set(delivered(emulator).values()) == {1}


async def test_two_senders_never_send_the_same_row(
    database_url: str, emulator: BotAPIEmulator
) -> None:
    first, second = Database(database_url), Database(database_url)
    await first.upgrade()
    try:
        await queue_messages(first, emulator, 150)
        async with make_bot(emulator) as bot_a, make_bot(emulator) as bot_b:
            a = DeliveryEngine(bot_a, first, worker="a", workers=6)
            b = DeliveryEngine(bot_b, second, worker="b", workers=6)
            await asyncio.gather(a.start(), b.start())
            await asyncio.gather(a.run_until_idle(30), b.run_until_idle(30))
            await asyncio.gather(a.stop(), b.stop())
        counts = delivered(emulator)
        assert len(counts) == 150 and set(counts.values()) == {1}
        assert a.sent + b.sent == 150
        assert a.sent > 0 and b.sent > 0
    finally:
        await first.dispose()
        await second.dispose()
