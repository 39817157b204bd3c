"""The bot's commands: one table for /help and Telegram's localized command menu.

Feature modules add their commands here so /help and ``setMyCommands`` stay in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


# The words of a usage line that stand for what the person types: translated in /help
# ("/timezone ZONA"); the rest (on|off, es|pt|en, organizer|admin) is typed as shown.
PLACEHOLDERS = {
    "ZONE": N_("ZONE"),
    "NAME": N_("NAME"),
    "INSTITUTION": N_("INSTITUTION"),
    "SURVEY": N_("SURVEY"),
    "USER_ID": N_("USER_ID"),
    "@username": N_("@username"),
    "ROLE": N_("ROLE"),
}


PLACEHOLDER = re.compile(r"@username|\b[A-Z_]{2,}\b")


def usage_text(spec: CommandSpec, tr: Callable[[str], str]) -> str:
    """The usage of ``spec`` with its placeholders in the reader's language."""

    def translated(match: re.Match[str]) -> str:
        word = match.group(0)
        return tr(PLACEHOLDERS[word]) if word in PLACEHOLDERS else word

    return PLACEHOLDER.sub(translated, spec.usage)


def register_command(spec: CommandSpec) -> None:
    """Add (or replace) a command in the table; feature modules call this at import."""
    for index, existing in enumerate(COMMANDS):
        if existing.name == spec.name:
            COMMANDS[index] = spec
            return
    COMMANDS.append(spec)


# What a member comes for, first in /help and in the menu; the settings and the rest after
EVERYDAY = ("courses", "events", "myevents", "survey", "help")


def commands_for(role: Role) -> list[CommandSpec]:
    """The commands ``role`` may use: the everyday ones first, then in the order declared."""
    mine = [c for c in COMMANDS if c.role.rank <= role.rank]
    first = [c for name in EVERYDAY for c in mine if c.name == name]
    return first + [c for c in mine if c not in first]
