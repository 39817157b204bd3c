"""``my_chat_member`` in a private chat: the person blocked (status "kicked") or unblocked
the bot. Marked at once, so no broadcast or reminder is queued for them until they come
back (without this the first failed send would tell, after a 403, much later)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler

from handlers.common import Context
from storage.members import set_blocked

log = logging.getLogger(__name__)


async def on_my_chat_member(update: Update, ctx: Context) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        blocked = True
    elif status == ChatMember.MEMBER:
        blocked = False
    else:
        return
    count = await set_blocked(ctx.svc.db, [change.chat.id], blocked)
    log.info("chat %s %s the bot (%d member)", change.chat.id, status, count)


def register(application: Application) -> None:
    application.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
