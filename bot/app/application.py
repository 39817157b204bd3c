"""Application factory and the serving loop (long polling or webhook)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.app.config import Settings
from bot.app.context import BotContext, Services, attach_services, services_of
from bot.app.logsetup import protect_secret
from bot.app.updates import PerChatUpdateProcessor, ask_to_slow_down
from bot.jobs.broadcasts import start_progress_job
from bot.jobs.menus import publish_command_menus
from bot.jobs.reminders import start_reminders
from bot.jobs.retention import start_retention
from bot.jobs.surveys import start_survey_jobs
from bot.messaging.delivery import DeliveryEngine
from bot.messaging.http import AiohttpRequest
from bot.messaging.ratelimit import Limits, PriorityRateLimiter, SendBudget
from bot.messaging.shared_budget import SharedBudget
from handlers import register_all
from storage.db import Database

log = logging.getLogger(__name__)
PollingApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings, db: Database, services: Services | None = None
) -> PollingApp:
    """The PTB Application with every feature registered and its services attached."""
    api = settings.telegram_api_base_url
    protect_secret(settings.token)
    if settings.webhook_secret is not None:
        protect_secret(settings.webhook_secret.get_secret_value())
    processor = PerChatUpdateProcessor(64)
    http = (AiohttpRequest(), AiohttpRequest(connection_pool_size=1))
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .request(http[0])
        .get_updates_request(http[1])
        .rate_limiter(
            PriorityRateLimiter(
                SendBudget(Limits(overall_per_second=settings.send_rate_limit)), max_retries=3
            )
        )
        .concurrent_updates(processor)
        .context_types(ContextTypes(context=BotContext))
        .build()
    )
    processor.on_overflow = lambda update: ask_to_slow_down(
        application.bot, update, settings.default_language
    )
    svc = services or Services(settings=settings, db=db)
    svc.http = http
    attach_services(application, svc)
    svc.delivery = DeliveryEngine(
        application.bot,
        db,
        clock=lambda: svc.now(),
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        give_up_after=timedelta(seconds=settings.outbox_give_up_after),
        buffer=max(16, min(200, int(settings.send_rate_limit))),
    )
    register_all(application)
    return application


@contextlib.asynccontextmanager
async def background_work(application: PollingApp) -> AsyncIterator[None]:
    """The delivery engine and the periodic jobs, for as long as the bot serves."""
    svc = services_of(application)
    assert svc.delivery is not None
    shared = await share_send_budget(application)
    await svc.delivery.start()  # first: a webhook may already be taking updates
    await publish_menus(application)
    for starter in BACKGROUND_STARTERS:
        await starter(application)
    try:
        yield
    finally:
        await svc.delivery.stop()
        if shared is not None:
            await shared.stop()


async def share_send_budget(application: PollingApp) -> SharedBudget | None:
    """PostgreSQL: this replica takes its share of the bot's limit (SQLite: one process)."""
    svc = services_of(application)
    limiter = application.bot.rate_limiter
    if svc.db.is_sqlite or not isinstance(limiter, PriorityRateLimiter):
        return None
    assert svc.delivery is not None
    shared = SharedBudget(
        limiter.budget, svc.db, svc.delivery.worker, total=svc.settings.send_rate_limit
    )
    await shared.start()
    return shared


# Coroutines that schedule the features' periodic jobs at start.
BACKGROUND_STARTERS: list[Callable[[PollingApp], Awaitable[None]]] = [
    start_progress_job,
    start_reminders,
    start_survey_jobs,
    start_retention,
]


async def publish_menus(application: PollingApp) -> None:
    """Telegram's command menu per language (PTB's post_init only runs in run_polling)."""
    try:
        await publish_command_menus(application)
    except Exception:
        log.exception("could not publish the command menus")
