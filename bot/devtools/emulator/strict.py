"""Strict mode: the emulator holds the bot's requests to the Bot API's rules.

Telegram itself quietly ignores parameters it does not know and coerces many types; in
strict mode the emulator refuses them instead (400, a Telegram-style description), so a
misspelt or stale parameter shows up in the tests rather than silently doing nothing in
production. The rules of each method come from the Bot API reference (version
:data:`BOT_API_VERSION`): per field a type code and ``!`` when required. Type codes:
``i`` Integer, ``b`` Boolean, ``s`` String, ``u`` Integer or String, ``f`` InputFile or
String, ``F`` InputFile, ``j`` a JSON-serialized object or array.

Every refused request (strict or not: any 400 or 404 the emulator answers by itself, not an
injected fault) is kept in :attr:`BotAPIEmulator.refused` and handed to the collectors of
:func:`collect_refusals`, which the test suite uses to list or forbid them.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.devtools.emulator.model import APIError, Attachment, bad_request

if TYPE_CHECKING:
    from bot.devtools.emulator.model import Call

BOT_API_VERSION = "10.1"
STRICT_ENV = "EMULATOR_STRICT"  # "1": emulators built without ``strict=`` are strict
QUERY_ANSWER_TIMEOUT = 15.0  # seconds Telegram waits for answerCallbackQuery

# The methods the emulator implements, with their fields (Bot API 10.1).
FIELDS: dict[str, str] = {
    "answerCallbackQuery": "callback_query_id:s! text:s show_alert:b url:s cache_time:i",
    "close": "",
    "createForumTopic": "chat_id:u! name:s! icon_color:i icon_custom_emoji_id:s",
    "deleteMessage": "chat_id:u! message_id:i!",
    "deleteMyCommands": "scope:j language_code:s",
    "deleteWebhook": "drop_pending_updates:b",
    "editMessageCaption": (
        "business_connection_id:s chat_id:u message_id:i inline_message_id:s caption:s "
        "parse_mode:s caption_entities:j show_caption_above_media:b reply_markup:j"
    ),
    "editMessageReplyMarkup": (
        "business_connection_id:s chat_id:u message_id:i inline_message_id:s reply_markup:j"
    ),
    "editMessageText": (
        "business_connection_id:s chat_id:u message_id:i inline_message_id:s text:s "
        "parse_mode:s entities:j link_preview_options:j rich_message:j reply_markup:j"
    ),
    "getChat": "chat_id:u!",
    "getChatMember": "chat_id:u! user_id:i!",
    "getFile": "file_id:s!",
    "getMe": "",
    "getMyCommands": "scope:j language_code:s",
    "getMyDescription": "language_code:s",
    "getMyName": "language_code:s",
    "getMyShortDescription": "language_code:s",
    "getUpdates": "offset:i limit:i timeout:i allowed_updates:j",
    "getWebhookInfo": "",
    "leaveChat": "chat_id:u!",
    "logOut": "",
    "sendChatAction": "chat_id:u! action:s! business_connection_id:s message_thread_id:i",
    "sendDocument": (
        "chat_id:u! document:f! business_connection_id:s message_thread_id:i "
        "direct_messages_topic_id:i thumbnail:f caption:s parse_mode:s caption_entities:j "
        "disable_content_type_detection:b disable_notification:b protect_content:b "
        "allow_paid_broadcast:b message_effect_id:s suggested_post_parameters:j "
        "reply_parameters:j reply_markup:j"
    ),
    "sendMediaGroup": (
        "chat_id:u! media:j! business_connection_id:s message_thread_id:i "
        "direct_messages_topic_id:i disable_notification:b protect_content:b "
        "allow_paid_broadcast:b message_effect_id:s reply_parameters:j"
    ),
    "sendMessage": (
        "chat_id:u! text:s! business_connection_id:s message_thread_id:i "
        "direct_messages_topic_id:i parse_mode:s entities:j link_preview_options:j "
        "disable_notification:b protect_content:b allow_paid_broadcast:b "
        "message_effect_id:s suggested_post_parameters:j reply_parameters:j "
        "reply_markup:j"
    ),
    "sendPhoto": (
        "chat_id:u! photo:f! business_connection_id:s message_thread_id:i "
        "direct_messages_topic_id:i caption:s parse_mode:s caption_entities:j "
        "show_caption_above_media:b has_spoiler:b disable_notification:b "
        "protect_content:b allow_paid_broadcast:b message_effect_id:s "
        "suggested_post_parameters:j reply_parameters:j reply_markup:j"
    ),
    "setChatMenuButton": "chat_id:i menu_button:j",
    "getChatMenuButton": "chat_id:i",
    "setMyCommands": "commands:j! scope:j language_code:s",
    "setMyDescription": "description:s language_code:s",
    "setMyName": "name:s language_code:s",
    "setMyShortDescription": "short_description:s language_code:s",
    "setWebhook": (
        "url:s! certificate:F ip_address:s max_connections:i allowed_updates:j "
        "drop_pending_updates:b secret_token:s"
    ),
}
# Telegram's words for a missing required field, where they differ from "<name> is empty".
MISSING = {
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": "QUERY_ID_INVALID",
    "file_id": "invalid file_id",
    "user_id": "user not found",
}
EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
TYPE_NAMES = {
    "i": "Integer",
    "b": "Boolean",
    "s": "String",
    "u": "Integer or String",
    "f": "InputFile or String",
    "F": "InputFile",
    "j": "JSON-serialized object",
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # a type code, see the module's docstring
    required: bool


def _parse(table: dict[str, str]) -> dict[str, dict[str, Field]]:
    spec: dict[str, dict[str, Field]] = {}
    for method, line in table.items():
        fields = {}
        for word in line.split():
            name, code = word.split(":")
            fields[name] = Field(name, code.rstrip("!"), code.endswith("!"))
        spec[method] = fields
    return spec


SPEC = _parse(FIELDS)


def strict_default() -> bool:
    """Strict unless told: the environment decides (the test suite switches it on)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() not in ("", "0", "false", "no")


def check_request(method: str, params: dict[str, Any], uploads: dict[str, Attachment]) -> None:
    """Refuse (raise :class:`APIError`) a request that breaks ``method``'s field rules."""
    fields = SPEC.get(method)
    if fields is None:
        return  # not a method the emulator implements: it answers 404 itself
    for name in params:
        if name not in fields:
            raise bad_request(f'unknown parameter "{name}" for method {method}')
    for field in fields.values():
        value = params.get(field.name)
        if value is None or value == "":
            if field.required and field.name not in uploads:
                raise _missing(field.name)
            continue
        if not _has_type(field.kind, value, uploads):
            raise bad_request(f'field "{field.name}" must be of type {TYPE_NAMES[field.kind]}')
    if method in EDIT_METHODS and not params.get("inline_message_id"):
        for name in ("chat_id", "message_id"):  # required unless inline_message_id is given
            if params.get(name) in (None, ""):
                raise _missing(name)


def _missing(name: str) -> APIError:
    return bad_request(MISSING.get(name, f"{name} is empty"))


def _has_type(kind: str, value: Any, uploads: dict[str, Attachment]) -> bool:
    if kind == "i":
        return _is_int(value)
    if kind == "b":
        return isinstance(value, bool) or str(value).lower() in ("true", "false", "1", "0")
    if kind == "s":
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    if kind == "u":  # a chat id or @username; an unknown one is "chat not found" later
        return _is_int(value) or isinstance(value, str)
    if kind in ("f", "F"):
        if isinstance(value, str) and value.startswith("attach://"):
            return value.removeprefix("attach://") in uploads
        return kind == "f" and isinstance(value, str)
    return _is_json(value)


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.removeprefix("-").isdigit()


def _is_json(value: Any) -> bool:
    if isinstance(value, dict | list):
        return True
    if not isinstance(value, str):
        return False
    try:
        return isinstance(json.loads(value), dict | list)
    except json.JSONDecodeError:
        return False


def is_refusal(error: APIError) -> bool:
    """An answer that says the request itself was wrong (not blocked, flooded, or a fault)."""
    return error.code in (400, 404) and not error.injected


_collectors: list[list[Call]] = []


@contextlib.contextmanager
def collect_refusals() -> Iterator[list[Call]]:
    """Every request any emulator refuses while inside (the test suite reports them)."""
    collected: list[Call] = []
    _collectors.append(collected)
    try:
        yield collected
    finally:
        _collectors.remove(collected)


def report_refusal(call: Call) -> None:
    for collected in _collectors:
        collected.append(call)
