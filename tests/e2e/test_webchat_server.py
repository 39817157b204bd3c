"""The demo's web chat server without a browser: loopback only, local assets only, and its
JSON API driving the real bot over the emulator (texts, buttons, files, menus, init data)."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app.cli import build_parser
from bot.devtools.local import LocalBot, local_bot
from bot.devtools.webchat import WebChat, serving
from bot.devtools.webchat.personas import DEMO_ADMIN_ID, DEMO_USER_ID
from bot.devtools.webchat.server import STATIC
from bot.webapp.auth import validate_init_data

EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|import\s*\(?\s*["'](?:https?:)?//|@import"""
)

RAW_HTML = re.compile(r"\.(?:inner|outer)HTML\b|insertAdjacentHTML|document\.write|\beval\(")


@pytest.fixture
async def web(sqlite_url: str) -> AsyncIterator[tuple[str, LocalBot]]:
    async with local_bot(database_url=sqlite_url, admin_ids=(DEMO_ADMIN_ID,)) as running:
        chat = WebChat(running.emulator, "http://127.0.0.1:9/app/")
        async with serving(chat, port=0) as address:
            yield address, running


def test_demo_serves_loopback_by_default() -> None:
    args = build_parser().parse_args(["demo"])
    assert (args.host, args.port, args.terminal) == ("127.0.0.1", 8765, False)
    assert build_parser().parse_args(["demo", "--terminal"]).terminal


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


async def test_bound_to_loopback_only(web: tuple[str, LocalBot]) -> None:
    address, _ = web
    assert address.startswith("http://127.0.0.1:")
    port = int(address.rstrip("/").rsplit(":", 1)[1])
    other = _other_address()
    if other is not None:
        with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
            pass
    async with aiohttp.ClientSession() as http, http.get(address) as page:
        assert page.status == 200
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_no_external_asset() -> None:
    files = sorted(STATIC.iterdir())
    assert {f.name for f in files} == {"index.html", "app.js", "style.css"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert EXTERNAL.search(text) is None, path.name
        assert RAW_HTML.search(text) is None, path.name


async def test_api_drives_the_bot(web: tuple[str, LocalBot]) -> None:
    address, running = web
    async with aiohttp.ClientSession(address) as http:
        async with http.get("/api/state") as answer:
            state = await answer.json()
        assert {c["id"] for c in state["chats"]} >= {DEMO_USER_ID, DEMO_ADMIN_ID}
        body = {"user_id": DEMO_USER_ID, "chat_id": DEMO_USER_ID, "text": "/start"}
        async with http.post("/api/send", json=body) as answer:
            assert answer.status == 200
        events = await _feed_until(http, lambda e: bool(e["message"]["keyboard"]))
        hello = next(e["message"] for e in events if e["message"]["keyboard"])
        assert any(e["message"]["from_bot"] is False for e in events)  # the person's own
        data = hello["keyboard"][0][2]["callback_data"]  # English
        press = {**body, "message_id": hello["message_id"], "data": data}
        async with http.post("/api/press", json=press) as answer:
            assert answer.status == 200 and "answer" in await answer.json()
        async with http.post("/api/press", json={**press, "data": "forged"}) as answer:
            assert answer.status == 400  # only the message's own buttons
        query = f"/api/commands?user_id={DEMO_USER_ID}&chat_id={DEMO_USER_ID}"
        async with http.get(query) as answer:
            menu = await answer.json()
        assert any(c["command"] == "help" for c in menu["commands"])
        async with http.get(f"/api/initdata?user_id={DEMO_USER_ID}") as answer:
            init = (await answer.json())["init_data"]
        who = validate_init_data(init, running.emulator.token, max_age=60)
        assert who.user_id == DEMO_USER_ID
        async with http.post("/api/send", json={**body, "user_id": 4242}) as answer:
            assert answer.status == 400  # not a persona of the demo


async def test_upload_and_download(web: tuple[str, LocalBot]) -> None:
    address, running = web
    form = aiohttp.FormData()
    form.add_field("user_id", str(DEMO_ADMIN_ID))
    form.add_field("chat_id", str(DEMO_ADMIN_ID))
    form.add_field("caption", "/import")
    form.add_field("file", b"version: 1\n", filename="network.yaml")
    async with aiohttp.ClientSession(address) as http:
        async with http.post("/api/upload", data=form) as answer:
            assert answer.status == 200
        admin = running.emulator.users[DEMO_ADMIN_ID]
        await admin.next_message()
        mine = running.emulator.find_message(DEMO_ADMIN_ID, 1)
        assert mine is not None and mine.document is not None
        async with http.get(f"/api/file/{mine.document.file_id}") as answer:
            assert await answer.read() == b"version: 1\n"
            assert 'filename="network.yaml"' in answer.headers["Content-Disposition"]


async def _feed_until(http: aiohttp.ClientSession, wanted) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    seen: list[dict] = []  # type: ignore[type-arg]
    seq = 0
    for _ in range(40):
        async with http.get(f"/api/feed?since={seq}") as answer:
            events = (await answer.json())["events"]
        seen += events
        if events:
            seq = events[-1]["seq"]
        if any(wanted(e) for e in events):
            return seen
    raise AssertionError(f"never came: {seen}")


def test_static_dir_is_the_package_one() -> None:
    assert Path(__file__).resolve().parents[2] / "bot/devtools/webchat/static" == STATIC
