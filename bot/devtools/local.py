"""The bot running against the built-in Bot API emulator on loopback.

Used by ``python -m bot demo``, the end-to-end tests and the benchmarks: the real PTB
Application talks HTTP to :class:`bot.emulator.BotAPIEmulator`, nothing is faked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.app.application import PollingApp, build_application
from bot.app.config import Settings, load_settings
from bot.app.context import Services
from bot.app.election import Election
from bot.app.serving import ELECTION_KEY, run_polling_until
from bot.devtools.emulator import BotAPIEmulator, FloodLimits
from storage.db import Database
from storage.types import utcnow


@dataclass
class LocalBot:
    emulator: BotAPIEmulator
    application: PollingApp
    settings: Settings
    db: Database
    services: Services


def _standing_by(application: PollingApp) -> bool:
    """PostgreSQL: another replica was elected to poll (bot.app.election)."""
    election = application.bot_data.get(ELECTION_KEY)
    return isinstance(election, Election) and election.decided and not election.leader


@contextlib.asynccontextmanager
async def local_bot(
    *,
    database_url: str,
    admin_ids: tuple[int, ...] = (),
    limits: FloodLimits | None = None,
    clock: Callable[[], datetime] = utcnow,
    emulator: BotAPIEmulator | None = None,
    migrate: bool = True,
    polling: bool = True,
    http_port: int | None = None,
    **settings_overrides: Any,
) -> AsyncIterator[LocalBot]:
    """Start emulator (unless given), database and bot; stop them all on exit. With
    ``http_port`` the bot's HTTP server (/healthz, /metrics, the Mini App) listens on
    127.0.0.1 there."""
    own_emulator = emulator is None
    emu = emulator or BotAPIEmulator(limits=limits)
    if own_emulator:
        await emu.start()
    db: Database | None = None
    try:
        settings = load_settings(
            _env_file=None,
            bot_token=emu.token,
            telegram_api_base_url=emu.base_url,
            database_url=database_url,
            admin_ids=",".join(str(i) for i in admin_ids),
            **settings_overrides,
        )
        db = Database(settings.database_url)
        if migrate:
            await db.upgrade()
        services = Services(settings=settings, db=db, clock=clock)
        application = build_application(settings, db, services)
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_polling_until(
                application, stop, polling=polling, http_port=http_port, host="127.0.0.1"
            )
        )
        while not (
            application.running
            and application.updater
            and (application.updater.running or not polling or _standing_by(application))
            and services.delivery is not None
            and services.delivery.started
        ):
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        try:
            yield LocalBot(emu, application, settings, db, services)
        finally:
            stop.set()
            await task
    finally:
        if db is not None:
            await db.dispose()
        if own_emulator:
            await emu.stop()
