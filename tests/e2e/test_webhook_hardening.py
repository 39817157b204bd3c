"""Webhook mode under odd traffic: the same update twice, malformed bodies, non-ASCII
secret headers, edited messages. The real bot behind aiohttp, Telegram played by the
emulator."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from bot.app.application import build_application
from bot.app.config import load_settings
from bot.app.serving import run_webhook_until
from bot.devtools.emulator import BotAPIEmulator
from storage.db import Database
from storage.members import get_member
from tests.e2e.test_webhook import help_update

SECRET = "s3cret-Value_1"
RIGHT = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@dataclass
class Hook:
    emu: BotAPIEmulator
    base: str
    port: int
    http: aiohttp.ClientSession
    db: Database

    async def post(self, body: object, headers: dict[str, str] | None = None) -> int:
        data = json.dumps(body).encode()
        async with self.http.post(
            f"{self.base}/hook",
            data=data,
            headers={"Content-Type": "application/json", **(headers or RIGHT)},
        ) as answer:
            return answer.status


@pytest.fixture
async def hook(sqlite_url: str, unused_tcp_port: int) -> AsyncIterator[Hook]:
    async with BotAPIEmulator() as emu:
        settings = load_settings(
            _env_file=None,
            bot_token=emu.token,
            telegram_api_base_url=emu.base_url,
            database_url=sqlite_url,
            webhook_url="https://bot.example.org/hook",
            webhook_secret=SECRET,
            port=unused_tcp_port,
            admin_ids="9000",
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
            async with aiohttp.ClientSession() as http:
                yield Hook(emu, f"http://127.0.0.1:{unused_tcp_port}", unused_tcp_port, http, db)
        finally:
            stop.set()
            await task
            await db.dispose()


async def test_the_same_update_twice_is_handled_once(hook: Hook) -> None:
    user = hook.emu.user(user_id=5501, first_name="Ana", language_code="en")
    assert await hook.post(help_update(77, 5501)) == 200
    assert "/settings" in (await user.next_message()).text
    assert await hook.post(help_update(77, 5501)) == 200  # Telegram retried it
    await user.expect_silence(1.0)
    assert await hook.post(help_update(78, 5501)) == 200
    assert "/settings" in (await user.next_message()).text


@pytest.mark.parametrize(
    "body",
    [
        None,
        [1, 2, 3],
        "text",
        {"no": "update_id"},
        {"update_id": "12"},
        {"update_id": 2**70},
        "huge date",
    ],
)
async def test_malformed_authenticated_bodies_get_400(hook: Hook, body: object) -> None:
    if body == "huge date":
        update = help_update(90, 5502)
        update["message"]["date"] = 10**20  # type: ignore[index]
        body = update
    assert await hook.post(body) == 400
    hook.emu.user(user_id=5502, first_name="Ana", language_code="en")
    async with hook.http.get(f"{hook.base}/healthz") as answer:
        assert answer.status == 200  # the server is fine after it


async def raw_post(port: int, secret: bytes, body: bytes) -> int:
    """POST with a header value aiohttp's client would refuse to send (raw bytes)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: " + secret + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
    )
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    return int(status_line.split()[1])


@pytest.mark.parametrize("secret", ["s3cr\u00e9t".encode(), b"\xff\xfe", SECRET.encode() + b"\xc3"])
async def test_any_bad_secret_header_gets_401(
    hook: Hook, secret: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(help_update(95, 5503)).encode()
    assert await raw_post(hook.port, secret, body) == 401
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text


def command_update(update_id: int, user_id: int, text: str, *, edited: bool) -> dict[str, object]:
    update = help_update(update_id, user_id)
    message = update.pop("message")
    assert isinstance(message, dict)
    message["text"] = text
    message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if edited:
        message["edit_date"] = message["date"]
    update["edited_message" if edited else "message"] = message
    return update


async def test_edited_messages_never_run_commands(hook: Hook) -> None:
    admin = hook.emu.user(user_id=9000, first_name="Root", language_code="en")
    target = hook.emu.user(user_id=5504, first_name="Ana", language_code="en")
    assert await hook.post(help_update(119, 5504)) == 200
    await target.next_message()
    edited = command_update(120, 9000, "/grant 5504 admin", edited=True)
    assert await hook.post(edited) == 200
    await admin.expect_silence(1.0)
    member = await get_member(hook.db, 5504)
    assert member is not None and member.role != "admin"
    params = str(hook.emu.calls_of("setWebhook")[0].params)
    assert "message" in params and "edited_message" not in params
    # The same command typed as a new message does run (the test can tell the difference).
    assert await hook.post(command_update(121, 9000, "/grant 5504 admin", edited=False)) == 200
    await admin.next_message()
    member = await get_member(hook.db, 5504)
    assert member is not None and member.role == "admin"


async def test_a_huge_header_is_refused_with_one_quiet_line(
    hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    """A 100 KB Authorization header: 400 (aiohttp's parser), one INFO line, no traceback
    and nothing of the header in the log."""
    caplog.set_level(logging.DEBUG)
    secret = "tma user=" + "MARKER" + "x" * 100_000
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    writer.write(
        f"GET /app/api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {secret}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    with contextlib.suppress(ConnectionError):
        await writer.drain()
    status_line = await reader.readline()
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    assert int(status_line.split()[1]) in (400, 431)
    async with hook.http.get(f"{hook.base}/healthz") as answer:
        assert answer.status == 200  # the server is fine after it
    refused = [r for r in caplog.records if "unreadable HTTP request" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.INFO
    assert "LineTooLong" in refused[0].getMessage()
    assert "Traceback" not in caplog.text and "MARKER" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
