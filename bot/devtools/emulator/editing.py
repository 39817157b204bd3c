"""Changing sent messages: the text, the caption or the keyboard of one; deleting one."""

from __future__ import annotations

from typing import Any

from bot.devtools.emulator.model import (
    CAPTION_LIMIT,
    NOT_MODIFIED,
    TEXT_LIMIT,
    Attachment,
    BotMessage,
    bad_request,
)
from bot.devtools.emulator.outgoing import OutgoingChecks
from bot.messaging.telegram_html import utf16_len


class EditMethods(OutgoingChecks):
    """Edits refuse an identical result with Telegram's "message is not modified"."""

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
        if utf16_len(text) > TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = self._check_markup(params)
        if message.document is not None or message.photo is not None:
            raise bad_request("there is no text in the message to edit")
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.text, message.entities, message.html = text, entities, source
        if "link_preview_options" in params:
            message.link_preview_options = self._preview_options(params)
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
        if self.strict and utf16_len(caption) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        markup = self._check_markup(params)
        if caption == (message.caption or "") and markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
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
            raise bad_request(NOT_MODIFIED)
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
