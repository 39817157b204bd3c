"""Members as text: the settings card and its buttons, roles and institutions by name, and
the language choice that starts the onboarding."""

from __future__ import annotations

import html
from datetime import datetime

from bot.core.enums import Role
from bot.core.i18n import (
    LANGUAGE_NAMES,
    Translator,
    country_name,
    format_local_time,
    zone_name,
)
from bot.core.outbound import Button
from bot.render.callbacks.onboarding import (
    CODES,
    LanguagePicked,
    LanguageWizard,
    SettingsChoice,
    SettingsPressed,
)
from storage.models import Member


def language_buttons(flow: LanguageWizard) -> list[list[Button]]:
    return [[Button(LANGUAGE_NAMES[c], data=LanguagePicked(flow, c).pack()) for c in CODES]]


def settings_card(member: Member, institution: str, now: datetime, tr: Translator) -> str:
    """/settings: what the bot knows of the member (``institution`` already as a label)."""
    country = country_name(member.country, member.language) if member.country else "—"
    time = format_local_time(now, member.timezone, member.language)
    lines = [
        tr("<b>Your settings</b>"),
        tr("Language: {language}", language=LANGUAGE_NAMES[member.language]),
        tr(
            "Time zone: {zone} (now {time})",
            zone=html.escape(zone_name(member.timezone, member.language)),
            time=time,
        ),
        tr("Country: {country}", country=html.escape(country)),
        tr("Institution: {institution}", institution=html.escape(institution)),
        tr("Reminders: {state}", state=tr("on") if member.reminders_enabled else tr("off")),
        tr("Messages from the network: {state}", state=tr("off") if member.opted_out else tr("on")),
    ]
    return "\n".join(lines)


def settings_buttons(member: Member, tr: Translator) -> list[list[Button]]:
    def button(label: str, what: SettingsChoice) -> Button:
        return Button(label, data=SettingsPressed(what).pack())

    return [
        [button(tr("Language"), "lang"), button(tr("Time zone"), "zone")],
        [button(tr("Institution"), "inst")],
        [
            button(tr("Reminders off") if member.reminders_enabled else tr("Reminders on"), "rem"),
            button(tr("Resume messages") if member.opted_out else tr("Stop messages"), "optout"),
        ],
    ]


def role_label(role: Role, tr: Translator) -> str:
    return {
        Role.member: tr("member"),
        Role.organizer: tr("organizer"),
        Role.admin: tr("admin"),
    }[role]


def institution_label(institution: object, language: str) -> str:
    acronym = getattr(institution, "acronym", "")
    names: dict[str, str] = getattr(institution, "name", {}) or {}
    name = names.get(language) or next(iter(names.values()), "")
    return f"{acronym} — {name}" if name and name != acronym else acronym
