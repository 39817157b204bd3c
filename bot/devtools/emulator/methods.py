"""The Bot API methods the bot uses, over the emulator's state, with Telegram's checks."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from bot.devtools.emulator.model import (
    CALLBACK_DATA_LIMIT,
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    TEXT_LIMIT,
    APIError,
    Attachment,
    BotMessage,
    EmulatedChat,
    bad_request,
)
from bot.devtools.emulator.state import EmulatorState
from bot.devtools.emulator.strict import QUERY_ANSWER_TIMEOUT
from bot.messaging.telegram_html import HTMLEntityError, parse_html, utf16_len


class BotMethods(EmulatorState):
    """``_api_<method>(params, uploads)``: the result, or an :class:`APIError` raised."""

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

    # ----------------------------------------------------------------- the bot's profile
    def _profile_language(self, params: dict[str, Any]) -> str:
        """``language_code``: a two-letter ISO 639-1 code, or empty for everybody else."""
        language = params.get("language_code") or ""
        if not isinstance(language, str) or not (
            language == "" or (len(language) == 2 and language.isalpha() and language.islower())
        ):
            raise bad_request("LANGUAGE_CODE_INVALID")
        return language

    def _set_profile(self, params: dict[str, Any], field: str, limit: int, error: str) -> bool:
        language = self._profile_language(params)
        value = params.get(field) or ""
        if not isinstance(value, str) or len(value) > limit:
            raise bad_request(error)
        if value:
            self.profile[(field, language)] = value
        else:  # an empty text removes the dedicated one
            self.profile.pop((field, language), None)
        return True

    def _get_profile(self, params: dict[str, Any], field: str) -> dict[str, str]:
        """What people of that language see: the dedicated text, else the default one."""
        language = self._profile_language(params)
        value = self.profile.get((field, language), self.profile.get((field, ""), ""))
        return {field: value}

    async def _api_setMyName(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return self._set_profile(params, "name", 64, "BOT_TITLE_INVALID")

    async def _api_getMyName(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "name")

    async def _api_setMyDescription(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return self._set_profile(params, "description", 512, "BOT_DESCRIPTION_INVALID")

    async def _api_getMyDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "description")

    async def _api_setMyShortDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        return self._set_profile(params, "short_description", 120, "BOT_ABOUT_INVALID")

    async def _api_getMyShortDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "short_description")

    # ----------------------------------------------------------------- command menus
    def _command_key(self, params: dict[str, Any]) -> tuple[str, str]:
        """(scope as JSON, language): a chat scope must name a chat the bot knows."""
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self.chats:
                raise bad_request("chat not found")
        return json.dumps(scope, sort_keys=True), self._profile_language(params)

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
        if len(commands) > 100:
            raise bad_request("too many commands")
        self.commands[self._command_key(params)] = commands
        return True

    async def _api_getMyCommands(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> list[Any]:
        return self.commands.get(self._command_key(params), [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self.commands.pop(self._command_key(params), None)
        return True

    def menu_of(self, chat_id: int, language: str) -> list[str] | None:
        """The command names a person in that private chat sees in the menu (Telegram's
        order: the chat's scope, then private chats, then default; a dedicated language
        before the scope's default one). None when no menu is set at all."""
        scopes = [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}]
        scopes.append({"type": "default"})
        for scope in scopes:
            key = json.dumps(scope, sort_keys=True)
            for code in (language, ""):
                commands = self.commands.get((key, code))
                if commands is not None:
                    return [str(c.get("command")) for c in commands]
        return None

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
        if utf16_len(text) > TEXT_LIMIT:
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
            link_preview_options=self._preview_options(params),
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
            if utf16_len(caption) > CAPTION_LIMIT:
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

    async def _api_answerCallbackQuery(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries or query_id in self.callback_answers:
            raise bad_request(QUERY_TOO_OLD)
        if self.strict and self._clock() - self._open_queries[query_id] > QUERY_ANSWER_TIMEOUT:
            raise bad_request(QUERY_TOO_OLD)
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
