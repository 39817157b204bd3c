"""Chats, forum topics and button presses: getChat, sendChatAction, leaveChat, getChatMember,
createForumTopic, answerCallbackQuery."""

from __future__ import annotations

import time
from typing import Any

from bot.devtools.emulator.model import QUERY_TOO_OLD, Attachment, BotMessage, bad_request
from bot.devtools.emulator.outgoing import OutgoingChecks
from bot.devtools.emulator.strict import QUERY_ANSWER_TIMEOUT

TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


class ChatMethods(OutgoingChecks):
    """The methods about a chat or a member rather than a message."""

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
