"""Telegram's command menu, published in each language when the bot starts."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, MenuButtonWebApp, WebAppInfo
from telegram.ext import Application

from bot.app.context import services_of
from bot.core.enums import Role
from bot.core.i18n import LANGUAGES, Translator
from bot.render.commands import commands_for
from bot.render.webapp import OPEN_APP


async def publish_command_menus(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Telegram's command menu in each language (members' commands; admins see /help)."""
    bot = application.bot
    for language in LANGUAGES:
        tr = Translator(language)
        commands = [BotCommand(c.name, tr(c.description)[:256]) for c in commands_for(Role.member)]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=language)
    default = Translator(services_of(application).settings.default_language)
    await bot.set_my_commands(
        [BotCommand(c.name, default(c.description)[:256]) for c in commands_for(Role.member)]
    )
    await publish_menu_button(application)


async def publish_menu_button(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """With ``WEBAPP_URL``: the chat's menu button opens the Mini App (every private
    chat's default; BotFather's own setting is replaced by it)."""
    settings = services_of(application).settings
    if not settings.webapp_url:
        return
    text = Translator(settings.default_language)(OPEN_APP)
    await application.bot.set_chat_menu_button(
        menu_button=MenuButtonWebApp(text, WebAppInfo(settings.webapp_url))
    )
