"""The emulator's state (users, chats, messages, files, queued updates) and its JSON shapes."""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.devtools.emulator.model import (
    Attachment,
    BotMessage,
    Call,
    EmulatedChat,
    EmulatedUser,
    Fault,
    FloodLimits,
    FloodWindows,
    Listener,
    wait_until,
)
from bot.devtools.emulator.strict import strict_default
from bot.messaging.telegram_html import utf16_len

log = logging.getLogger(__name__)


class EmulatorState:
    """Everything the emulator knows: people, chats, messages, files, updates, calls, faults;
    and how those look as Bot API JSON. The HTTP layer and the methods build on it."""

    def __init__(
        self,
        *,
        token: str | None = None,
        limits: FloodLimits | None = None,
        bot_username: str = "cinterfor_demo_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        record_calls: bool = True,
        strict: bool | None = None,
    ) -> None:
        """``strict``: hold requests to the Bot API's rules (:mod:`.strict`); ``None``
        leaves it to the ``EMULATOR_STRICT`` environment variable."""
        self.strict = strict_default() if strict is None else strict
        self.refused: list[Call] = []  # requests answered 400/404 by the emulator itself
        self.token = token or f"{random.randrange(10**9, 10**10)}:{secrets.token_urlsafe(27)}"
        self.bot_id = int(self.token.split(":", 1)[0])
        self.bot_username = bot_username
        self.host = host
        self.port = port
        self.limits = limits
        self._clock = clock
        self._windows = FloodWindows(limits or FloodLimits(None, None, None), clock)
        self.record_calls = record_calls
        self.calls: list[Call] = []
        self.call_counts: dict[tuple[str, int], int] = {}
        self.users: dict[int, EmulatedUser] = {}
        self.chats: dict[int, EmulatedChat] = {}
        self.blocked: set[int] = set()
        self.faults: list[Fault] = []
        self._random_faults: dict[str, float] = {}
        self._random_delay = 0.5
        self.faults_applied: dict[str, int] = {}
        self._rng = random.Random(0)
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self._open_queries: dict[str, float] = {}  # query id: when it was sent
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # setChatMenuButton: chat id (None: the default for every private chat) -> button
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        # setMyName / setMyDescription / setMyShortDescription: (field, language) -> text
        self.profile: dict[tuple[str, str], str] = {}
        self.allowed_updates: set[str] | None = None  # the bot's last getUpdates choice
        self.files: dict[str, Attachment] = {}
        self.webhook: dict[str, Any] | None = None
        self._messages: dict[tuple[int, int], BotMessage] = {}
        self._sent_by_people: dict[tuple[int, int], dict[str, Any]] = {}  # for reply_to
        self.topics: dict[int, dict[int, str]] = {}  # forum chat id -> thread id -> name
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._listeners: list[Listener] = []
        self._poll_generation = 0
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()  # ends late answers, so stop() need not wait

    # ----------------------------------------------------------------- people
    def user(
        self,
        *,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> EmulatedUser:
        """The person with this id, created on first use (later calls return the same one)."""
        existing = self.users.get(user_id)
        if existing is not None:
            return existing
        data: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
        }
        if last_name:
            data["last_name"] = last_name
        if username:
            data["username"] = username
        if language_code:
            data["language_code"] = language_code
        person = EmulatedUser(self, data)
        self.users[user_id] = person
        self.chats[user_id] = person
        return person

    def group(
        self,
        *,
        chat_id: int,
        title: str,
        added_by: EmulatedUser | None = None,
        forum: bool = False,
    ) -> EmulatedChat:
        """A group chat; when ``added_by`` is given the bot is added to it (``my_chat_member``).
        ``forum``: a supergroup with topics (the bot may create topics in it)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        existing = self.chats.get(chat_id)
        if existing is None:
            chat: dict[str, Any] = {"id": chat_id, "type": "group", "title": title}
            if forum:
                chat.update(type="supergroup", is_forum=True)
                self.topics[chat_id] = {}
            existing = EmulatedChat(self, chat)
            self.chats[chat_id] = existing
        if added_by is not None:
            self._push_update(
                {
                    "my_chat_member": {
                        "chat": existing.chat,
                        "from": added_by.user,
                        "date": int(time.time()),
                        "old_chat_member": {"status": "left", "user": self._bot_user()},
                        "new_chat_member": {"status": "member", "user": self._bot_user()},
                    }
                }
            )
        return existing

    def block_user(self, user_id: int) -> None:
        """From now on sends to this person fail with 403, as when they block the bot."""
        self.blocked.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def user_blocks_bot(self, user_id: int, blocked: bool = True) -> None:
        """The person blocks (or unblocks) the bot in their app: sends fail with 403 from now
        on, and the bot gets a ``my_chat_member`` update (status "kicked", or "member")."""
        person = self.user(user_id=user_id)
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        (self.blocked.add if blocked else self.blocked.discard)(user_id)

        def member(status: str) -> dict[str, Any]:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self._bot_user(), **extra}

        self._push_update(
            {
                "my_chat_member": {
                    "chat": person.chat,
                    "from": person.user,
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    # ----------------------------------------------------------------- observation
    def listen(self, listener: Listener) -> None:
        """``listener(kind, message)`` for kind in message, edit, delete."""
        self._listeners.append(listener)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def count(self, method: str, status: int = 200) -> int:
        return self.call_counts.get((method, status), 0)

    def find_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        return self._messages.get((chat_id, message_id))

    def messages_to(self, chat_id: int) -> list[BotMessage]:
        chat = self.chats.get(chat_id)
        return list(chat.messages) if chat is not None else []

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 10.0, what: str = "a condition"
    ) -> None:
        """Wait until ``predicate()`` holds; the emulator's state changes wake it."""
        await wait_until(predicate, lambda: self._changed, timeout, what)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _emit(self, kind: str, message: BotMessage) -> None:
        for listener in self._listeners:
            try:
                listener(kind, message)
            except Exception:
                log.exception("emulator listener failed")
        chat = self.chats.get(message.chat_id)
        if chat is not None:
            chat.notify()
        self._notify()

    # ----------------------------------------------------------------- updates from people
    def _push_update(self, body: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._notify()
        return update_id

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def push_text(
        self,
        sender: EmulatedUser,
        text: str,
        chat: EmulatedChat,
        *,
        reply_to: int | None = None,
        forward_origin: dict[str, Any] | None = None,
        thread: int | None = None,
    ) -> int:
        """A text from ``sender``; ``reply_to`` a message id of one they sent in that chat,
        ``forward_origin`` the MessageOrigin of a forwarded text (Bot API 7.0)."""
        message_id = self._next_message_id(chat.id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.chat,
            "from": sender.user,
            "text": text,
        }
        if forward_origin is not None:
            message["forward_origin"] = forward_origin
        if thread is not None:
            if thread not in self.topics.get(chat.id, {}):
                raise ValueError(f"no topic {thread} in chat {chat.id}")
            # In a topic, a message that replies to nothing replies to the topic's start.
            message.update(message_thread_id=thread, is_topic_message=True)
            reply_to = thread if reply_to is None else reply_to
        if reply_to is not None:
            message["reply_to_message"] = self._replied(chat.id, reply_to)
        self._sent_by_people[(chat.id, message_id)] = dict(message)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        self._messages[(chat.id, message_id)] = BotMessage(
            message_id,
            chat.id,
            text=text,
            date=message["date"],
            from_bot=False,
            sender_id=sender.user_id,
        )
        self._push_update({"message": message})
        return message_id

    def _replied(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The JSON of the message replied to: one a person sent, or one of the bot's."""
        if (chat_id, message_id) in self._sent_by_people:
            return self._sent_by_people[(chat_id, message_id)]
        return self._message_json(self._messages[(chat_id, message_id)])

    def push_document(
        self,
        sender: EmulatedUser,
        chat: EmulatedChat,
        file_name: str,
        content: bytes,
        caption: str | None,
        mime_type: str,
    ) -> int:
        attachment = self._store_file(content, file_name, mime_type)
        message_id = self._next_message_id(chat.id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.chat,
            "from": sender.user,
            "document": self._document_json(attachment),
        }
        if caption:
            message["caption"] = caption
            if caption.startswith("/"):
                command = caption.split(maxsplit=1)[0]
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        self._messages[(chat.id, message_id)] = BotMessage(
            message_id,
            chat.id,
            caption=caption,
            document=attachment,
            date=message["date"],
            from_bot=False,
            sender_id=sender.user_id,
        )
        self._push_update({"message": message})
        return message_id

    def push_callback(self, sender: EmulatedUser, message: BotMessage, data: str) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries[query_id] = self._clock()
        chat = self.chats.get(message.chat_id)
        self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender.user,
                    "message": self._message_json(message, chat.chat if chat else None),
                    "chat_instance": str(message.chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    # ----------------------------------------------------------------- JSON shapes
    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Cinterfor Network",
            "username": self.bot_username,
        }

    def _document_json(self, attachment: Attachment) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": attachment.file_id,
            "file_unique_id": attachment.file_unique_id,
            "file_size": attachment.size,
        }
        if attachment.file_name:
            document["file_name"] = attachment.file_name
        if attachment.mime_type:
            document["mime_type"] = attachment.mime_type
        return document

    def _message_json(
        self, message: BotMessage, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if chat is None:
            known = self.chats.get(message.chat_id)
            chat = known.chat if known else {"id": message.chat_id, "type": "private"}
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date or int(time.time()),
            "chat": chat,
        }
        if message.from_bot:
            body["from"] = self._bot_user()
        elif message.sender_id in self.users:
            body["from"] = self.users[message.sender_id].user
        if message.text:
            body["text"] = message.text
            if message.entities:
                body["entities"] = message.entities
        if message.caption:
            body["caption"] = message.caption
        if message.media_group_id:
            body["media_group_id"] = message.media_group_id
        if message.document is not None:
            body["document"] = self._document_json(message.document)
        if message.photo is not None:
            body["photo"] = [
                {
                    "file_id": message.photo.file_id,
                    "file_unique_id": message.photo.file_unique_id,
                    "width": 800,
                    "height": 600,
                    "file_size": message.photo.size,
                }
            ]
        if message.reply_markup:
            body["reply_markup"] = message.reply_markup
        if message.thread_id is not None:
            body.update(message_thread_id=message.thread_id, is_topic_message=True)
        if message.edits:
            body["edit_date"] = int(time.time())
        return body

    def _store_file(
        self, content: bytes, file_name: str | None, mime_type: str | None
    ) -> Attachment:
        number = next(self._file_ids)
        attachment = Attachment(
            file_id=f"BQACAgEAA{number:08d}{secrets.token_hex(6)}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[attachment.file_id] = attachment
        return attachment
