"""The Bot API methods the bot uses, over the emulator's state, with Telegram's checks.

One mixin a family: :mod:`.profile` (the bot itself, command menus), :mod:`.sending`,
:mod:`.editing`, :mod:`.chats`; the checks they share are in :mod:`.outgoing`.
"""

from __future__ import annotations

from bot.devtools.emulator.chats import TOPIC_COLORS, ChatMethods
from bot.devtools.emulator.editing import EditMethods
from bot.devtools.emulator.profile import MENU_BUTTON_TYPES, ProfileMethods
from bot.devtools.emulator.sending import SendMethods

__all__ = ["MENU_BUTTON_TYPES", "TOPIC_COLORS", "BotMethods"]


class BotMethods(ProfileMethods, SendMethods, EditMethods, ChatMethods):
    """``_api_<method>(params, uploads)``: the result, or an :class:`APIError` raised."""
