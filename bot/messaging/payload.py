"""Sending one stored outbox payload, part by part, resuming where a failed try stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import LinkPreviewOptions, Message
from telegram.ext import ExtBot

from bot.core.outbound import OutboundMessage
from bot.messaging.markup import inline_markup
from bot.messaging.telegram_html import HTMLEntityError, utf16_len, visible_length

BULK = {"bulk": True}
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
CAPTION_LIMIT = 1024


@dataclass
class Progress:
    """Steps of a payload delivered so far (a file counts as the first step)."""

    parts_sent: int = 0
    message_id: int | None = None


class EmptyPayload(ValueError):
    """The payload has nothing to send: a permanent refusal, not a network fault."""


def _fits_caption(text: str, parse_mode: str | None) -> bool:
    """Within Telegram's caption limit, counted as Telegram does: visible UTF-16 units."""
    try:
        size = visible_length(text) if parse_mode == "HTML" else utf16_len(text)
    except HTMLEntityError:
        return False
    return size <= CAPTION_LIMIT


async def send_payload(
    bot: ExtBot[Any],
    chat_id: int,
    payload: dict[str, Any],
    progress: Progress | None = None,
    timeout: float | None = None,
    wanted: Callable[[], bool] | None = None,
) -> Message | None:
    """Send one stored payload: text parts, or a document/photo with the text as caption.

    A long text is stored as several ``parts`` and sent in order within the one delivery;
    buttons go on the last message. Steps already in ``progress`` are skipped and each
    delivered step is added to it, so a retry after a failure sends only what is missing.
    Returns the last message sent (None when everything had been sent before).
    ``wanted`` is asked again when the rate limiter lets each step go (an erasure while the
    send waited): :class:`~bot.messaging.ratelimit.SendCancelled` when it says no.
    """
    bulk = BULK if wanted is None else {**BULK, "wanted": wanted}
    progress = progress or Progress()
    times: dict[str, Any] = {"read_timeout": timeout, "write_timeout": timeout} if timeout else {}
    outbound = OutboundMessage.from_payload(payload)
    markup = inline_markup(outbound.buttons)
    parse_mode = outbound.parse_mode
    parts = outbound.parts
    if not any(parts) and outbound.media is None:
        raise EmptyPayload("empty payload")
    message: Message | None = None
    step = 0
    if outbound.media is not None:
        media, file_id = outbound.media
        caption = parts[0] if len(parts) == 1 and _fits_caption(parts[0], parse_mode) else None
        if progress.parts_sent <= step:
            send = bot.send_document if media == "document" else bot.send_photo
            message = await send(
                chat_id,
                file_id,
                caption=caption,
                parse_mode=parse_mode,
                reply_markup=markup if caption is not None else None,
                message_thread_id=outbound.thread,
                reply_to_message_id=outbound.reply_to,
                rate_limit_args=bulk,
                **times,
            )
            progress.parts_sent, progress.message_id = step + 1, message.message_id
        if caption is not None:
            return message
        step += 1
    for index, part in enumerate(parts):
        if part and progress.parts_sent <= step + index:
            message = await bot.send_message(
                chat_id,
                part,
                parse_mode=parse_mode,
                reply_markup=markup if index == len(parts) - 1 else None,
                disable_notification=outbound.silent,
                link_preview_options=NO_PREVIEW if outbound.no_preview else None,
                message_thread_id=outbound.thread,
                reply_to_message_id=outbound.reply_to,
                rate_limit_args=bulk,
                **times,
            )
            progress.message_id = message.message_id
        progress.parts_sent = max(progress.parts_sent, step + index + 1)
    return message
