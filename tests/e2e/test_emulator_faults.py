"""The emulator's injected faults, as a client sees them on the wire (real HTTP, httpx).

Each kind is checked for its HTTP status, its body and whether the message was delivered,
since the delivery engine's tests rely on exactly these shapes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.devtools.emulator import HTML_BAD_GATEWAY, BotAPIEmulator

USER = 5101
OTHER = 5102


@pytest.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        emulator.user(user_id=USER)
        emulator.user(user_id=OTHER)
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


async def send(
    http: httpx.AsyncClient, emu: BotAPIEmulator, chat_id: int = USER, timeout: float = 5.0
) -> httpx.Response:
    url = f"{emu.base_url}/bot{emu.token}/sendMessage"
    return await http.post(url, json={"chat_id": chat_id, "text": "hello"}, timeout=timeout)


async def test_no_fault_delivers(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    answer = await send(http, emu)
    assert answer.status_code == 200
    assert answer.json()["ok"] is True
    assert len(emu.messages_to(USER)) == 1


async def test_ok_false_is_status_200_with_an_error_body(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "ok_false", count=1)
    answer = await send(http, emu)
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": False,
        "error_code": 500,
        "description": "Internal Server Error",
    }
    assert emu.messages_to(USER) == []
    assert emu.calls_of("sendMessage")[-1].fault == "ok_false"
    assert (await send(http, emu)).json()["ok"] is True  # count=1: only once
    assert len(emu.messages_to(USER)) == 1


async def test_html_bad_gateway_is_an_html_page(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "html_bad_gateway", count=1)
    answer = await send(http, emu)
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text == HTML_BAD_GATEWAY
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)
    assert emu.messages_to(USER) == []


async def test_not_json_is_status_200_with_text(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "not_json", count=1)
    answer = await send(http, emu)
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)
    assert emu.messages_to(USER) == []


async def test_late_delivers_but_the_client_times_out(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "late", count=1, delay=3.0)
    with pytest.raises(httpx.ReadTimeout):
        await send(http, emu, timeout=0.5)
    assert [m.text for m in emu.messages_to(USER)] == ["hello"]  # it went out all the same
    assert emu.calls_of("sendMessage")[-1].fault == "late"


async def test_late_answer_arrives_after_the_delay(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "late", count=1, delay=0.6)
    started = time.monotonic()
    answer = await send(http, emu)
    assert time.monotonic() - started >= 0.6
    assert answer.status_code == 200
    assert answer.json()["ok"] is True


async def test_late_does_not_hold_up_stop() -> None:
    emulator = BotAPIEmulator()
    await emulator.start()
    emulator.user(user_id=USER)
    emulator.inject_fault("sendMessage", "late", delay=60.0)
    async with httpx.AsyncClient(timeout=0.3) as client:
        with pytest.raises(httpx.ReadTimeout):
            await send(client, emulator)
    started = time.monotonic()
    await emulator.stop()
    assert time.monotonic() - started < 5.0


async def test_reset_closes_the_connection_without_an_answer(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "reset", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await send(http, emu)
    assert emu.messages_to(USER) == []
    assert emu.calls_of("sendMessage")[-1].status == 0
    assert (await send(http, emu)).status_code == 200


async def test_outage_window_fails_every_method_then_ends(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("*", "outage", duration=0.5)
    answer = await send(http, emu)
    assert answer.status_code == 502
    assert answer.json() == {"ok": False, "error_code": 502, "description": "Bad Gateway"}
    me = await http.post(f"{emu.base_url}/bot{emu.token}/getMe")
    assert me.status_code == 502
    assert emu.messages_to(USER) == []
    await asyncio.sleep(0.6)
    assert (await send(http, emu)).status_code == 200
    assert emu.faults == []  # the expired window is gone


async def test_outage_until_a_moment_of_the_emulator_clock(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("*", "outage", until=time.monotonic() + 0.4)
    assert (await send(http, emu)).status_code == 502
    await asyncio.sleep(0.5)
    assert (await send(http, emu)).status_code == 200


async def test_per_chat_flood_holds_only_that_chat(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "flood", chat_id=USER, retry_after=60, duration=120)
    for _ in range(2):
        answer = await send(http, emu)
        assert answer.status_code == 429
        assert answer.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 60",
            "parameters": {"retry_after": 60},
        }
    assert (await send(http, emu, chat_id=OTHER)).status_code == 200
    assert emu.messages_to(USER) == []
    assert len(emu.messages_to(OTHER)) == 1


async def test_random_wire_faults_are_counted(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    emu.random_faults(seed=3, ok_false=0.5)
    answers = [await send(http, emu) for _ in range(20)]
    failed = [a for a in answers if a.json()["ok"] is False]
    assert 0 < len(failed) < 20
    assert all(a.status_code == 200 for a in answers)
    assert len(emu.messages_to(USER)) == 20 - len(failed)
    assert emu.faults_applied["ok_false"] == len(failed)


async def test_control_api_injects_a_window(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    spec = {"method": "sendMessage", "kind": "html_bad_gateway", "duration": 30}
    control = await http.post(f"{emu.base_url}/_emulator/faults", json={"inject": [spec]})
    assert control.json() == {"ok": True}
    assert (await send(http, emu)).status_code == 502
    stats = (await http.get(f"{emu.base_url}/_emulator/stats")).json()
    assert stats["faults"] == {"html_bad_gateway": 1}
    bad = await http.post(f"{emu.base_url}/_emulator/faults", json={"inject": [{"kind": "nope"}]})
    assert bad.status_code == 400


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        BotAPIEmulator().inject_fault("*", "meteor")
