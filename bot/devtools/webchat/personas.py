"""The people of the demo: focal points in three languages, an organizer, an admin, and a
group the bot is in. The organizer is made one at start, as an admin would with /grant."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from bot.devtools.emulator import BotAPIEmulator, EmulatedUser
from bot.webapp.auth import sign_init_data

DEMO_USER_ID = 1001  # the terminal demo's focal point
DEMO_ADMIN_ID = 9001
ORGANIZER_ID = 2001
GROUP_ID = -100_1001


@dataclass(frozen=True)
class Persona:
    user_id: int
    first_name: str
    last_name: str
    language: str
    role: str  # member (a focal point) | organizer | admin

    def public(self) -> dict[str, Any]:
        return asdict(self)


PERSONAS = (
    Persona(DEMO_USER_ID, "Ana", "Pereyra", "es", "member"),
    Persona(1002, "João", "Silva", "pt", "member"),
    Persona(1003, "Grace", "Clarke", "en", "member"),
    Persona(ORGANIZER_ID, "Olga", "Martínez", "es", "organizer"),
    Persona(DEMO_ADMIN_ID, "Admin", "Cinterfor", "en", "admin"),
)
GROUP = {"id": GROUP_ID, "title": "Red Cinterfor", "added_by": ORGANIZER_ID}


def persona(user_id: int) -> Persona | None:
    return next((p for p in PERSONAS if p.user_id == user_id), None)


def emulated(emulator: BotAPIEmulator, who: Persona) -> EmulatedUser:
    return emulator.user(
        user_id=who.user_id,
        first_name=who.first_name,
        last_name=who.last_name,
        language_code=who.language,
    )


def set_language(user: EmulatedUser, language: str) -> None:
    """What the person's Telegram app reports from now on (as after changing its language)."""
    user.user["language_code"] = language


async def make_organizer(running: Any, who: Persona) -> None:
    """Give ``who`` the organizer role in the demo's database."""
    from storage.members import TelegramIdentity, ensure_member
    from storage.models import Role
    from storage.roles import change_role

    await ensure_member(
        running.db,
        TelegramIdentity(
            who.user_id, who.user_id, who.first_name, who.last_name, None, who.language
        ),
        default_timezone=running.settings.default_timezone,
    )
    await change_role(
        running.db, actor_id=0, actor_name="demo", target_id=who.user_id, role=Role.organizer
    )


def init_data(token: str, user: EmulatedUser, chat_id: int) -> str:
    """Mini App init data for ``user``, signed with the demo bot's token as Telegram would."""
    fields: dict[str, Any] = {
        "user": {key: user.user[key] for key in user.user if key != "is_bot"},
        "auth_date": int(time.time()),
        "query_id": f"demo-{user.user_id}-{int(time.time() * 1000)}",
    }
    if chat_id < 0:
        fields["chat_type"] = "group"
    else:
        fields["chat_type"] = "sender"
    return sign_init_data(token, fields)


def commands_for(emulator: BotAPIEmulator, chat_id: int, user_id: int, language: str) -> list[Any]:
    """The command menu Telegram would show: the narrowest scope the bot set, in the user's
    language first (``setMyCommands`` as the emulator recorded it)."""
    private = chat_id > 0
    scopes: list[dict[str, Any]] = []
    if private:
        scopes.append({"type": "chat", "chat_id": chat_id})
        scopes.append({"type": "all_private_chats"})
    else:
        scopes.append({"type": "chat_member", "chat_id": chat_id, "user_id": user_id})
        scopes.append({"type": "chat", "chat_id": chat_id})
        scopes.append({"type": "all_group_chats"})
    scopes.append({"type": "default"})
    for scope in scopes:
        key = json.dumps(scope, sort_keys=True)
        for lang in (language, ""):
            found = emulator.commands.get((key, lang))
            if found:
                return found
    return []


def menu_button(emulator: BotAPIEmulator, chat_id: int) -> dict[str, Any] | None:
    """The chat's menu button as the bot last set it (``setChatMenuButton``), if ever."""
    chosen: dict[str, Any] | None = None
    for call in emulator.calls_of("setChatMenuButton"):
        if call.status != 200 or call.params.get("chat_id") not in (None, chat_id):
            continue
        button = call.params.get("menu_button")
        chosen = button if isinstance(button, dict) else None
    return chosen
