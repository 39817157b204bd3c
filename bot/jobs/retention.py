"""Retention: contents of finished deliveries and unanswered question texts older than
RETENTION_DAYS are deleted, a few times a day (any process may run it: it is idempotent)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.app.context import services_of
from storage.privacy import prune

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 6 * 3600
AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def start_retention(application: AnyApp) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            retention_tick, interval=INTERVAL_SECONDS, first=60, name="retention"
        )


async def retention_tick(context: CallbackContext[Any, Any, Any, Any]) -> None:
    svc = services_of(context.application)
    try:
        pruned = await prune(svc.db, svc.now(), svc.settings.retention_days)
    except Exception:
        log.exception("retention pruning failed")
        return
    if pruned.deliveries or pruned.questions:
        log.info(
            "retention: emptied %d deliveries, deleted %d unanswered questions",
            pruned.deliveries,
            pruned.questions,
        )
