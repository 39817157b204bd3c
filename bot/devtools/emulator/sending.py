"""Sending messages: sendMessage (in a forum topic, as a reply), documents, photos, albums."""

from __future__ import annotations

import time
from typing import Any

from bot.devtools.emulator.model import (
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    TEXT_LIMIT,
    Attachment,
    BotMessage,
    EmulatedChat,
    bad_request,
)
from bot.devtools.emulator.outgoing import OutgoingChecks
from bot.messaging.telegram_html import utf16_len


class SendMethods(OutgoingChecks):
    """sendMessage, sendDocument, sendPhoto, sendMediaGroup and getFile for what was sent."""

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
        attachment = self._attachment(kind, given, upload)
        if not attachment.content:
            raise bad_request("file must be non-empty")
        caption, entities, source = self._caption(params)
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

    def _attachment(self, kind: str, given: Any, upload: Attachment | None) -> Attachment:
        """The file uploaded with the request (stored now), or one sent before, by its id."""
        if upload is not None:
            return self._store_file(upload.content, upload.file_name, upload.mime_type)
        if isinstance(given, str) and given in self.files:
            return self.files[given]
        raise bad_request(f"wrong file identifier/HTTP URL specified ({kind})")

    def _caption(
        self, params: dict[str, Any]
    ) -> tuple[str | None, list[dict[str, Any]] | None, str | None]:
        """The caption of a file (or of an album's item): text, entities, HTML source."""
        raw = params.get("caption")
        if not isinstance(raw, str) or not raw:
            return None, None, None
        caption, entities, source = self._formatted(raw, params, "caption")
        if utf16_len(caption) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        return caption, entities, source

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
        attachment = self._attachment(kind, given, upload)
        caption, entities, source = self._caption(item)
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
