"""Sending one stored outbox payload, part by part, resuming where a failed try stopped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import ExtBot

BULK = {"bulk": True}
CAPTION_LIMIT = 1024


@dataclass
class Progress:
    """Steps of a payload delivered so far (a file counts as the first step)."""

    parts_sent: int = 0
    message_id: int | None = None


class EmptyPayload(ValueError):
    """The payload has nothing to send: a permanent refusal, not a network fault."""


def markup_from(rows: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    """Buttons stored in a payload as ``[[text, data], ...]`` rows; ``url:`` data is a link."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text, url=data[4:])
                if data.startswith("url:")
                else InlineKeyboardButton(text, callback_data=data)
                for text, data in row
            ]
            for row in rows
        ]
    )


def _parts(payload: dict[str, Any]) -> list[str]:
    return list(payload.get("parts") or [payload.get("text", "")])


async def send_payload(
    bot: ExtBot[Any],
    chat_id: int,
    payload: dict[str, Any],
    progress: Progress | None = None,
    timeout: float | None = None,
) -> Message | None:
    """Send one stored payload: text parts, or a document/photo with the text as caption.

    A long text is stored as several ``parts`` and sent in order within the one delivery;
    buttons go on the last message. Steps already in ``progress`` are skipped and each
    delivered step is added to it, so a retry after a failure sends only what is missing.
    Returns the last message sent (None when everything had been sent before).
    """
    progress = progress or Progress()
    times: dict[str, Any] = {"read_timeout": timeout, "write_timeout": timeout} if timeout else {}
    markup = markup_from(payload.get("buttons"))
    parse_mode = payload.get("parse_mode", "HTML")
    parts = _parts(payload)
    if not any(parts) and not (payload.get("document") or payload.get("photo")):
        raise EmptyPayload("empty payload")
    media = "document" if payload.get("document") else "photo" if payload.get("photo") else None
    message: Message | None = None
    step = 0
    if media is not None:
        caption = parts[0] if len(parts) == 1 and len(parts[0]) <= CAPTION_LIMIT else None
        if progress.parts_sent <= step:
            send = bot.send_document if media == "document" else bot.send_photo
            message = await send(
                chat_id,
                payload[media],
                caption=caption,
                parse_mode=parse_mode,
                reply_markup=markup if caption is not None else None,
                rate_limit_args=BULK,
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
                disable_notification=bool(payload.get("silent")),
                rate_limit_args=BULK,
                **times,
            )
            progress.message_id = message.message_id
        progress.parts_sent = max(progress.parts_sent, step + index + 1)
    return message
