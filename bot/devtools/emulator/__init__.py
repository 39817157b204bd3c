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
  with a rate (:meth:`inject_fault`, :meth:`random_faults`);
- in strict mode (``strict=True``, or ``EMULATOR_STRICT=1``: on in the test suite) holds the
  bot's requests to the Bot API's rules and keeps every refused request
  (:attr:`BotAPIEmulator.refused`, :func:`collect_refusals`).

Modules: :mod:`.model` (answers, messages, people), :mod:`.state` (what the emulator holds),
:mod:`.methods` (the Bot API methods, gathered from :mod:`.profile`, :mod:`.sending`,
:mod:`.editing`, :mod:`.chats` and the checks of :mod:`.outgoing`), :mod:`.control` (faults,
control API), :mod:`.server` (HTTP, update delivery), :mod:`.strict` (the Bot API's rules,
refused requests).
"""

from bot.devtools.emulator.control import SEND_METHODS, ControlAPI, FaultInjection
from bot.devtools.emulator.methods import BotMethods
from bot.devtools.emulator.model import (
    CALLBACK_DATA_LIMIT,
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    FAULT_KINDS,
    HTML_BAD_GATEWAY,
    NOT_JSON_BODY,
    TEXT_LIMIT,
    APIError,
    Attachment,
    BotMessage,
    Button,
    Call,
    EmulatedChat,
    EmulatedUser,
    Fault,
    FloodLimits,
    Listener,
    WireFault,
    bad_request,
)
from bot.devtools.emulator.server import (
    BOOL_PARAMS,
    INT_PARAMS,
    JSON_PARAMS,
    BotAPIEmulator,
    serve_forever,
)
from bot.devtools.emulator.state import EmulatorState
from bot.devtools.emulator.strict import (
    BOT_API_VERSION,
    STRICT_ENV,
    collect_refusals,
    strict_default,
)

__all__ = [
    "BOOL_PARAMS",
    "BOT_API_VERSION",
    "CALLBACK_DATA_LIMIT",
    "CAPTION_LIMIT",
    "DOWNLOAD_LIMIT",
    "FAULT_KINDS",
    "HTML_BAD_GATEWAY",
    "INT_PARAMS",
    "JSON_PARAMS",
    "NOT_JSON_BODY",
    "SEND_METHODS",
    "STRICT_ENV",
    "TEXT_LIMIT",
    "APIError",
    "Attachment",
    "BotAPIEmulator",
    "BotMessage",
    "BotMethods",
    "Button",
    "Call",
    "ControlAPI",
    "EmulatedChat",
    "EmulatedUser",
    "EmulatorState",
    "Fault",
    "FaultInjection",
    "FloodLimits",
    "Listener",
    "WireFault",
    "bad_request",
    "collect_refusals",
    "serve_forever",
    "strict_default",
]
