"""Replies to people under pressure: a 429 for one chat, a member flooding the bot, the
health and metrics pages in polling mode. The real bot over the emulator."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.app.application import build_application
from bot.app.config import load_settings
from bot.app.context import services_of
from bot.app.serving import run_polling_until
from bot.app.updates import PerChatUpdateProcessor
from bot.devtools.emulator import BotAPIEmulator
from bot.devtools.local import LocalBot
from bot.messaging.ratelimit import PriorityRateLimiter
from storage.db import Database


def now() -> float:
    return asyncio.get_running_loop().time()


async def test_a_429_for_one_chat_holds_only_that_chat(bot: LocalBot) -> None:
    emu = bot.emulator
    ana = emu.user(user_id=5201, first_name="Ana", language_code="en")
    ben = emu.user(user_id=5202, first_name="Ben", language_code="en")
    emu.inject_fault("sendMessage", "flood", chat_id=5201, retry_after=6, count=1)
    started = now()
    await ana.send("/help")
    await emu.wait_for(lambda: emu.count("sendMessage", 429) >= 1, timeout=5)
    asked = now()
    await ben.send("/help")
    assert "/settings" in (await ben.next_message(timeout=5)).text
    assert now() - asked < 3.0  # was 38 s: the 429 paused every send
    assert "/settings" in (await ana.next_message(timeout=10)).text
    assert now() - started >= 5.5  # Ana's chat waited for retry_after
    limiter = bot.application.bot.rate_limiter
    assert isinstance(limiter, PriorityRateLimiter)
    assert limiter.budget.paused_until == 0.0  # bulk was not held for one chat's 429


async def test_one_member_flooding_does_not_stall_another(bot: LocalBot) -> None:
    emu = bot.emulator
    processor = bot.application.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    processor.backlog = 6  # the test's member floods less than the 120 of the report
    ana = emu.user(user_id=5301, first_name="Ana", language_code="es")
    ben = emu.user(user_id=5302, first_name="Ben", language_code="en")
    for index in range(40):
        await ana.send(f"hola {index}")
    asked = now()
    await ben.send("/help")
    assert "/settings" in (await ben.next_message(timeout=5)).text
    assert now() - asked < 4.0  # was 55 s behind the flood

    def slow_downs() -> int:
        return sum("más rápido" in m.text for m in emu.messages_to(5301))

    await emu.wait_for(lambda: slow_downs() >= 1, timeout=15)
    assert processor.dropped >= 30
    await asyncio.sleep(1.0)
    assert slow_downs() == 1  # one polite message, not one per dropped update


async def test_polling_mode_serves_healthz_and_metrics(
    sqlite_url: str, unused_tcp_port: int
) -> None:
    async with BotAPIEmulator() as emu:
        settings = load_settings(
            _env_file=None,
            bot_token=emu.token,
            telegram_api_base_url=f"{emu.base_url}/bot",  # PTB's own form is accepted
            database_url=sqlite_url,
            port=unused_tcp_port,
        )
        db = Database(settings.database_url)
        await db.upgrade()
        application = build_application(settings, db)
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_polling_until(application, stop, http_port=unused_tcp_port, host="127.0.0.1")
        )
        base = f"http://127.0.0.1:{unused_tcp_port}"
        try:
            for _ in range(500):
                if emu.calls_of("getUpdates"):
                    break
                await asyncio.sleep(0.02)
            allowed = str(emu.calls_of("getUpdates")[0].params.get("allowed_updates"))
            assert "callback_query" in allowed and "edited_message" not in allowed
            user = emu.user(user_id=5401, first_name="Ana", language_code="en")
            await user.send("/help")
            await user.next_message()
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/healthz") as answer:
                    report = await answer.json()
                    assert answer.status == 200 and report["ok"] is True
                    assert report["queue_depth"] == 0 and report["oldest_due_seconds"] == 0
                    assert report["delivery"] == "running" and report["circuit"] == "closed"
                async with http.get(f"{base}/metrics") as answer:
                    assert answer.status == 200
                    assert answer.headers["Content-Type"].startswith("text/plain")
                    text = await answer.text()
                for name in (
                    'bot_updates_total{outcome="handled"}',
                    'bot_replies_total{outcome="sent"}',
                    "bot_outbox_queue_depth 0.0",
                    "bot_outbox_oldest_due_seconds",
                    "bot_outbox_circuit_open 0.0",
                    "bot_telegram_429_total",
                ):
                    assert name in text, name
                engine = services_of(application).delivery
                assert engine is not None
                await engine.stop()  # as if the engine had died
                async with http.get(f"{base}/healthz") as answer:
                    assert answer.status == 503
                    assert (await answer.json())["delivery"] == "stopped"
        finally:
            stop.set()
            await task
            await db.dispose()
