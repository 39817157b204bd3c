"""Webhook mode: aiohttp receives updates, checks Telegram's secret header, serves /healthz."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from bot.app.application import build_application
from bot.app.config import load_settings
from bot.app.serving import run_webhook_until
from bot.devtools.emulator import BotAPIEmulator
from storage.db import Database


def help_update(update_id: int, user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
            "from": user,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_webhook_checks_secret_and_answers(sqlite_url: str, unused_tcp_port: int) -> None:
    async with BotAPIEmulator() as emu:
        settings = load_settings(
            _env_file=None,
            bot_token=emu.token,
            telegram_api_base_url=emu.base_url,
            database_url=sqlite_url,
            webhook_url="https://bot.example.org/hook",
            webhook_secret="s3cret-Value_1",
            port=unused_tcp_port,
        )
        db = Database(settings.database_url)
        await db.upgrade()
        application = build_application(settings, db)
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_webhook_until(application, settings, db, stop, host="127.0.0.1")
        )
        try:
            await emu.wait_for(lambda: bool(emu.calls_of("setWebhook")), timeout=10)
            call = emu.calls_of("setWebhook")[0]
            assert call.params["url"] == "https://bot.example.org/hook"
            assert call.params["secret_token"] == "s3cret-Value_1"
            user = emu.user(user_id=5001, first_name="Ana", language_code="en")
            base = f"http://127.0.0.1:{unused_tcp_port}"
            async with aiohttp.ClientSession() as http:
                async with http.post(f"{base}/hook", json=help_update(1, 5001)) as answer:
                    assert answer.status == 401
                wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
                async with http.post(
                    f"{base}/hook", json=help_update(2, 5001), headers=wrong
                ) as answer:
                    assert answer.status == 401
                await user.expect_silence(0.3)
                right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Value_1"}
                async with http.post(
                    f"{base}/hook", json=help_update(3, 5001), headers=right
                ) as answer:
                    assert answer.status == 200
                assert "/settings" in (await user.next_message()).text
                async with http.post(f"{base}/hook", data=b"not json", headers=right) as answer:
                    assert answer.status == 400
                async with http.get(f"{base}/healthz") as answer:
                    assert answer.status == 200
                    assert (await answer.json())["ok"] is True
        finally:
            stop.set()
            await task
            await db.dispose()
