"""The bot's HTTP layer (aiohttp under PTB) against the emulator over real HTTP: answers,
uploads, and each transport fault as the error PTB and the delivery engine retry on."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.devtools.emulator import BotAPIEmulator
from bot.messaging.http import AiohttpRequest

USER = 5201


@pytest.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        emulator.user(user_id=USER)
        yield emulator


@pytest.fixture
async def bot(emu: BotAPIEmulator) -> AsyncIterator[Bot]:
    request = AiohttpRequest(read_timeout=0.5)
    api = Bot(emu.token, base_url=f"{emu.base_url}/bot", request=request)
    async with api:
        yield api


async def test_messages_and_uploads_arrive(emu: BotAPIEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "<b>hola</b> ñandú", parse_mode="HTML")
    assert sent.text == "hola ñandú" and emu.messages_to(USER)[0].text == "hola ñandú"
    document = io.BytesIO(b"a,b\n1,2\n")
    await bot.send_document(USER, document, filename="datos ñandú.csv", caption="CSV")
    stored = emu.messages_to(USER)[-1]
    assert stored.document is not None and stored.document.file_name == "datos ñandú.csv"
    assert stored.document.content == b"a,b\n1,2\n" and stored.caption == "CSV"


async def test_faults_become_the_errors_ptb_retries(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.inject_fault("sendMessage", "slow", delay=2.0, count=1)
    with pytest.raises(TimedOut) as late:  # read timeout 0.5 s
        await bot.send_message(USER, "x")
    assert late.value.__cause__ is None and emu.token not in str(late.value)
    emu.inject_fault("sendMessage", "reset", count=1)
    with pytest.raises(NetworkError) as reset:
        await bot.send_message(USER, "x")
    assert emu.token not in str(reset.value) and "aiohttp." in str(reset.value)
    assert reset.value.__cause__ is None  # aiohttp's own message may hold the URL
    emu.inject_fault("sendMessage", "flood", retry_after=3, count=1)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER, "x")
    assert flood.value.retry_after.total_seconds() == 3
    emu.inject_fault("sendMessage", "html_bad_gateway", count=1)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "")  # the API's own refusal, as it came
    assert (await bot.send_message(USER, "after all that")).text == "after all that"


async def test_a_long_poll_waits_past_the_read_timeout(emu: BotAPIEmulator, bot: Bot) -> None:
    """getUpdates adds its polling timeout to the read timeout, as with PTB's own layer."""
    updates = await bot.get_updates(timeout=1)  # 1 s of long polling > 0.5 s read timeout
    assert updates == ()


async def test_closed_request_refuses_to_send() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/", "POST")


def test_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP(S)_PROXY and NO_PROXY as httpx reads them, once per host."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request._proxy_for("https://api.telegram.org/botX/getMe") == "http://proxy.invalid:3128"
    assert request._proxy_for("https://127.0.0.1:8443/botX/getMe") is None
    monkeypatch.delenv("HTTPS_PROXY")
    assert AiohttpRequest()._proxy_for("https://api.telegram.org/botX/getMe") is None
