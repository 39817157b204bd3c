"""Application factory and the serving loop (long polling or webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakValueDictionary

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor

from bot.config import Settings
from bot.delivery import DeliveryEngine
from bot.logsetup import protect_secret
from bot.ratelimit import Limits, PriorityRateLimiter, SendBudget
from bot.reminders import start_reminders
from bot.services import Services, attach_services, services_of
from handlers import register_all
from handlers.broadcast import start_progress_job
from handlers.onboarding import publish_command_menus
from handlers.surveys import start_survey_jobs
from storage.db import Database

log = logging.getLogger(__name__)
PollingApp = Application[Any, Any, Any, Any, Any, Any]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats run concurrently; updates of one chat keep their order.

    A focal point pressing buttons quickly must see the steps in order, while a hundred
    people asking at once must not wait for each other.
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = None
        if isinstance(update, Update) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
        if chat_id is None:
            await coroutine
            return
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def build_application(
    settings: Settings, db: Database, services: Services | None = None
) -> PollingApp:
    """The PTB Application with every feature registered and its services attached."""
    api = settings.telegram_api_base_url
    protect_secret(settings.token)
    if settings.webhook_secret is not None:
        protect_secret(settings.webhook_secret.get_secret_value())
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .rate_limiter(
            PriorityRateLimiter(
                SendBudget(Limits(overall_per_second=settings.send_rate_limit)), max_retries=3
            )
        )
        .concurrent_updates(PerChatUpdateProcessor(64))
        .build()
    )
    svc = services or Services(settings=settings, db=db)
    attach_services(application, svc)
    svc.delivery = DeliveryEngine(
        application.bot,
        db,
        clock=lambda: svc.now(),
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        buffer=max(16, min(200, int(settings.send_rate_limit))),
    )
    register_all(application)
    return application


@contextlib.asynccontextmanager
async def background_work(application: PollingApp) -> AsyncIterator[None]:
    """The delivery engine and the periodic jobs, for as long as the bot serves."""
    svc = services_of(application)
    assert svc.delivery is not None
    await publish_menus(application)
    await svc.delivery.start()
    for starter in BACKGROUND_STARTERS:
        await starter(application)
    try:
        yield
    finally:
        await svc.delivery.stop()


# Coroutines that schedule the features' periodic jobs at start.
BACKGROUND_STARTERS: list[Callable[[PollingApp], Awaitable[None]]] = [
    start_progress_job,
    start_reminders,
    start_survey_jobs,
]


async def publish_menus(application: PollingApp) -> None:
    """Telegram's command menu per language (PTB's post_init only runs in run_polling)."""
    try:
        await publish_command_menus(application)
    except Exception:
        log.exception("could not publish the command menus")


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
