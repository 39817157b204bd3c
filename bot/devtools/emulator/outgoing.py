"""The checks every message the bot sends or edits goes through: chat, flood, keyboard, text."""

from __future__ import annotations

import math
from typing import Any

from bot.devtools.emulator.model import (
    CALLBACK_DATA_LIMIT,
    APIError,
    BotMessage,
    EmulatedChat,
    bad_request,
)
from bot.devtools.emulator.state import EmulatorState
from bot.messaging.telegram_html import HTMLEntityError, parse_html


def check_web_app_url(info: Any) -> None:
    """A WebAppInfo: Telegram takes https addresses only."""
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url.startswith("https://"):
        raise bad_request(
            f"inline keyboard button Web App URL {url!r} is invalid: Only HTTPS links are allowed"
        )


class OutgoingChecks(EmulatorState):
    """The checks shared by the methods that send or edit messages, and the delivery."""

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

    def _check_markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
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
                if "web_app" in button:
                    self._check_web_app_button(button, params.get("chat_id"))
                elif data is None and not button.get("url"):
                    raise bad_request("BUTTON_TYPE_INVALID")
        return markup

    def _check_web_app_button(self, button: dict[str, Any], chat_id: Any) -> None:
        """A Mini App button: an https address, in a private chat only (Telegram answers
        BUTTON_TYPE_INVALID for one sent to a group)."""
        check_web_app_url(button.get("web_app"))
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is not None and chat.chat.get("type") != "private":
            raise bad_request("BUTTON_TYPE_INVALID")

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

    @staticmethod
    def _preview_options(params: dict[str, Any]) -> dict[str, Any] | None:
        options = params.get("link_preview_options")
        if options is None:
            return None
        if not isinstance(options, dict):
            raise bad_request("can't parse link preview options JSON object")
        return options

    def _deliver(self, chat: EmulatedChat, message: BotMessage) -> None:
        self._windows.record(chat.id)
        message.at = self._clock()
        self._messages[(chat.id, message.message_id)] = message
        chat.messages.append(message)
        self._emit("message", message)
