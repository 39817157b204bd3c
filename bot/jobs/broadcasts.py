"""The broadcast progress job: start due scheduled announcements, edit each one's progress
message in place while it is sent, and close the announcements whose deliveries are done.

The first progress message is posted by :func:`bot.messaging.broadcast_progress.post_progress`,
here for a scheduled announcement and by /broadcast for one sent at once."""

from __future__ import annotations

import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from bot.app.context import Services, services_of
from bot.core.enums import DeliveryStatus
from bot.core.i18n import Translator
from bot.messaging.broadcast_progress import post_progress, progress_markup
from bot.messaging.compose import split_html
from bot.render.broadcasts import progress_text
from storage import broadcasts as store
from storage.members import get_member
from storage.models import Broadcast
from storage.outbox import status_counts

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 2.0
AnyApp = Application[Any, Any, Any, Any, Any, Any]
AnyContext = CallbackContext[Any, Any, Any, Any]


async def start_progress_job(application: AnyApp) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            progress_tick, interval=PROGRESS_INTERVAL, first=0.5, name="broadcast-progress"
        )


async def progress_tick(context: AnyContext) -> None:
    """Start due scheduled broadcasts; edit progress messages; close drained broadcasts."""
    svc = services_of(context.application)
    now = svc.now()
    for started in await store.start_due_broadcasts(
        svc.db, now, svc.settings.default_language, split_html
    ):
        if svc.delivery is not None:
            svc.delivery.wake()
        tr = await creator_translator(svc, started)
        await post_progress(
            context.bot,
            svc.db,
            started,
            tr,
            webapp_url=svc.settings.webapp_url,
            shown=svc.progress_shown,
        )
    for broadcast in await store.active_broadcasts(svc.db):
        assert broadcast.id is not None
        counts = await status_counts(svc.db, broadcast.id)
        rate = _rate(svc, broadcast.id, counts.get(DeliveryStatus.sent, 0), now.timestamp())
        final = await store.mark_done_if_drained(svc.db, broadcast.id, now)
        await _edit_progress(context, svc, broadcast, counts, rate, final)
        if final:
            svc.broadcast_rates.pop(broadcast.id, None)


def _rate(svc: Services, broadcast_id: int, sent: int, clock: float) -> float:
    """Messages per second since the last tick (remembered per broadcast in the services)."""
    last_time, last_sent = svc.broadcast_rates.get(broadcast_id, (clock, sent))
    svc.broadcast_rates[broadcast_id] = (clock, sent)
    return (sent - last_sent) / (clock - last_time) if clock > last_time else 0.0


async def creator_translator(svc: Services, broadcast: Broadcast) -> Translator:
    creator = await get_member(svc.db, broadcast.created_by)
    return Translator(creator.language if creator else svc.settings.default_language)


async def _edit_progress(
    context: AnyContext,
    svc: Services,
    broadcast: Broadcast,
    counts: dict[str, int],
    rate: float,
    final: bool,
) -> None:
    if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
        return
    tr = await creator_translator(svc, broadcast)
    text = progress_text(broadcast, counts, rate, tr, final)
    assert broadcast.id is not None
    if svc.progress_shown.get(broadcast.id) == text:
        return
    svc.progress_shown[broadcast.id] = text
    if final:
        svc.progress_shown.pop(broadcast.id, None)
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=broadcast.progress_chat_id,
            message_id=broadcast.progress_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=progress_markup(svc.settings.webapp_url, broadcast, tr),
        )
    except TelegramError as exc:
        if "not modified" not in str(exc).lower():
            log.info("could not edit progress of broadcast %s: %s", broadcast.id, exc)
