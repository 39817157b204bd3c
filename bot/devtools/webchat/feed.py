"""What the web chat shows: the emulator's messages, edits and deletions as a numbered log
of JSON events that browsers read with long polling (``GET /api/feed?since=N``)."""

from __future__ import annotations

import asyncio
import contextlib
import html
from typing import Any

from bot.devtools.emulator import Attachment, BotAPIEmulator, BotMessage

KEEP = 5000  # events kept; a browser further behind reloads the whole history


def _file(attachment: Attachment | None) -> dict[str, Any] | None:
    if attachment is None:
        return None
    return {
        "id": attachment.file_id,
        "name": attachment.file_name or "file",
        "size": attachment.size,
        "mime": attachment.mime_type or "",
        "url": f"/api/file/{attachment.file_id}",
    }


def message_json(message: BotMessage) -> dict[str, Any]:
    """A message as the page draws it. ``html`` is Telegram-HTML (the bot's, as the emulator
    stored it) or the plain text escaped; the page parses only Telegram's tags from it."""
    body = message.html if message.html is not None else html.escape(message.body)
    return {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "sender_id": message.sender_id,
        "html": body,
        "date": message.date,
        "edits": message.edits,
        "keyboard": (message.reply_markup or {}).get("inline_keyboard") or [],
        "photo": _file(message.photo),
        "document": _file(message.document),
    }


class Feed:
    """The event log: every change the emulator reports, plus the people's own messages."""

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self.events: list[dict[str, Any]] = []
        self.first_seq = 1
        self._next = 1
        self._changed = asyncio.Event()
        emulator.listen(self._on_emulator)

    def _on_emulator(self, kind: str, message: BotMessage) -> None:
        self.add({"kind": kind, "message": message_json(message)})

    def add(self, event: dict[str, Any]) -> None:
        event["seq"] = self._next
        self._next += 1
        self.events.append(event)
        if len(self.events) > KEEP:
            drop = len(self.events) - KEEP
            del self.events[:drop]
            self.first_seq += drop
        self._changed.set()
        self._changed = asyncio.Event()

    @property
    def last_seq(self) -> int:
        return self._next - 1

    def close(self) -> None:
        """Wake every waiting long poll (the server is stopping)."""
        self._changed.set()

    def mine(self, chat_id: int, message_id: int) -> None:
        """A message a person sent from the page (the emulator only reports the bot's)."""
        message = self.emulator.find_message(chat_id, message_id)
        if message is not None:
            self.add({"kind": "message", "message": message_json(message)})

    def since(self, seq: int) -> list[dict[str, Any]]:
        start = max(0, seq + 1 - self.first_seq)
        return self.events[start:]

    async def wait(self, seq: int, timeout: float) -> list[dict[str, Any]]:
        """Events after ``seq``, waiting up to ``timeout`` seconds for the first."""
        if seq >= self._next - 1:
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await changed.wait()
        return self.since(seq)
