"""What the emulator holds and hands out: error answers, flood windows, fault records, the
recorded calls, messages with their buttons and files, and the people and chats of the tests."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.devtools.emulator.state import EmulatorState

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files


class APIError(Exception):
    """An error answer, shaped as Telegram shapes them."""

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        injected: bool = False,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.injected = injected  # an injected fault, not the emulator's judgement

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str, *, injected: bool = False) -> APIError:
    return APIError(400, f"Bad Request: {text}", injected=injected)


NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


# --------------------------------------------------------------------------- flood limits
@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits on sends; ``None`` switches a limit off."""

    overall_per_second: float | None = 30
    per_chat_per_second: float | None = 1
    per_group_per_minute: float | None = 20


class FloodWindows:
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
    web_app: str | None = None  # the address of a Mini App button


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
    thread_id: int | None = None  # the forum topic it is in
    reply_to: int | None = None  # the message it replies to
    media_group_id: str | None = None  # one album (sendMediaGroup)
    link_preview_options: dict[str, Any] | None = None  # as the bot sent it

    @property
    def preview_disabled(self) -> bool:
        return bool((self.link_preview_options or {}).get("is_disabled"))

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [
                Button(
                    b.get("text", ""),
                    b.get("callback_data"),
                    b.get("url"),
                    (b.get("web_app") or {}).get("url"),
                )
                for b in row
            ]
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


async def wait_until(
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


# --------------------------------------------------------------------------- people and chats
class EmulatedChat:
    """A chat's history as seen by the people in it; readers keep their own cursor."""

    def __init__(self, emulator: EmulatorState, chat: dict[str, Any]) -> None:
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
        await wait_until(predicate, lambda: self._changed, timeout, what)

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

    def __init__(self, emulator: EmulatorState, user: dict[str, Any]) -> None:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if user.get("last_name"):
            chat["last_name"] = user["last_name"]
        if user.get("username"):
            chat["username"] = user["username"]
        super().__init__(emulator, chat)
        self.user = user
        self.user_id: int = user["id"]

    async def send(
        self,
        text: str,
        chat: EmulatedChat | None = None,
        *,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> int:
        """Type ``text`` in the private chat (or in ``chat``, a group); returns its id.
        ``reply_to``: the id of a message there (one a person sent, or one of the bot's);
        ``thread``: the forum topic it is typed in."""
        return self.emulator.push_text(self, text, chat or self, reply_to=reply_to, thread=thread)

    async def forward(self, text: str, origin: EmulatedUser | None) -> int:
        """Forward into the private chat a text written by ``origin`` (None: a sender who
        hides their account, ``hidden_user``); returns the forward's message id."""
        when = int(time.time())
        if origin is None:
            source: dict[str, Any] = {"type": "hidden_user", "date": when}
            source["sender_user_name"] = "Hidden"
        else:
            source = {"type": "user", "date": when, "sender_user": origin.user}
        return self.emulator.push_text(self, text, self, forward_origin=source)

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
