"""A Telegram Bot API emulator: an aiohttp server that speaks the real HTTP API on loopback.

Telegram is unreachable from the machines this project is built on, so the demo, the tests
and the benchmarks run the real PTB ``Application`` against this server through
``TELEGRAM_API_BASE_URL``. It implements the methods the bot uses with Telegram's request
forms (query string, url-encoded form, multipart with files, JSON) and error shapes
(``{"ok": false, "error_code": 400, "description": "Bad Request: ..."}``), and:

- records every call (:meth:`BotAPIEmulator.calls_of`);
- plays the people: :meth:`BotAPIEmulator.user` gives an :class:`EmulatedUser` that sends
  texts and documents, presses buttons and reads what the bot sent (:meth:`next_message`);
- can enforce Telegram's flood limits (:class:`FloodLimits`: 30 messages a second overall,
  1 a second per private chat, 20 a minute per group) with real ``429`` answers carrying
  ``retry_after``;
- can inject faults: 403 "bot was blocked by the user", 5xx, 429, slow answers, and the
  failures of the wire itself (``ok: false`` with status 200, an HTML 502 page, a body that is
  not JSON, an answer that comes after the client gave up although the message went out, a
  connection closed without an answer) — one-off, counted, for a time window, or at random
  with a rate (:meth:`inject_fault`, :meth:`random_faults`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import random
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.messaging.telegram_html import HTMLEntityError, parse_html, utf16_len

log = logging.getLogger(__name__)

SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
        "forwardMessage",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendLocation",
        "sendPoll",
    }
)
# Parameters Telegram reads as JSON when they arrive as form fields.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
    }
)
INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
        "message_thread_id",
    }
)
BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
    }
)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files


class APIError(Exception):
    """An error answer, shaped as Telegram shapes them."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> APIError:
    return APIError(400, f"Bad Request: {text}")


# --------------------------------------------------------------------------- flood limits
@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits on sends; ``None`` switches a limit off."""

    overall_per_second: float | None = 30
    per_chat_per_second: float | None = 1
    per_group_per_minute: float | None = 20


class _Windows:
    """Sliding windows of accepted sends, overall and per chat."""

    def __init__(self, limits: FloodLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.overall: deque[float] = deque()
        self.chats: dict[int, deque[float]] = {}

    @staticmethod
    def _wait(window: deque[float], limit: float, span: float, now: float) -> float:
        while window and now - window[0] >= span:
            window.popleft()
        if len(window) < limit:
            return 0.0
        return window[len(window) - int(limit)] + span - now

    def check(self, chat_id: int) -> float:
        """Seconds until a send to ``chat_id`` would be accepted (0: now)."""
        now = self.clock()
        wait = 0.0
        if self.limits.overall_per_second is not None:
            wait = self._wait(self.overall, self.limits.overall_per_second, 1.0, now)
        chat = self.chats.setdefault(chat_id, deque())
        if chat_id < 0 and self.limits.per_group_per_minute is not None:
            wait = max(wait, self._wait(chat, self.limits.per_group_per_minute, 60.0, now))
        elif chat_id > 0 and self.limits.per_chat_per_second is not None:
            wait = max(wait, self._wait(chat, self.limits.per_chat_per_second, 1.0, now))
        return wait

    def record(self, chat_id: int) -> None:
        now = self.clock()
        self.overall.append(now)
        self.chats.setdefault(chat_id, deque()).append(now)


# --------------------------------------------------------------------------- faults
FAULT_KINDS = (
    "blocked",  # 403 "Forbidden: bot was blocked by the user"
    "server_error",  # 500 with a Telegram error body
    "bad_gateway",  # 502 with a Telegram error body
    "flood",  # 429 with parameters.retry_after
    "slow",  # answered normally after ``delay`` seconds
    "bad_request",  # 400 "Bad Request: injected fault"
    "ok_false",  # 200 with {"ok": false, "error_code": 500, ...}; nothing delivered
    "html_bad_gateway",  # 502 with an HTML page (a proxy in front of the API); nothing delivered
    "not_json",  # 200 with a body that is not JSON; nothing delivered
    "late",  # delivered, but answered only after ``delay`` seconds (an uncertain outcome)
    "reset",  # the connection is closed without an answer; nothing delivered
    "outage",  # as bad_gateway, meant for a time window (``until`` / ``duration``)
)
HTML_BAD_GATEWAY = "<html><body><h1>502 Bad Gateway</h1></body></html>"
NOT_JSON_BODY = "upstream answered: service temporarily unavailable"


@dataclass
class Fault:
    method: str  # a Bot API method name, or "*" for every method
    kind: str
    chat_id: int | None = None
    count: int | None = None  # None: until cleared (or until ``until``)
    retry_after: int = 1
    delay: float = 0.0
    probability: float = 1.0
    until: float | None = None  # the emulator's clock; None: no time limit

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.method not in ("*", method):
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def expired(self, now: float) -> bool:
        return self.until is not None and now >= self.until


class WireFault(Exception):
    """An injected fault answered below Telegram's error shape: an odd body, a late
    answer after a real delivery, or no answer at all."""

    def __init__(self, kind: str, delay: float = 0.0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.delay = delay


# --------------------------------------------------------------------------- recorded state
@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    at: float
    result: Any = None
    description: str | None = None
    fault: str | None = None  # the injected fault kind that shaped the answer


@dataclass
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class Attachment:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class BotMessage:
    """A message in a chat as the emulator holds it; edits change it in place."""

    message_id: int
    chat_id: int
    text: str = ""
    html: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: Attachment | None = None
    photo: Attachment | None = None
    caption: str | None = None
    date: int = 0
    from_bot: bool = True
    sender_id: int | None = None
    edits: int = 0
    deleted: bool = False
    disable_notification: bool = False
    at: float = 0.0  # the emulator's clock when it was sent

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
            for row in rows
        ]

    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def button_data(self) -> list[str]:
        return [b.callback_data for row in self.buttons for b in row if b.callback_data]

    def find_button(self, label: str) -> Button:
        """The button whose text or callback data is ``label`` (text first)."""
        every = [b for row in self.buttons for b in row]
        for button in every:
            if button.text == label:
                return button
        for button in every:
            if button.callback_data == label:
                return button
        raise LookupError(f"no button {label!r} in {[b.text for b in every]}")

    @property
    def body(self) -> str:
        """The text, or the caption of a document or photo."""
        return self.text or self.caption or ""


Listener = Callable[[str, BotMessage], None]


# --------------------------------------------------------------------------- people and chats
class EmulatedChat:
    """A chat's history as seen by the people in it; readers keep their own cursor."""

    def __init__(self, emulator: BotAPIEmulator, chat: dict[str, Any]) -> None:
        self.emulator = emulator
        self.chat = chat
        self.id: int = chat["id"]
        self.messages: list[BotMessage] = []  # the bot's new messages, in order
        self.cursor = 0
        self._changed = asyncio.Event()

    def notify(self) -> None:
        """Something changed in this chat (a message, an edit)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        """Like :meth:`BotAPIEmulator.wait_for`, woken only by this chat's changes (many
        people waiting at once do not wake each other)."""
        await _wait_until(predicate, lambda: self._changed, timeout, what)

    async def next_message(self, timeout: float = 10.0) -> BotMessage:
        """The next new message the bot sent to this chat (edits do not count)."""
        await self.wait(
            lambda: self.cursor < len(self.messages), timeout, f"a message in chat {self.id}"
        )
        message = self.messages[self.cursor]
        self.cursor += 1
        return message

    async def next_edit(self, message: BotMessage, seen: int, timeout: float = 10.0) -> None:
        """Wait until ``message`` has been edited more than ``seen`` times."""
        await self.wait(
            lambda: message.edits > seen, timeout, f"an edit of message {message.message_id}"
        )

    async def expect_silence(self, seconds: float) -> None:
        """Fails if the bot sends anything new to this chat within ``seconds``."""
        await asyncio.sleep(seconds)
        if self.cursor < len(self.messages):
            unexpected = self.messages[self.cursor]
            raise AssertionError(f"unexpected message in chat {self.id}: {unexpected.body!r}")

    def skip_all(self) -> None:
        """Mark everything received so far as read."""
        self.cursor = len(self.messages)


class EmulatedUser(EmulatedChat):
    """A person with a private chat with the bot."""

    def __init__(self, emulator: BotAPIEmulator, user: dict[str, Any]) -> None:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if user.get("last_name"):
            chat["last_name"] = user["last_name"]
        if user.get("username"):
            chat["username"] = user["username"]
        super().__init__(emulator, chat)
        self.user = user
        self.user_id: int = user["id"]

    async def send(self, text: str, chat: EmulatedChat | None = None) -> int:
        """Type ``text`` in the private chat (or in ``chat``, a group); returns its id."""
        return self.emulator.push_text(self, text, chat or self)

    async def send_document(
        self,
        file_name: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
        chat: EmulatedChat | None = None,
    ) -> int:
        return self.emulator.push_document(
            self, chat or self, file_name, content, caption, mime_type
        )

    async def press(self, message: BotMessage, label: str) -> str:
        """Press the button with this text (or callback data); returns the query id."""
        button = message.find_button(label)
        if button.callback_data is None:
            raise LookupError(f"button {label!r} is a link, not a callback button")
        return self.emulator.push_callback(self, message, button.callback_data)

    async def press_data(self, message_id: int, data: str, chat: EmulatedChat | None = None) -> str:
        """Send arbitrary callback data for a message (forged or stale buttons)."""
        target = self.emulator.find_message(chat.id if chat else self.id, message_id)
        if target is None:
            target = BotMessage(message_id=message_id, chat_id=chat.id if chat else self.id)
        return self.emulator.push_callback(self, target, data)

    async def next_callback_answer(self, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """What the bot answered to a button press (``answerCallbackQuery`` parameters)."""
        answers = self.emulator.callback_answers
        await self.emulator.wait_for(
            lambda: query_id in answers, timeout, what=f"an answer to query {query_id}"
        )
        return answers[query_id]


# --------------------------------------------------------------------------- the server
class BotAPIEmulator:
    """The Bot API on loopback. ``async with BotAPIEmulator() as emu: ...``"""

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
    ) -> None:
        self.token = token or f"{random.randrange(10**9, 10**10)}:{secrets.token_urlsafe(27)}"
        self.bot_id = int(self.token.split(":", 1)[0])
        self.bot_username = bot_username
        self.host = host
        self.port = port
        self.limits = limits
        self._clock = clock
        self._windows = _Windows(limits or FloodLimits(None, None, None), clock)
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
        self._open_queries: set[str] = set()
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.files: dict[str, Attachment] = {}
        self.webhook: dict[str, Any] | None = None
        self._messages: dict[tuple[int, int], BotMessage] = {}
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

    # ----------------------------------------------------------------- life cycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        self._stopping.clear()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        control = ControlAPI(self)
        app.router.add_post("/_emulator/users", control.users)
        app.router.add_post("/_emulator/block", control.block)
        app.router.add_post("/_emulator/faults", control.faults)
        app.router.add_post("/_emulator/send", control.send)
        app.router.add_get("/_emulator/stats", control.stats)
        app.router.add_get("/_emulator/chat/{chat_id}", control.chat)
        app.router.add_get("/_emulator/messages", control.messages)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None:
            sockets = getattr(server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._stopping.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

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
        self, *, chat_id: int, title: str, added_by: EmulatedUser | None = None
    ) -> EmulatedChat:
        """A group chat; when ``added_by`` is given the bot is added to it (``my_chat_member``)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        existing = self.chats.get(chat_id)
        if existing is None:
            existing = EmulatedChat(self, {"id": chat_id, "type": "group", "title": title})
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

    # ----------------------------------------------------------------- faults
    def inject_fault(
        self,
        method: str,
        kind: str,
        *,
        chat_id: int | None = None,
        count: int | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
        probability: float = 1.0,
        until: float | None = None,
        duration: float | None = None,
    ) -> Fault:
        """Make ``method`` (``"*"``: any) fail, for ``chat_id`` only when given.

        Kinds: see :data:`FAULT_KINDS`. ``count`` limits how often; ``until`` (the emulator's
        clock, ``time.monotonic`` by default) or ``duration`` (seconds from now) limits how
        long; with neither the fault holds until cleared. ``slow`` and ``late`` wait
        ``delay`` seconds (``late`` after delivering)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if duration is not None:
            end = self._clock() + duration
            until = end if until is None else min(until, end)
        fault = Fault(method, kind, chat_id, count, retry_after, delay, probability, until)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()
        self._random_faults.clear()

    def random_faults(self, *, seed: int = 0, delay: float = 0.5, **rates: float) -> None:
        """Answer a share of sends with a fault, e.g. ``random_faults(server_error=0.01)``;
        ``delay`` is the wait of the ``slow`` and ``late`` ones."""
        for kind in rates:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}")
        self._random_faults = dict(rates)
        self._random_delay = delay
        self._rng = random.Random(seed)

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
        await _wait_until(predicate, lambda: self._changed, timeout, what)

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

    def push_text(self, sender: EmulatedUser, text: str, chat: EmulatedChat) -> int:
        message_id = self._next_message_id(chat.id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.chat,
            "from": sender.user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        self._messages[(chat.id, message_id)] = BotMessage(
            message_id, chat.id, text=text, from_bot=False, sender_id=sender.user_id
        )
        self._push_update({"message": message})
        return message_id

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
            from_bot=False,
            sender_id=sender.user_id,
        )
        self._push_update({"message": message})
        return message_id

    def push_callback(self, sender: EmulatedUser, message: BotMessage, data: str) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
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

    # ----------------------------------------------------------------- HTTP
    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        try:
            params, uploads = await self._read_params(request)
        except APIError as exc:
            return self._answer(method, {}, exc)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._answer(method, params, APIError(404, "Not Found"))
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        late: WireFault | None = None
        try:
            await self._apply_faults(method, chat_id)
        except APIError as exc:
            return self._answer(method, params, exc)
        except WireFault as fault:
            if fault.kind != "late":
                return self._wire_fault(request, method, params, fault)
            late = fault
        try:
            result = await handler(params, uploads)
        except APIError as exc:
            response = self._answer(method, params, exc, fault=late)
        else:
            response = self._answer(method, params, result, fault=late)
        if late is not None:  # done, but the client hears of it too late
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), late.delay)
        return response

    def _answer(
        self, method: str, params: dict[str, Any], outcome: Any, fault: WireFault | None = None
    ) -> web.Response:
        if isinstance(outcome, APIError):
            status, body = outcome.code, outcome.body()
            description: str | None = outcome.description
            result = None
        else:
            status, body, description, result = 200, {"ok": True, "result": outcome}, None, outcome
        self._record(method, params, status, result, description, fault.kind if fault else None)
        return web.json_response(body, status=status)

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        result: Any,
        description: str | None,
        fault: str | None = None,
    ) -> None:
        """Count and keep one call; ``status`` is the HTTP status sent (0: none)."""
        key = (method, status)
        self.call_counts[key] = self.call_counts.get(key, 0) + 1
        if fault is not None:
            self.faults_applied[fault] = self.faults_applied.get(fault, 0) + 1
        if self.record_calls:
            call = Call(method, params, status, self._clock(), result, description, fault)
            self.calls.append(call)
        if method != "getUpdates":
            self._notify()

    def _wire_fault(
        self, request: web.Request, method: str, params: dict[str, Any], fault: WireFault
    ) -> web.Response:
        """The answer of a fault that is not a Telegram error body (nothing was done)."""
        if fault.kind == "ok_false":
            error = APIError(500, "Internal Server Error")
            self._record(method, params, 200, None, error.description, fault.kind)
            return web.json_response(error.body(), status=200)
        if fault.kind == "html_bad_gateway":
            self._record(method, params, 502, None, "Bad Gateway", fault.kind)
            return web.Response(status=502, text=HTML_BAD_GATEWAY, content_type="text/html")
        if fault.kind == "not_json":
            self._record(method, params, 200, None, NOT_JSON_BODY, fault.kind)
            return web.Response(status=200, text=NOT_JSON_BODY, content_type="text/plain")
        # reset: drop the connection; aiohttp then has nowhere to write the response.
        self._record(method, params, 0, None, "connection reset", fault.kind)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, Attachment]]:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, Attachment] = {}
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise bad_request("can't parse JSON object") from exc
                if not isinstance(body, dict):
                    raise bad_request("JSON object expected")
                return {**raw, **body}, uploads
            if ctype.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                        continue
                    if part.filename is not None:
                        content = await part.read(decode=False)
                        mime = part.headers.get("Content-Type")
                        uploads[part.name] = Attachment("", "", bytes(content), part.filename, mime)
                    else:
                        raw[part.name] = await part.text()
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        raw[key] = value
        return {key: _decode(key, value) for key, value in raw.items()}, uploads

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        attachment = self.files.get(file_id)
        if attachment is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=attachment.content, content_type="application/octet-stream")

    async def _apply_faults(self, method: str, chat_id: int | None) -> None:
        now = self._clock()
        for fault in list(self.faults):
            if fault.expired(now):
                self.faults.remove(fault)
                continue
            if not fault.matches(method, chat_id):
                continue
            if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                continue
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
            await self._raise_fault(fault.kind, fault.retry_after, fault.delay)
        if self._random_faults and method in SEND_METHODS:
            for kind, rate in self._random_faults.items():
                if self._rng.random() < rate:
                    await self._raise_fault(kind, 1, self._random_delay)

    async def _raise_fault(self, kind: str, retry_after: int, delay: float) -> None:
        """Raise the fault's error (APIError or WireFault); ``slow`` only waits."""
        if kind == "slow":
            self.faults_applied[kind] = self.faults_applied.get(kind, 0) + 1
            await asyncio.sleep(delay)
            return
        if kind in ("ok_false", "html_bad_gateway", "not_json", "late", "reset"):
            raise WireFault(kind, delay)
        self.faults_applied[kind] = self.faults_applied.get(kind, 0) + 1
        if kind == "blocked":
            raise APIError(403, "Forbidden: bot was blocked by the user")
        if kind == "server_error":
            raise APIError(500, "Internal Server Error")
        if kind in ("bad_gateway", "outage"):
            raise APIError(502, "Bad Gateway")
        if kind == "flood":
            raise APIError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        raise bad_request("injected fault")

    # ----------------------------------------------------------------- checks shared by sends
    def _target_chat(self, params: dict[str, Any]) -> EmulatedChat:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise APIError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _check_flood(self, chat_id: int) -> None:
        if self.limits is None:
            return
        wait = self._windows.check(chat_id)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise APIError(429, f"Too Many Requests: retry after {seconds}", seconds)

    @staticmethod
    def _check_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup  # reply keyboards and removals are accepted as they are
        if not isinstance(rows, list):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
            )
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
                if data is None and not button.get("url"):
                    raise bad_request("BUTTON_TYPE_INVALID")
        return markup

    @staticmethod
    def _formatted(
        text: str, params: dict[str, Any], field: str
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        """Plain text, entities and the HTML source of a text or caption."""
        if params.get("parse_mode") == "HTML":
            try:
                parsed = parse_html(text)
            except HTMLEntityError as exc:
                raise bad_request(f"can't parse entities: {exc}") from exc
            return parsed.text, parsed.entities, text
        entities = params.get("entities" if field == "text" else "caption_entities") or []
        return text, entities, None

    def _deliver(self, chat: EmulatedChat, message: BotMessage) -> None:
        self._windows.record(chat.id)
        message.at = self._clock()
        self._messages[(chat.id, message.message_id)] = message
        chat.messages.append(message)
        self._emit("message", message)

    # ----------------------------------------------------------------- methods
    async def _api_getMe(self, params: dict[str, Any], _: dict[str, Attachment]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_logOut(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any], _: dict[str, Attachment]) -> list[Any]:
        if self.webhook is not None:
            raise APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0.0, min(50.0, float(params.get("timeout") or 0)))
        # As on Telegram, a new getUpdates ends the one still waiting (which gets 409).
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if generation != self._poll_generation:
                raise APIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            while self._updates and offset and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
            if self._updates:
                return list(itertools.islice(self._updates, 0, limit))
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 1.0))

    async def _api_setWebhook(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        url = params.get("url") or ""
        if not url:
            return await self._api_deleteWebhook(params, _)
        if not str(url).startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._push_to_webhook())
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _push_to_webhook(self) -> None:
        """Deliver queued updates to a webhook on loopback, as Telegram would over HTTPS."""
        async with aiohttp.ClientSession() as http:
            while self.webhook is not None:
                if not self._updates:
                    changed = self._changed
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(changed.wait(), 0.5)
                    continue
                url = self.webhook["url"]
                if not url.startswith("http://"):
                    await asyncio.sleep(0.5)  # a public URL: nothing on this machine to call
                    continue
                update = self._updates[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    async with http.post(url, json=update, headers=headers) as answer:
                        if answer.status == 200:
                            self._updates.popleft()
                            continue
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.5)

    async def _api_setMyCommands(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if (
                not (1 <= len(name) <= 32)
                or not name.replace("_", "").isalnum()
                or name != name.lower()
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, str(params.get("language_code") or ""))] = commands
        return True

    async def _api_getMyCommands(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> list[Any]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get((scope, str(params.get("language_code") or "")), [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands.pop((scope, str(params.get("language_code") or "")), None)
        return True

    async def _api_setChatMenuButton(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self._target_chat(params)
        return True

    async def _api_getChat(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat.chat

    async def _api_sendMessage(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        chat = self._target_chat(params)
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise bad_request("message text is empty")
        text, entities, source = self._formatted(raw, params, "text")
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > TEXT_LIMIT:
            raise bad_request("message is too long")
        markup = self._check_markup(params)
        self._check_flood(chat.id)
        message = BotMessage(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            text=text,
            html=source,
            entities=entities,
            reply_markup=markup,
            date=int(time.time()),
            disable_notification=bool(params.get("disable_notification")),
        )
        self._deliver(chat, message)
        return self._message_json(message, chat.chat)

    async def _send_media(
        self, kind: str, params: dict[str, Any], uploads: dict[str, Attachment]
    ) -> dict[str, Any]:
        chat = self._target_chat(params)
        given = params.get(kind)
        upload = None
        if isinstance(given, str) and given.startswith("attach://"):
            upload = uploads.get(given.removeprefix("attach://"))
        elif kind in uploads:
            upload = uploads[kind]
        if upload is not None:
            attachment = self._store_file(upload.content, upload.file_name, upload.mime_type)
        elif isinstance(given, str) and given in self.files:
            attachment = self.files[given]
        else:
            raise bad_request(f"wrong file identifier/HTTP URL specified ({kind})")
        if not attachment.content:
            raise bad_request("file must be non-empty")
        caption_raw = params.get("caption")
        caption = entities = source = None
        if isinstance(caption_raw, str) and caption_raw:
            caption, entities, source = self._formatted(caption_raw, params, "caption")
            if len(caption) > CAPTION_LIMIT:
                raise bad_request("message caption is too long")
        markup = self._check_markup(params)
        self._check_flood(chat.id)
        message = BotMessage(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            html=source,
            entities=entities or [],
            caption=caption,
            reply_markup=markup,
            date=int(time.time()),
            document=attachment if kind == "document" else None,
            photo=attachment if kind == "photo" else None,
        )
        self._deliver(chat, message)
        return self._message_json(message, chat.chat)

    async def _api_sendDocument(
        self, params: dict[str, Any], uploads: dict[str, Attachment]
    ) -> dict[str, Any]:
        return await self._send_media("document", params, uploads)

    async def _api_sendPhoto(
        self, params: dict[str, Any], uploads: dict[str, Attachment]
    ) -> dict[str, Any]:
        return await self._send_media("photo", params, uploads)

    def _editable(self, params: dict[str, Any]) -> BotMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by this emulator")
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if not isinstance(chat_id, int) or chat_id not in self.chats:
            raise bad_request("chat not found")
        message = self._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    async def _api_editMessageText(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        message = self._editable(params)
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise bad_request("message text is empty")
        text, entities, source = self._formatted(raw, params, "text")
        if len(text) > TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = self._check_markup(params)
        if message.document is not None or message.photo is not None:
            raise bad_request("there is no text in the message to edit")
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.text, message.entities, message.html = text, entities, source
        message.reply_markup = markup
        message.edits += 1
        self._emit("edit", message)
        return self._message_json(message)

    async def _api_editMessageCaption(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        message = self._editable(params)
        raw = params.get("caption") or ""
        caption, entities, source = self._formatted(raw, params, "caption")
        markup = self._check_markup(params)
        if caption == (message.caption or "") and markup == message.reply_markup:
            raise bad_request("message is not modified")
        message.caption, message.entities, message.html = caption or None, entities, source
        message.reply_markup = markup
        message.edits += 1
        self._emit("edit", message)
        return self._message_json(message)

    async def _api_editMessageReplyMarkup(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._check_markup(params)
        if markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.reply_markup = markup
        message.edits += 1
        self._emit("edit", message)
        return self._message_json(message)

    async def _api_deleteMessage(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        message = (
            self._messages.get((chat_id, message_id))
            if isinstance(chat_id, int) and isinstance(message_id, int)
            else None
        )
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        self._emit("delete", message)
        return True

    async def _api_answerCallbackQuery(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries or query_id in self.callback_answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            key: params[key] for key in ("text", "show_alert", "url", "cache_time") if key in params
        }
        return True

    async def _api_getFile(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        attachment = self.files.get(file_id)
        if attachment is None:
            raise bad_request("invalid file_id")
        if attachment.size > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        return {
            "file_id": attachment.file_id,
            "file_unique_id": attachment.file_unique_id,
            "file_size": attachment.size,
            "file_path": f"documents/{attachment.file_id}",
        }

    async def _api_leaveChat(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self._target_chat(params)
        return True

    async def _api_getChatMember(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        user_id = params.get("user_id")
        user = self.users.get(user_id) if isinstance(user_id, int) else None
        if user is None:
            raise bad_request("user not found")
        return {"status": "member", "user": user.user}


def _decode(key: str, value: Any) -> Any:
    """Form fields arrive as strings; read them as Telegram types them."""
    if not isinstance(value, str):
        return value
    if key in JSON_PARAMS:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if key in INT_PARAMS:
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    if key in BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


async def _wait_until(
    predicate: Callable[[], bool], event: Callable[[], asyncio.Event], timeout: float, what: str
) -> None:
    """Check ``predicate`` each time ``event()`` (renewed on every change) fires."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        changed = event()
        if predicate():
            return
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(remaining, 0.2)):
                await changed.wait()


class ControlAPI:
    """``/_emulator/...``: drive an emulator that runs in another process (benchmarks):
    create people, block them, inject random faults, type messages, read what was sent."""

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator

    async def users(self, request: web.Request) -> web.Response:
        body = await request.json()
        language = body.get("language", "es")
        for user_id in body["ids"]:
            self.emulator.user(user_id=int(user_id), language_code=language)
        return web.json_response({"ok": True, "users": len(self.emulator.users)})

    async def block(self, request: web.Request) -> web.Response:
        for user_id in (await request.json())["ids"]:
            self.emulator.block_user(int(user_id))
        return web.json_response({"ok": True})

    async def faults(self, request: web.Request) -> web.Response:
        """Replace the faults: ``{"random": {kind: rate}, "seed": 0, "delay": 0.5,
        "inject": [{"method": "*", "kind": "outage", "duration": 5}, ...]}``."""
        body = await request.json()
        self.emulator.clear_faults()
        if body.get("random"):
            self.emulator.random_faults(
                seed=int(body.get("seed", 0)),
                delay=float(body.get("delay", 0.5)),
                **body["random"],
            )
        try:
            for spec in body.get("inject") or []:
                options = {k: v for k, v in spec.items() if k not in ("method", "kind")}
                self.emulator.inject_fault(spec.get("method", "*"), spec["kind"], **options)
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)
        return web.json_response({"ok": True})

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = self.emulator.user(user_id=int(body["user_id"]))
        message_id = await user.send(str(body["text"]))
        return web.json_response({"message_id": message_id, "at": self.emulator._clock()})

    async def stats(self, request: web.Request) -> web.Response:
        delivered = {
            str(chat_id): len(chat.messages)
            for chat_id, chat in self.emulator.chats.items()
            if chat.messages
        }
        calls = {
            f"{method}:{status}": n for (method, status), n in self.emulator.call_counts.items()
        }
        moments = [m.at for chat in self.emulator.chats.values() for m in chat.messages]
        first = min(moments, default=0.0)
        per_second: dict[int, int] = {}
        for moment in moments:
            second = int(moment - first)
            per_second[second] = per_second.get(second, 0) + 1
        return web.json_response(
            {
                "delivered": delivered,
                "calls": calls,
                "first_at": min(moments, default=None),
                "last_at": max(moments, default=None),
                "per_second": [
                    per_second.get(s, 0) for s in range(max(per_second, default=-1) + 1)
                ],
                "faults": dict(self.emulator.faults_applied),
                "now": self.emulator._clock(),
            }
        )

    async def chat(self, request: web.Request) -> web.Response:
        chat = self.emulator.chats.get(int(request.match_info["chat_id"]))
        messages = [
            {"message_id": m.message_id, "text": m.body, "at": m.at}
            for m in (chat.messages if chat else [])
        ]
        return web.json_response({"messages": messages})

    async def messages(self, request: web.Request) -> web.Response:
        """Every message the bot sent: chat, emulator time, start of the text."""
        rows = [
            {"chat_id": chat_id, "at": m.at, "text": m.body[:80]}
            for chat_id, chat in self.emulator.chats.items()
            for m in chat.messages
        ]
        return web.json_response({"messages": rows, "now": self.emulator._clock()})


async def serve_forever(emulator: BotAPIEmulator) -> None:
    """``python -m bot emulator``: run until interrupted."""
    await emulator.start()
    print(f"emulator ready {emulator.base_url} token={emulator.token}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()
