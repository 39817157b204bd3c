"""An announcement's progress message: posted once when sending starts, then edited in place.

Posted by /broadcast (sent at once) and by the progress job (a scheduled one that has just
started); edited by the job (``bot.jobs.broadcasts``) until the announcement is done.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.core.i18n import Translator
from bot.messaging.markup import inline_markup
from bot.render.broadcasts import is_final, progress_text
from bot.render.webapp import app_button
from storage import broadcasts as store
from storage.db import Database
from storage.models import Broadcast
from storage.outbox import status_counts


def progress_markup(
    webapp_url: str | None, broadcast: Broadcast, tr: Translator
) -> InlineKeyboardMarkup | None:
    """The "open the app" button under a progress message (with WEBAPP_URL, in a private
    chat); None otherwise. Given again with every edit, which would drop it otherwise."""
    private = (broadcast.progress_chat_id or 0) > 0
    row = app_button(webapp_url, tr, "broadcasts", private=private, id=broadcast.id or 0)
    return inline_markup([row])


async def post_progress(
    bot: Bot,
    db: Database,
    broadcast: Broadcast,
    tr: Translator,
    *,
    webapp_url: str | None,
    shown: dict[int, str],
) -> None:
    """Post the first progress message in the broadcast's progress chat and store its id.

    Its text goes into ``shown`` (broadcast id -> the progress text last shown), so that the
    job's first edit is never an identical one: Telegram refuses it ("message is not
    modified")."""
    if broadcast.progress_chat_id is None or broadcast.id is None:
        return
    counts = await status_counts(db, broadcast.id)
    text = progress_text(broadcast, counts, 0.0, tr, is_final(broadcast))
    shown[broadcast.id] = text
    message = await bot.send_message(
        broadcast.progress_chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=progress_markup(webapp_url, broadcast, tr),
    )
    await store.set_progress_message(db, broadcast.id, message.message_id)
