"""Serving: long polling or the aiohttp webhook, until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.app.application import PollingApp, background_work
from bot.app.config import Settings
from storage.db import Database

log = logging.getLogger(__name__)


async def run_polling_until(
    application: PollingApp, stop: asyncio.Event, *, polling: bool = True
) -> None:
    """Serve by long polling until ``stop`` is set. Without ``polling`` only the background
    work runs (a second process beside the one that receives updates: Telegram lets one
    process poll a token)."""
    async with application:
        await application.start()
        assert application.updater is not None
        if not polling:
            async with background_work(application):
                await stop.wait()
            await application.stop()
            return
        await application.bot.delete_webhook()
        async with background_work(application):
            await application.updater.start_polling(
                poll_interval=0.0,
                timeout=10,
                drop_pending_updates=False,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("bot @%s polling", application.bot.username)
            await stop.wait()
            await application.updater.stop()
        await application.stop()


def webhook_app(application: PollingApp, settings: Settings, db: Database) -> web.Application:
    """aiohttp app: POST <webhook path> (secret header checked) and GET /healthz."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    path = urlsplit(settings.webhook_url or "").path or "/webhook"

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not secret or not hmac.compare_digest(given, secret):
            log.warning("webhook call without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            return web.json_response({"ok": False, "error": "bad update"}, status=400)
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    async def healthz(_: web.Request) -> web.Response:
        healthy = await db.ping() and application.running
        return web.json_response(
            {"ok": healthy, "database": "ok" if healthy else "down"}, status=200 if healthy else 503
        )

    app = web.Application(client_max_size=2 * 1024 * 1024)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", healthz)
    return app


async def run_webhook_until(
    application: PollingApp,
    settings: Settings,
    db: Database,
    stop: asyncio.Event,
    host: str = "0.0.0.0",
) -> None:
    """Serve by webhook: aiohttp receives, PTB processes; Telegram is told the URL."""
    async with application:
        await application.start()
        runner = web.AppRunner(webhook_app(application, settings, db), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, settings.port)
        await site.start()
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await application.bot.set_webhook(
            settings.webhook_url or "", secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        log.info("bot @%s serving webhook on port %s", application.bot.username, settings.port)
        try:
            async with background_work(application):
                await stop.wait()
        finally:
            await runner.cleanup()
            await application.stop()


def install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
