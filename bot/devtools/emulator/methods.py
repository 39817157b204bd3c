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

MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})


def _check_web_app_url(info: Any) -> None:
    """A WebAppInfo: Telegram takes https addresses only."""
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url.startswith("https://"):
        raise bad_request(
            f"inline keyboard button Web App URL {url!r} is invalid: Only HTTPS links are allowed"
        )


TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


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
        _check_web_app_url(button.get("web_app"))
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
        """Recorded per chat (or as the default); a web_app button needs a text and an
        https address, as Telegram checks."""
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            if not str(button.get("text") or "").strip():
                raise bad_request("menu button text must be non-empty")
            _check_web_app_url(button.get("web_app"))
        chat_id = params.get("chat_id")
        self.menu_buttons[chat_id if isinstance(chat_id, int) else None] = button
        return True

    async def _api_getChatMenuButton(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        key = chat_id if isinstance(chat_id, int) else None
        return self.menu_buttons.get(key) or self.menu_buttons.get(None) or {"type": "default"}

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
        thread = self._check_thread(chat, params)
        reply_to = self._check_reply(chat, params)
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
            thread_id=thread,
            reply_to=reply_to,
            link_preview_options=self._preview_options(params),
        )
        self._deliver(chat, message)
        return self._message_json(message, chat.chat)

    def _check_thread(self, chat: EmulatedChat, params: dict[str, Any]) -> int | None:
        """A ``message_thread_id`` counts only in a forum, where the topic must exist."""
        thread = params.get("message_thread_id")
        if thread is None or not chat.chat.get("is_forum"):
            return None
        if thread not in self.topics.get(chat.id, {}):
            raise bad_request("message thread not found")
        return int(thread)

    def _check_reply(self, chat: EmulatedChat, params: dict[str, Any]) -> int | None:
        """``reply_parameters``: the message replied to must be in the chat."""
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        message_id = reply["message_id"]
        known = self._messages.get((chat.id, message_id))
        if known is None or known.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return int(message_id)

    async def _api_createForumTopic(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        """Telegram's rules: a forum supergroup, a name of 1-128 characters, one of the six
        icon colours; the topic's id is the id of its first (service) message."""
        chat = self._target_chat(params)
        if not chat.chat.get("is_forum"):
            raise bad_request("the chat is not a forum")
        name = params.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        color = params.get("icon_color", TOPIC_COLORS[0])
        if color not in TOPIC_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        thread = self._next_message_id(chat.id)
        self.topics.setdefault(chat.id, {})[thread] = name
        created = BotMessage(thread, chat.id, date=int(time.time()), thread_id=thread)
        self._messages[(chat.id, thread)] = created
        return {"message_thread_id": thread, "name": name, "icon_color": color}

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

    async def _api_sendMediaGroup(
        self, params: dict[str, Any], uploads: dict[str, Attachment]
    ) -> list[dict[str, Any]]:
        """An album: 2-10 photos (or 2-10 documents), each a message of one media group."""
        chat = self._target_chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not all(isinstance(m, dict) for m in media):
            raise bad_request("can't parse media JSON object")
        if not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the album (2-10)")
        kinds = {m.get("type") for m in media}
        if not kinds <= {"photo", "document"} or len(kinds) != 1:
            raise bad_request("documents can't be mixed with other media types")
        self._check_flood(chat.id)
        group = f"{chat.id}{next(self._file_ids):012d}"
        messages = [self._album_item(chat, item, uploads, group) for item in media]
        for message in messages:
            self._deliver(chat, message)
        return [self._message_json(m, chat.chat) for m in messages]

    def _album_item(
        self,
        chat: EmulatedChat,
        item: dict[str, Any],
        uploads: dict[str, Attachment],
        group: str,
    ) -> BotMessage:
        kind, given = item["type"], item.get("media")
        upload = None
        if isinstance(given, str) and given.startswith("attach://"):
            upload = uploads.get(given.removeprefix("attach://"))
        if upload is not None:
            attachment = self._store_file(upload.content, upload.file_name, upload.mime_type)
        elif isinstance(given, str) and given in self.files:
            attachment = self.files[given]
        else:
            raise bad_request(f"wrong file identifier/HTTP URL specified ({kind})")
        caption = entities = source = None
        raw = item.get("caption")
        if isinstance(raw, str) and raw:
            caption, entities, source = self._formatted(raw, item, "caption")
            if utf16_len(caption) > CAPTION_LIMIT:
                raise bad_request("message caption is too long")
        return BotMessage(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            html=source,
            entities=entities or [],
            caption=caption,
            date=int(time.time()),
            document=attachment if kind == "document" else None,
            photo=attachment if kind == "photo" else None,
            media_group_id=group,
        )

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
