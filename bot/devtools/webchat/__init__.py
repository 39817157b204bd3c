"""``python -m bot demo``: the bot in a Telegram-like web chat, Mini App included.

The built-in Bot API emulator runs on loopback, the real bot polls it (its HTTP server with
the Mini App on a second loopback port), and :mod:`.server` serves a page where you are
several people at once: focal points in Spanish, Portuguese and English, an organizer and an
admin, and a group the bot is in. Nothing is loaded from the internet.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import timedelta
from pathlib import Path

from bot.devtools.webchat.server import WebChat, serving

__all__ = [
    "WebChat",
    "free_port",
    "log_to_file",
    "public_webapp_url",
    "run_webchat",
    "serving",
]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def public_webapp_url(http_port: int) -> str:
    """The Mini App address the bot is configured with: https, as Telegram requires (the
    web chat opens the same page over plain http on loopback)."""
    return f"https://127.0.0.1:{http_port}/app/"


def log_to_file(path: Path) -> None:
    """Every log line and scheduler warning to ``path``, none on the terminal or in a chat."""
    from bot.app.logsetup import setup_logging

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler._cinterfor = True  # type: ignore[attr-defined]  # setup_logging reuses it
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_cinterfor", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    setup_logging("INFO")


async def start_demo_world(running: object) -> None:
    """Sample data moved to today, six institutions' confirmed focal points (invited to the
    open surveys), a closed survey with their answers, the organizer made one, the bot
    added to the group."""
    from bot.devtools import demo_results
    from bot.devtools.sample import load_sample_data
    from bot.devtools.webchat import personas

    await load_sample_data(
        running.db,  # type: ignore[attr-defined]
        running.settings,  # type: ignore[attr-defined]
        now=running.services.now(),  # type: ignore[attr-defined]
        demo=True,
    )
    await demo_results.add_demo_results(running)  # type: ignore[arg-type]
    await open_sample_surveys(running)  # the focal points are invited
    await schedule_broadcast(running)
    organizer = personas.persona(personas.ORGANIZER_ID)
    assert organizer is not None
    await personas.make_organizer(running, organizer)
    emulator = running.emulator  # type: ignore[attr-defined]
    emulator.group(
        chat_id=personas.GROUP_ID,
        title=str(personas.GROUP["title"]),
        added_by=personas.emulated(emulator, organizer),
    )


BROADCAST_AFTER = timedelta(minutes=5)
BROADCAST = {
    "es": "📣 <b>Red Cinterfor</b>\nEste es un aviso programado de la demo: llega a cada "
    "miembro en su idioma. Prueba /events y /survey.",
    "pt": "📣 <b>Rede Cinterfor</b>\nEste é um aviso programado da demo: chega a cada "
    "membro no seu idioma. Experimente /events e /survey.",
    "en": "📣 <b>Cinterfor network</b>\nThis is the demo's scheduled notice: it reaches "
    "each member in their own language. Try /events and /survey.",
}


async def schedule_broadcast(running: object) -> None:
    """A broadcast to everyone, five minutes after start (``/broadcasts`` lists it)."""
    from bot.core.audience import parse_selectors
    from bot.messaging.compose import split_html
    from storage.broadcasts import create_broadcast

    now = running.services.now()  # type: ignore[attr-defined]
    await create_broadcast(
        running.db,  # type: ignore[attr-defined]
        created_by=0,
        actor_name="demo",
        texts=BROADCAST,
        audience=parse_selectors("all"),
        now=now,
        default_language=running.settings.default_language,  # type: ignore[attr-defined]
        split=split_html,
        scheduled_at=now + BROADCAST_AFTER,
    )


async def open_sample_surveys(running: object) -> None:
    """Open every sample survey now, as an admin's /launch would (nobody to invite yet)."""
    from sqlmodel import select

    from bot.render.surveys import invite_renderer
    from storage import surveys
    from storage.models import Survey

    db = running.db  # type: ignore[attr-defined]
    async with db.session() as session:
        ids = [s.id for s in (await session.exec(select(Survey))).all()]
    render = invite_renderer(running.settings.default_language)  # type: ignore[attr-defined]
    for survey_id in ids:
        await surveys.launch(
            db,
            survey_id,
            running.services.now(),  # type: ignore[attr-defined]
            render,
            actor_id=0,
            actor_name="demo",
        )


def run_webchat(
    database: Path, *, host: str = "127.0.0.1", port: int = 8765, limits: bool = False
) -> int:
    """Run emulator, bot and web chat until Ctrl-C; prints the address to open."""
    from bot.devtools.emulator import BotAPIEmulator, FloodLimits
    from bot.devtools.local import local_bot
    from bot.devtools.webchat import personas

    log_to_file(database.parent / "demo.log")
    print("Starting the demo: emulator, bot, sample data…", flush=True)

    async def main() -> None:
        emulator = BotAPIEmulator(limits=FloodLimits() if limits else None)
        chat = WebChat(emulator)
        http_port = free_port()
        chat.webapp_url = "/app/"  # passed through to the bot's server (server.py)
        chat.bot_http = f"http://127.0.0.1:{http_port}"
        chat.public_url = public_webapp_url(http_port)
        await emulator.start()
        try:
            async with local_bot(
                emulator=emulator,
                database_url=f"sqlite+aiosqlite:///{database}",
                admin_ids=(personas.DEMO_ADMIN_ID,),
                http_port=http_port,
                webapp_url=chat.public_url,
            ) as running:
                await start_demo_world(running)
                async with serving(chat, host, port) as address:
                    print(f"Demo web chat: open {address}  (Ctrl-C stops it)", flush=True)
                    print(f"Log lines go to {database.parent / 'demo.log'}", flush=True)
                    await asyncio.Event().wait()
        finally:
            await emulator.stop()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("bye!", flush=True)
    return 0
