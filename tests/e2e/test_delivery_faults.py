"""The delivery engine against the emulator's faults: odd answers, outages, timeouts,
multi-part messages, a dying task. Real PTB bot over loopback HTTP; nothing is mocked."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.devtools.emulator import BotAPIEmulator, BotMessage
from bot.messaging.circuit import CircuitBreaker
from bot.messaging.delivery import DeliveryEngine
from storage import outbox
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member
from storage.models import Delivery
from storage.types import utcnow
from tests.clock import FakeClock
from tests.storage.test_delivery import make_bot, queue_messages, run_engine


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emu:
        yield emu


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url)
    await database.upgrade()
    yield database
    await database.dispose()


def copies(emu: BotAPIEmulator, count: int) -> Counter[int]:
    """Messages each of the first ``count`` queued members really received."""
    return Counter({10_000 + i: len(emu.messages_to(10_000 + i)) for i in range(count)})


async def rows(db: Database) -> dict[int, Delivery]:
    async with db.session() as session:
        return {r.chat_id: r for r in (await session.exec(select(Delivery))).all()}


def quick_breaker() -> CircuitBreaker:
    return CircuitBreaker(cooldown=0.3, max_cooldown=1.0)


async def test_ok_false_answers_never_kill_the_senders(
    sqlite_db: Database, emulator: BotAPIEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Nine HTTP 200 {"ok": false} answers (PTB: KeyError) used to kill all eight senders."""
    await queue_messages(sqlite_db, emulator, 12)
    emulator.inject_fault("sendMessage", "ok_false", count=9)
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, sqlite_db, poll_interval=0.05, breaker=quick_breaker())
        await run_engine(engine, timeout=40)
    assert engine.restarts == 0
    assert await outbox.status_counts(sqlite_db) == {"sent": 12}
    assert set(copies(emulator, 12).values()) == {1}
    assert "odd answer" in caplog.text  # the unexpected body is logged, not swallowed


@pytest.mark.parametrize("kind", ["not_json", "html_bad_gateway", "reset"])
async def test_odd_bodies_and_resets_are_retried(
    sqlite_db: Database, emulator: BotAPIEmulator, kind: str
) -> None:
    await queue_messages(sqlite_db, emulator, 4)
    emulator.inject_fault("sendMessage", kind, count=2)
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, sqlite_db, poll_interval=0.05, breaker=quick_breaker())
        await run_engine(engine, timeout=30)
    assert await outbox.status_counts(sqlite_db) == {"sent": 4}
    assert set(copies(emulator, 4).values()) == {1}


async def test_a_task_that_ends_is_restarted_and_logged(
    sqlite_db: Database, emulator: BotAPIEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, sqlite_db, poll_interval=0.05)
        await engine.start()
        try:
            engine._running["outbox-send-0"].cancel()
            engine._running["outbox-claim"].cancel()
            await asyncio.sleep(0.6)
            assert engine.restarts == 2 and engine.alive
            await queue_messages(sqlite_db, emulator, 5)
            await engine.run_until_idle(15)
        finally:
            await engine.stop()
    assert "ended unexpectedly" in caplog.text
    assert await outbox.status_counts(sqlite_db) == {"sent": 5}


async def test_an_outage_pauses_the_queue_and_loses_nothing(
    sqlite_db: Database, emulator: BotAPIEmulator
) -> None:
    """Every send answered 502 for a while: the breaker probes instead of spending rows'
    attempts, and once Telegram answers again everybody gets the message, once."""
    await queue_messages(sqlite_db, emulator, 30)
    emulator.inject_fault("sendMessage", "outage", duration=4.0)
    clock = FakeClock()
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(
            bot, sqlite_db, clock=clock, poll_interval=0.05, breaker=quick_breaker()
        )
        await engine.start()
        try:
            await asyncio.sleep(2.0)
            assert engine.breaker.state != "closed"
            assert "failed" not in await outbox.status_counts(sqlite_db)
            await asyncio.sleep(2.5)  # the outage is over; backoffs may still run
            clock.advance(minutes=10)
            await engine.run_until_idle(30)
        finally:
            await engine.stop()
    assert await outbox.status_counts(sqlite_db) == {"sent": 30}
    assert set(copies(emulator, 30).values()) == {1}
    refused = emulator.count("sendMessage", 502)
    assert refused < 30  # probes, not six tries for each of the 30 rows
    assert engine.breaker.opened >= 1


async def test_rows_retry_past_six_attempts_then_give_up_after_the_setting(
    sqlite_db: Database, emulator: BotAPIEmulator
) -> None:
    await queue_messages(sqlite_db, emulator, 3)
    emulator.inject_fault("sendMessage", "server_error", chat_id=10_001, count=8)
    emulator.inject_fault("sendMessage", "server_error", chat_id=10_002)
    clock = FakeClock()
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(
            bot,
            sqlite_db,
            clock=clock,
            poll_interval=0.05,
            give_up_after=timedelta(days=1),
            breaker=quick_breaker(),
        )
        await engine.start()
        try:
            for _ in range(80):
                await asyncio.sleep(0.3)
                clock.advance(minutes=6)  # past each backoff (capped at 5 min)
                if (await rows(sqlite_db))[10_001].status == "sent":
                    break
            assert (await rows(sqlite_db))[10_002].status in ("pending", "sending")
            clock.advance(days=2)
            await engine.run_until_idle(15)
        finally:
            await engine.stop()
    by_chat = await rows(sqlite_db)
    assert by_chat[10_000].status == "sent"
    assert by_chat[10_001].status == "sent" and by_chat[10_001].attempts == 9
    assert by_chat[10_002].status == "failed"
    assert "gave up after 1 day" in (by_chat[10_002].last_error or "")


async def test_a_failed_second_part_resumes_at_the_second_part(
    sqlite_db: Database, emulator: BotAPIEmulator
) -> None:
    emulator.user(user_id=7001, first_name="Ana", language_code="es")
    await ensure_member(sqlite_db, TelegramIdentity(7001, 7001, "Ana"), default_timezone="UTC")
    payload = {"parts": ["part one", "part two", "part three"]}
    draft = outbox.DeliveryDraft("multi:7001", "broadcast", 7001, payload, member_id=7001)
    async with sqlite_db.session() as session:
        await outbox.enqueue(session, [draft], utcnow())

    def fail_next_once(kind: str, message: BotMessage) -> None:
        if kind == "message" and message.text == "part one":
            emulator.inject_fault("sendMessage", "server_error", count=1)

    emulator.listen(fail_next_once)
    async with make_bot(emulator) as bot:
        await run_engine(DeliveryEngine(bot, sqlite_db, poll_interval=0.05), timeout=20)
    texts = [m.text for m in emulator.messages_to(7001)]
    assert texts == ["part one", "part two", "part three"]
    row = (await rows(sqlite_db))[7001]
    assert row.status == "sent" and row.parts_sent == 3 and row.attempts == 2


async def test_a_late_answer_is_waited_for_not_resent(
    sqlite_db: Database, emulator: BotAPIEmulator
) -> None:
    """Delivered, answered after 6 s (past PTB's default 5 s): one copy, not three."""
    await queue_messages(sqlite_db, emulator, 1)
    emulator.inject_fault("sendMessage", "late", delay=6.0, count=1)
    async with make_bot(emulator) as bot:
        await run_engine(DeliveryEngine(bot, sqlite_db, poll_interval=0.05), timeout=30)
    assert await outbox.status_counts(sqlite_db) == {"sent": 1}
    assert len(emulator.messages_to(10_000)) == 1


async def test_timeouts_get_one_careful_retry_at_most(
    sqlite_db: Database, emulator: BotAPIEmulator
) -> None:
    """Past the send timeout the outcome is unknown: one retry (a possible duplicate, the
    one that remains), and after a second timeout the row is failed, never a third copy."""
    await queue_messages(sqlite_db, emulator, 2)
    emulator.inject_fault("sendMessage", "late", chat_id=10_000, delay=3.0, count=1)
    emulator.inject_fault("sendMessage", "late", chat_id=10_001, delay=3.0, count=5)
    clock = FakeClock()
    async with make_bot(emulator) as bot:
        engine = DeliveryEngine(bot, sqlite_db, clock=clock, poll_interval=0.05, send_timeout=1.0)
        await engine.start()
        try:
            for _ in range(4):
                await asyncio.sleep(1.5)
                clock.advance(minutes=6)
            await engine.run_until_idle(20)
        finally:
            await engine.stop()
    by_chat = await rows(sqlite_db)
    assert by_chat[10_000].status == "sent" and by_chat[10_000].timeouts == 1
    assert len(emulator.messages_to(10_000)) == 2  # the known remaining duplicate
    assert by_chat[10_001].status == "failed" and by_chat[10_001].timeouts == 2
    assert "may have been delivered" in (by_chat[10_001].last_error or "")
    assert len(emulator.messages_to(10_001)) == 2


async def test_permanent_refusal_fails_at_once_with_the_reason(
    sqlite_db: Database, emulator: BotAPIEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await queue_messages(sqlite_db, emulator, 2)
    emulator.inject_fault("sendMessage", "bad_request", chat_id=10_000)
    async with make_bot(emulator) as bot:
        await run_engine(DeliveryEngine(bot, sqlite_db, poll_interval=0.05))
    by_chat = await rows(sqlite_db)
    assert by_chat[10_000].status == "failed" and by_chat[10_000].attempts == 1
    assert "injected fault" in (by_chat[10_000].last_error or "").lower()
    assert by_chat[10_001].status == "sent"
