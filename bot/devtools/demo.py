"""``python -m bot demo --terminal``: chat with the bot in this terminal, no token needed
(without ``--terminal`` the demo is the web chat of :mod:`bot.devtools.webchat`).

The built-in Bot API emulator runs on loopback, the real bot polls it, sample network data
is loaded (dates re-based so there are always upcoming events), and what you type is sent as
a focal point's Telegram message. Inline buttons are shown numbered; type the number to press.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import time
from pathlib import Path
from typing import TextIO

from bot.devtools.emulator import BotAPIEmulator, BotMessage, FloodLimits
from bot.devtools.local import local_bot

DEMO_DB = Path("data") / "demo.db"
DEMO_USER_ID = 1001
DEMO_ADMIN_ID = 9001
QUIET_SECONDS = 0.6
TAG = re.compile(r"<[^>]+>")


def render(message: BotMessage, event: str) -> str:
    """A bot message as terminal text, buttons numbered."""
    lines: list[str] = []
    prefix = "✏️  (edited) " if event == "edit" else ""
    text = html.unescape(TAG.sub("", message.html or message.text or ""))
    if message.document is not None:
        text = f"📎 {message.document.file_name} ({len(message.document.content)} bytes)\n{text}"
    if message.photo is not None:
        text = f"🖼  photo ({len(message.photo.content)} bytes)\n{text}"
    lines.append(f"🤖 {prefix}{text}".rstrip())
    number = 1
    for row in message.buttons:
        cells = []
        for button in row:
            if button.url:
                cells.append(f"[🔗 {button.text}: {button.url}]")
            else:
                cells.append(f"[{number}] {button.text}")
                number += 1
        lines.append("   " + "  ".join(cells))
    return "\n".join(lines)


async def _chat(emu: BotAPIEmulator, user_id: int, language: str, out: TextIO) -> None:
    user = emu.user(user_id=user_id, first_name="Ana", last_name="Demo", language_code=language)
    events: asyncio.Queue[tuple[str, BotMessage]] = asyncio.Queue()
    last_activity = [time.monotonic()]

    def on_event(kind: str, message: BotMessage) -> None:
        if message.chat_id == user_id and kind in ("message", "edit"):
            events.put_nowait((kind, message))
            last_activity[0] = time.monotonic()

    emu.listen(on_event)
    last_with_buttons: BotMessage | None = None

    async def drain(wait: float) -> None:
        nonlocal last_with_buttons
        deadline = time.monotonic() + wait
        while True:
            timeout = max(0.05, min(deadline - time.monotonic(), QUIET_SECONDS))
            try:
                kind, message = await asyncio.wait_for(events.get(), timeout)
            except TimeoutError:
                if (
                    time.monotonic() >= deadline
                    or time.monotonic() - last_activity[0] > QUIET_SECONDS
                ):
                    return
                continue
            print(render(message, kind), file=out, flush=True)
            if message.buttons:
                last_with_buttons = message

    print(
        "Demo chat with the ILO/Cinterfor bot (built-in Telegram emulator, sample data).\n"
        "Type /start to begin, /help for commands; type a button's number to press it; "
        "/quit leaves.",
        file=out,
        flush=True,
    )
    while True:
        print("you> ", end="", file=out, flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit"):
            break
        if text.isdigit() and last_with_buttons is not None:
            pressable = [
                b for row in last_with_buttons.buttons for b in row if not (b.url or b.web_app)
            ]
            index = int(text) - 1
            if 0 <= index < len(pressable):
                await user.press(last_with_buttons, pressable[index].callback_data or "")
                await drain(5.0)
                continue
        await user.send(text)
        await drain(5.0)
    print("bye!", file=out, flush=True)


def fresh_database() -> None:
    DEMO_DB.parent.mkdir(parents=True, exist_ok=True)
    if DEMO_DB.exists():
        DEMO_DB.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)


def run_web_demo(host: str = "127.0.0.1", port: int = 8765, limits: bool = False) -> int:
    from bot.devtools.webchat import run_webchat

    fresh_database()
    return run_webchat(DEMO_DB, host=host, port=port, limits=limits)


def run_demo(as_role: str = "member", language: str | None = None, limits: bool = False) -> int:
    from bot.app.logsetup import setup_logging

    setup_logging("WARNING")
    fresh_database()
    user_id = DEMO_ADMIN_ID if as_role != "member" else DEMO_USER_ID

    async def main() -> None:
        from bot.devtools.demo_results import add_demo_results
        from bot.devtools.sample import load_sample_data

        async with local_bot(
            database_url=f"sqlite+aiosqlite:///{DEMO_DB}",
            admin_ids=(DEMO_ADMIN_ID,) if as_role == "admin" else (),
            limits=FloodLimits() if limits else None,
        ) as running:
            now = running.services.now()
            await load_sample_data(running.db, running.settings, now=now, demo=True)
            await add_demo_results(running)
            if as_role == "organizer":
                from storage.models import Role
                from storage.roles import change_role

                running.emulator.user(
                    user_id=user_id, first_name="Ana", language_code=language or "es"
                )
                from storage.members import TelegramIdentity, ensure_member

                await ensure_member(
                    running.db,
                    TelegramIdentity(user_id, user_id, "Ana", "Demo", None, language or "es"),
                    default_timezone=running.settings.default_timezone,
                )
                await change_role(
                    running.db,
                    actor_id=0,
                    actor_name="demo",
                    target_id=user_id,
                    role=Role.organizer,
                )
            await _chat(running.emulator, user_id, language or "es", sys.stdout)

    asyncio.run(main())
    return 0
