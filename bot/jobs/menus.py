"""At start: the bot's name and descriptions, and Telegram's command menus (the members'
one per language, the organizers' and admins' in their chats); see bot.messaging.menus."""

from __future__ import annotations

import logging
from typing import Any

from telegram import MenuButtonWebApp, WebAppInfo
from telegram.ext import Application

from bot.app.context import services_of
from bot.core.enums import Role
from bot.messaging.menus import (
    publish_member_menus,
    publish_profile,
    publish_staff_menus,
)
from storage.db import Database
from storage.people import MemberFilter, list_members

log = logging.getLogger(__name__)
MENU_BUTTON_TEXT = "📱 Cinterfor"  # a name, not a phrase: one button for every language
STAFF_LIMIT = 5_000  # organizers and admins whose menus are set at start


async def staff_of(db: Database) -> list[tuple[int, Role, str]]:
    """``(chat_id, role, language)`` of every organizer and admin."""
    staff = []
    for role in (Role.organizer, Role.admin):
        members, _ = await list_members(
            db, MemberFilter(role=role.value), offset=0, limit=STAFF_LIMIT
        )
        staff += [(m.chat_id or m.user_id, role, m.language) for m in members]
    return staff


async def publish_command_menus(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Profile texts, the members' menu per language, and each organizer's and admin's:
    each on its own (Telegram limits how often a name may change; a 429 there must not
    leave the menus unset)."""
    svc = services_of(application)
    bot = application.bot
    default = svc.settings.default_language
    steps = {
        "name and descriptions": lambda: publish_profile(bot, default),
        "members' menus": lambda: publish_member_menus(bot, default),
        "organizers' and admins' menus": lambda: publish_staff_menus(bot, lambda: staff_of(svc.db)),
        "menu button": lambda: publish_menu_button(application),
    }
    for what, step in steps.items():
        try:
            await step()
        except Exception:
            log.exception("could not publish the bot's %s", what)


async def publish_menu_button(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """With ``WEBAPP_URL``: the chat's menu button opens the Mini App (every private
    chat's default; BotFather's own setting is replaced by it). One button serves every
    language, so its text is the network's name, the same in es, pt and en."""
    settings = services_of(application).settings
    if not settings.webapp_url:
        return
    await application.bot.set_chat_menu_button(
        menu_button=MenuButtonWebApp(MENU_BUTTON_TEXT, WebAppInfo(settings.webapp_url))
    )
