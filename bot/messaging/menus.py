"""What a person sees of the bot before and around a chat: its name, descriptions and the
command menu, per language and per role.

Every publication compares with what Telegram already has (``getMy*``) and sends only a
change, so several processes starting at once, or a restart, change nothing twice. The
menu of members is the default scope per language; organizers and admins get their own
menu in their chat (``BotCommandScopeChat``), set when the role is granted and removed on
demotion, so the menu falls back to the members' one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.core.enums import Role
from bot.core.i18n import LANGUAGES, N_, Translator
from bot.render.commands import commands_for

log = logging.getLogger(__name__)

# Telegram's limits: name 0-64, description 0-512, short description 0-120 characters.
NAME = N_("ILO/Cinterfor Network")
DESCRIPTION = N_(
    "I am the assistant of the ILO/Cinterfor network of vocational training institutions: "
    "courses and events of the network, reminders with the link to join, surveys, and "
    "answers to your questions. Press Start to begin."
)
SHORT_DESCRIPTION = N_(
    "Courses, events and reminders of the ILO/Cinterfor network of vocational training "
    "institutions."
)
LIMITS = {"name": 64, "description": 512, "short_description": 120}


def profile_texts(language: str) -> dict[str, str]:
    """The bot's name, description and short description in ``language``, cut to the
    limits (a long translation must not make the whole start fail)."""
    tr = Translator(language)
    texts = {"name": tr(NAME), "description": tr(DESCRIPTION)}
    texts["short_description"] = tr(SHORT_DESCRIPTION)
    return {field: text[: LIMITS[field]] for field, text in texts.items()}


async def _current(bot: Bot, field: str, code: str) -> str:
    if field == "name":
        return (await bot.get_my_name(language_code=code)).name
    if field == "description":
        return (await bot.get_my_description(language_code=code)).description
    return (await bot.get_my_short_description(language_code=code)).short_description


async def _publish(bot: Bot, field: str, code: str, text: str) -> bool:
    """Set one text unless Telegram already shows it; True when it was sent."""
    if await _current(bot, field, code) == text:
        return False
    if field == "name":
        await bot.set_my_name(text, language_code=code)
    elif field == "description":
        await bot.set_my_description(text, language_code=code)
    else:
        await bot.set_my_short_description(text, language_code=code)
    return True


async def publish_profile(bot: Bot, default_language: str) -> int:
    """Name, description and short description for es, pt, en and everybody else (the
    default language's). Returns how many texts were changed."""
    changed = 0
    for code, language in [*((c, c) for c in LANGUAGES), ("", default_language)]:
        for field, text in profile_texts(language).items():
            changed += await _publish(bot, field, code, text)
    return changed


def role_commands(role: Role, language: str) -> list[BotCommand]:
    tr = Translator(language)
    return [BotCommand(c.name, tr(c.description)[:256]) for c in commands_for(role)]


def _same(current: Sequence[BotCommand], wanted: Sequence[BotCommand]) -> bool:
    return [(c.command, c.description) for c in current] == [
        (c.command, c.description) for c in wanted
    ]


async def publish_member_menus(bot: Bot, default_language: str) -> int:
    """The default menu (members' commands) per language and for everybody else."""
    changed = 0
    for code, language in [*((c, c) for c in LANGUAGES), ("", default_language)]:
        wanted = role_commands(Role.member, language)
        scope = BotCommandScopeDefault()
        if not _same(await bot.get_my_commands(scope=scope, language_code=code), wanted):
            await bot.set_my_commands(wanted, scope=scope, language_code=code)
            changed += 1
    return changed


async def set_chat_menu(bot: Bot, chat_id: int, role: Role, language: str) -> bool:
    """The menu of one person's chat: their role's commands in their language, or none of
    its own for a member (Telegram then shows the default one). False when Telegram
    refused (blocked, never started): the role change itself stands."""
    scope = BotCommandScopeChat(chat_id)
    try:
        if role is Role.member:
            await bot.delete_my_commands(scope=scope)
            return True
        wanted = role_commands(role, language)
        if not _same(await bot.get_my_commands(scope=scope), wanted):
            await bot.set_my_commands(wanted, scope=scope)
    except TelegramError as exc:
        log.warning("could not set the command menu of chat %s: %s", chat_id, exc)
        return False
    return True


Staff = Callable[[], Awaitable[Sequence[tuple[int, Role, str]]]]


async def publish_staff_menus(bot: Bot, staff: Staff) -> int:
    """At start: the chat menu of every organizer and admin, ``(chat_id, role, language)``."""
    done = 0
    for chat_id, role, language in await staff():
        done += await set_chat_menu(bot, chat_id, role, language)
    return done
