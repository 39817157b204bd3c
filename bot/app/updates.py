"""How updates are taken in: per chat in order, fairly across chats, edits never re-run.

Updates of one chat wait for each other *before* they take one of the global slots, so a
member who sends 120 messages queues behind themself and nobody else waits for them. A
chat's backlog is capped: past ``backlog`` waiting updates the rest are dropped (logged),
and the member is told once, politely, in their language, to slow down.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.core import logfields
from bot.core.i18n import N_, Translator, normalize_language
from bot.messaging import metrics

log = logging.getLogger(__name__)
EDIT_TYPES = (Update.EDITED_MESSAGE, Update.EDITED_CHANNEL_POST, Update.EDITED_BUSINESS_MESSAGE)
# What the bot asks Telegram for, listed on purpose: messages (commands, flow answers,
# files), button presses, and its own membership in a chat (a private chat's "kicked" is
# the person blocking the bot). Never edits (an edit never runs a command) nor
# ``chat_member`` (no feature watches other people joining groups).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
BACKLOG = 30  # updates of one chat waiting at most; more are dropped
SLOW_DOWN = N_(
    "You are sending messages faster than I can answer. I will answer the first ones; "
    "please wait a moment before sending more."
)
UNBOUNDED = 1 << 30  # PTB's own semaphore is not used: ours is taken after the chat's turn

Overflow = Callable[[Update], Awaitable[None]]


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0  # updates of this chat queued or running
    warned: bool = False  # told to slow down during this backlog


def is_edit(update: object) -> bool:
    return isinstance(update, Update) and (
        update.edited_message is not None
        or update.edited_channel_post is not None
        or update.edited_business_message is not None
    )


def _discard(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats run concurrently (at most ``max_concurrent_updates``);
    updates of one chat keep their order and hold no global slot while they wait.

    A focal point pressing buttons quickly must see the steps in order, while a hundred
    people asking at once must not wait for each other.
    """

    def __init__(
        self,
        max_concurrent_updates: int = 64,
        *,
        backlog: int = BACKLOG,
        on_overflow: Overflow | None = None,
    ) -> None:
        super().__init__(UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chats: dict[int, _Chat] = {}
        self.backlog = backlog
        self.on_overflow = on_overflow
        self.dropped = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if is_edit(update):
            _discard(coroutine)
            metrics.UPDATES.labels("edit_ignored").inc()
            return
        chat_id = None
        if isinstance(update, Update) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
        if isinstance(update, Update):  # this task's log lines name the update
            logfields.bind(update_id=update.update_id, chat_id=chat_id)
        if chat_id is None:
            async with self._slots:
                await coroutine
            metrics.UPDATES.labels("handled").inc()
            return
        chat = self._chats.setdefault(chat_id, _Chat())
        if chat.waiting >= self.backlog:
            await self._overflow(chat_id, chat, update, coroutine)
            return
        chat.waiting += 1
        try:
            async with chat.lock, self._slots:
                await coroutine
            metrics.UPDATES.labels("handled").inc()
        finally:
            chat.waiting -= 1
            if chat.waiting == 0 and self._chats.get(chat_id) is chat:
                del self._chats[chat_id]

    async def _overflow(
        self, chat_id: int, chat: _Chat, update: object, coroutine: Awaitable[Any]
    ) -> None:
        _discard(coroutine)
        self.dropped += 1
        metrics.UPDATES.labels("dropped").inc()
        log.warning("chat %s has %d updates waiting: one more dropped", chat_id, chat.waiting)
        if chat.warned or self.on_overflow is None or not isinstance(update, Update):
            return
        chat.warned = True
        try:
            await self.on_overflow(update)
        except Exception:
            log.exception("could not ask chat %s to slow down", chat_id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


async def ask_to_slow_down(bot: Any, update: Update, default_language: str) -> None:
    """The overflow notice: one short message in the sender's language."""
    user = update.effective_user
    language = normalize_language(user.language_code if user else None, default_language)
    assert update.effective_chat is not None
    await bot.send_message(update.effective_chat.id, Translator(language)(SLOW_DOWN))
