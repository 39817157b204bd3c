"""The bot in a group chat: what is addressed to it there but answered only in private.

A free question that mentions the bot or replies to one of its messages, or one of the bot's
private-only commands (/broadcast, /settings, /forgetme, /survey...), gets one short reply in
the writer's language pointing to the private chat, with a button that opens it. Nothing
else: no answer, no data, and no reply to the group's other messages (commands for other
bots, people talking to each other). The same pointer is given at most once every
:data:`HINT_EVERY` per group and per command (or per group for questions), so a busy group
is not flooded with it.

Registered after every feature, so a command a feature answers in groups (/events, /help,
/inbox...) and the organizers' inbox (replies to tickets) never reach it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from telegram import Message, ReplyParameters, Update, User
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot.core import outbound
from bot.core.i18n import Translator, normalize_language
from bot.render.commands import COMMANDS
from handlers.common import Context, keyboard
from handlers.tickets import inbox_text
from storage.members import get_member

log = logging.getLogger(__name__)
HINT_EVERY = timedelta(minutes=10)
HINTS_KEY = "group_hints"  # application.bot_data: (chat id, what) -> when it was last given
HINTS_KEPT = 1000  # past this many remembered hints, the stale ones are forgotten
QUESTION = "?"  # the "command" of a free question, for the rate limit
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s|$)")


def command_for_us(text: str, username: str) -> str | None:
    """The name of the command ``text`` starts with when it is addressed to this bot (no
    ``@bot`` part, or ours); None for another bot's command or no command."""
    match = COMMAND.match(text)
    if match is None:
        return None
    name, target = match.group(1).lower(), match.group(2)
    if target is not None and target.lower() != username.lower():
        return None
    return name


def private_only(name: str) -> bool:
    """One of the bot's commands: reaching this module in a group, it is a private one."""
    return any(spec.name == name for spec in COMMANDS)


def addressed_to_bot(message: Message, bot_id: int, username: str) -> bool:
    """Whether a group message mentions the bot or replies to one of its messages (in a
    forum topic a message "replies" to the topic's first message: that does not count)."""
    replied = message.reply_to_message
    implicit = (
        message.is_topic_message
        and replied is not None
        and (replied.message_id == message.message_thread_id)
    )
    sender = replied.from_user if replied is not None and not implicit else None
    if sender is not None and sender.id == bot_id:
        return True
    for entity in message.entities:
        if entity.type == "text_mention" and entity.user is not None and entity.user.id == bot_id:
            return True
    text = message.text or ""
    mention = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
    return bool(username) and mention.search(text) is not None


def _due(context: Context, chat_id: int, what: str, now: datetime) -> bool:
    """True (and remembered) when the hint for ``what`` was not given in this chat lately."""
    hints: dict[tuple[int, str], datetime] = context.application.bot_data.setdefault(HINTS_KEY, {})
    last = hints.get((chat_id, what))
    if last is not None and now - last < HINT_EVERY:
        return False
    if len(hints) >= HINTS_KEPT:
        for key in [k for k, when in hints.items() if now - when >= HINT_EVERY]:
            del hints[key]
    hints[(chat_id, what)] = now
    return True


async def _point(update: Update, context: Context, what: str, text_of: Any) -> None:
    """The pointer to the private chat, once per :data:`HINT_EVERY` for ``what``."""
    message, chat = update.effective_message, update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None:
        return
    if not _due(context, chat.id, what, context.svc.now()):
        log.info("group %s: pointer for %s given lately, not repeated", chat.id, what)
        return
    tr = await _translator(context, user)
    log.info("group %s: %s of user %s pointed to the private chat", chat.id, what, user.id)
    try:
        await context.bot.send_message(
            chat.id,
            text_of(tr),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard([[private_chat(context, tr)]]),
            reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
            message_thread_id=message.message_thread_id if message.is_topic_message else None,
        )
    except TelegramError as exc:  # muted in that group, say: nothing to apologise for there
        log.info("group %s: pointer not sent: %s", chat.id, exc)


def private_chat(context: Context, tr: Translator) -> outbound.Button:
    """The button opening the private chat with the bot (its username from getMe)."""
    return outbound.Button(
        tr("💬 Open the private chat"), url=f"https://t.me/{context.bot.username}"
    )


async def _translator(context: Context, user: User) -> Translator:
    """The writer's language: a member's own choice, else their app's. A person who only
    mentions the bot in a group is not made a member (nothing is stored about them)."""
    member = await get_member(context.svc.db, user.id)
    default = context.svc.settings.default_language
    return Translator(
        member.language if member else normalize_language(user.language_code, default)
    )


async def group_command(update: Update, context: Context) -> None:
    """A command in a group that no feature answers there: a private one gets the pointer;
    another bot's command, or one this bot does not have, gets nothing."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message is not None else ""
    name = command_for_us(text, context.bot.username or "")
    if name is None or not private_only(name):
        return
    await _point(
        update,
        context,
        name,
        lambda tr: tr(
            "/{command} works only in our private chat: send it to me there.", command=name
        ),
    )


async def group_text(update: Update, context: Context) -> None:
    """A text in a group: a reply to a ticket in the organizers' inbox goes to the ticket;
    a question addressed to the bot gets the pointer; anything else is none of its business."""
    if await inbox_text(update, context):
        return
    message = update.effective_message
    if message is None or not addressed_to_bot(message, context.bot.id, context.bot.username or ""):
        return
    await _point(
        update,
        context,
        QUESTION,
        lambda tr: tr(
            "I answer questions in our private chat: write to me there and I'll help you."
        ),
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """After every feature and before the fallbacks (handler group 0)."""
    groups = filters.ChatType.GROUPS & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(groups & filters.COMMAND, group_command))
    application.add_handler(MessageHandler(groups & filters.TEXT & ~filters.COMMAND, group_text))
