"""The bot's commands: one table for /help and Telegram's localized command menu.

Feature modules add their commands here so /help and ``setMyCommands`` stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.i18n import N_
from storage.models import Role


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str  # message id, translated when shown
    role: Role = Role.member
    usage: str = ""  # e.g. "USER_ID organizer|admin"


COMMANDS: list[CommandSpec] = [
    CommandSpec("start", N_("Start, or opt back in to messages")),
    CommandSpec("help", N_("What I can do for you")),
    CommandSpec("settings", N_("Your language, time zone and institution")),
    CommandSpec("language", N_("Change language: es, pt or en"), usage="es|pt|en"),
    CommandSpec("timezone", N_("Change time zone, e.g. Europe/Madrid or São Paulo"), usage="ZONE"),
    CommandSpec("institution", N_("Choose your institution"), usage="NAME"),
    CommandSpec("stop", N_("Stop all messages from the bot")),
    CommandSpec("forgetme", N_("Erase your personal data")),
    CommandSpec("grant", N_("Give a person a role"), Role.admin, "USER_ID organizer|admin"),
    CommandSpec("revoke", N_("Take a person's role away"), Role.admin, "USER_ID"),
    CommandSpec("audit", N_("Recent admin actions"), Role.admin),
]


def register_command(spec: CommandSpec) -> None:
    """Add (or replace) a command in the table; feature modules call this at import."""
    for index, existing in enumerate(COMMANDS):
        if existing.name == spec.name:
            COMMANDS[index] = spec
            return
    COMMANDS.append(spec)


def commands_for(role: Role) -> list[CommandSpec]:
    return [c for c in COMMANDS if c.role.rank <= role.rank]
