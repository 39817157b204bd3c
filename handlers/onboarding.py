"""Members and onboarding: /start, /language, /timezone, /institution, /settings, /help,
/stop and /forgetme, with the button flows behind them.

Button data is ``<flow>:<step>:<arg>``. Flows: ``ob`` (first onboarding: language → country →
institution → zone), ``sl`` (settings: language), ``si`` (settings: country → institution →
zone), ``sz`` (settings: country → zone). Every value in button data is checked again on the
server: data that does not fit gets "This button is no longer valid" and changes nothing.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.app.context import get_services, services_of
from bot.core.geo import COUNTRY_ZONES, city_of, country_zones, resolve_zone
from bot.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    Translator,
    country_name,
    format_local_time,
)
from bot.core.text import fold_words as fold
from bot.render.commands import commands_for
from handlers.common import (
    Button,
    Context,
    answer_query,
    current_member,
    edit_or_reply,
    grid,
    refuse_button,
    remember_member,
    reply,
    translator,
)
from storage import institutions as inst_store
from storage import members as member_store
from storage.models import Member, Role

log = logging.getLogger(__name__)
FLOWS = ("ob", "sl", "si", "sz")
DeepLinkHandler = Callable[[Update, Context, str], Awaitable[bool]]
DEEP_LINKS: dict[str, DeepLinkHandler] = {}
LANGUAGE_WORDS = {
    "es": "es",
    "español": "es",
    "espanol": "es",
    "spanish": "es",
    "castellano": "es",
    "pt": "pt",
    "português": "pt",
    "portugues": "pt",
    "portuguese": "pt",
    "pt-br": "pt",
    "en": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "inglês": "en",
}


def register_deep_link(prefix: str, handler: DeepLinkHandler) -> None:
    """``/start <prefix>...`` (``t.me/<bot>?start=...``) is passed to ``handler``."""
    DEEP_LINKS[prefix] = handler


# ---------------------------------------------------------------- texts shown in several places
def language_buttons(flow: str) -> list[list[Button]]:
    return [[(LANGUAGE_NAMES[code], f"{flow}:lang:{code}") for code in LANGUAGES]]


async def settings_text(member: Member, tr: Translator, context: Context) -> str:
    svc = get_services(context)
    institution = tr("not chosen")
    if member.institution_id:
        found = await inst_store.get_institution(svc.db, member.institution_id)
        if found is not None:
            institution = found.acronym
    elif member.institution_other:
        institution = member.institution_other
    country = country_name(member.country, member.language) if member.country else "—"
    now = format_local_time(svc.now(), member.timezone, member.language)
    lines = [
        tr("<b>Your settings</b>"),
        tr("Language: {language}", language=LANGUAGE_NAMES[member.language]),
        tr("Time zone: {zone} (now {time})", zone=html.escape(member.timezone), time=now),
        tr("Country: {country}", country=html.escape(country)),
        tr("Institution: {institution}", institution=html.escape(institution)),
        tr("Reminders: {state}", state=tr("on") if member.reminders_enabled else tr("off")),
        tr("Messages from the network: {state}", state=tr("off") if member.opted_out else tr("on")),
    ]
    return "\n".join(lines)


def settings_buttons(member: Member, tr: Translator) -> list[list[Button]]:
    return [
        [(tr("Language"), "st:lang"), (tr("Time zone"), "st:zone")],
        [(tr("Institution"), "st:inst")],
        [
            (tr("Reminders off") if member.reminders_enabled else tr("Reminders on"), "st:rem"),
            (tr("Resume messages") if member.opted_out else tr("Stop messages"), "st:optout"),
        ],
    ]


async def show_settings(update: Update, context: Context, member: Member, edit: bool) -> None:
    tr = Translator(member.language)
    text = await settings_text(member, tr, context)
    if edit:
        await edit_or_reply(update, context, text, buttons=settings_buttons(member, tr))
    else:
        await reply(update, context, text, buttons=settings_buttons(member, tr))


async def country_buttons(context: Context, flow: str, tr: Translator) -> list[list[Button]]:
    svc = get_services(context)
    codes = set(await inst_store.network_countries(svc.db))
    if flow == "sz":
        codes |= set(COUNTRY_ZONES)
    ordered = sorted(codes, key=lambda c: fold(country_name(c, tr.language)))
    buttons = [(country_name(code, tr.language), f"{flow}:ctry:{code}") for code in ordered]
    rows = grid(buttons, 3)
    rows.append([(tr("Other country"), f"{flow}:ctry:other")])
    return rows


async def ask_country(update: Update, context: Context, flow: str, tr: Translator) -> None:
    text = (
        tr("In which country do you live?")
        if flow == "sz"
        else tr("In which country is your institution?")
    )
    await reply(update, context, text, buttons=await country_buttons(context, flow, tr))


async def ask_institution(
    update: Update, context: Context, flow: str, country: str, tr: Translator
) -> None:
    svc = get_services(context)
    institutions = await inst_store.list_institutions(svc.db, country)
    buttons = [
        (i.acronym, f"{flow}:inst:{i.id}")
        for i in institutions
        if len(f"{flow}:inst:{i.id}".encode()) <= 64
    ]
    rows = grid(buttons, 3)
    rows.append([(tr("Other / none"), f"{flow}:inst:-")])
    await reply(update, context, tr("Which is your institution?"), buttons=rows)


async def ask_zone(
    update: Update, context: Context, flow: str, country: str, tr: Translator
) -> bool:
    """Asks for a zone when the country has several; returns False when there was no choice."""
    zones = country_zones(country)
    if len(zones) <= 1:
        return False
    now = get_services(context).now()
    buttons = [
        (
            f"{city_of(zone)} ({format_local_time(now, zone, tr.language)})",
            f"{flow}:tz:{country}:{index}",
        )
        for index, zone in enumerate(zones)
    ]
    await reply(update, context, tr("Which time zone are you in?"), buttons=grid(buttons, 2))
    return True


async def finish_onboarding(update: Update, context: Context) -> None:
    svc = get_services(context)
    member = await current_member(update, context)
    updated = await member_store.update_member(svc.db, member.user_id, onboarded=True)
    assert updated is not None
    remember_member(context, updated)
    tr = Translator(updated.language)
    text = (
        tr("All set! Here is what I know about you:")
        + "\n\n"
        + await settings_text(updated, tr, context)
        + "\n\n"
        + tr("Send /help to see what I can do, or /settings to change anything.")
    )
    await reply(update, context, text)


# ---------------------------------------------------------------- commands
async def start(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    if context.args:
        payload = context.args[0]
        for prefix, handler in DEEP_LINKS.items():
            if payload.startswith(prefix) and await handler(update, context, payload):
                return
    if member.opted_out:
        updated = await member_store.update_member(svc.db, member.user_id, opted_out=False)
        assert updated is not None
        remember_member(context, updated)
        await reply(
            update,
            context,
            tr(
                "Welcome back, {name}! You will receive the network's messages again.",
                name=html.escape(member.first_name),
            ),
        )
        if member.onboarded:
            return
    if member.onboarded:
        await reply(
            update,
            context,
            tr(
                "Hello again, {name}! Send /help to see what I can do.",
                name=html.escape(member.first_name),
            ),
        )
        return
    text = (
        tr(
            "Hello {name}! I am the assistant of the ILO/Cinterfor network of vocational "
            "training institutions.",
            name=html.escape(member.first_name),
        )
        + "\n"
        + tr(
            "I answer questions about courses and events, remind you of videoconferences "
            "in your own time zone and bring you the network's quick surveys."
        )
        + "\n\n"
        + tr("Which language do you prefer?")
    )
    await reply(update, context, text, buttons=language_buttons("ob"))


async def help_command(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    role = Role(member.role)
    lines = [tr("<b>What I can do</b>")]
    for spec in commands_for(role):
        usage = f" {html.escape(spec.usage)}" if spec.usage else ""
        lines.append(f"/{spec.name}{usage} — {tr(spec.description)}")
    if role is not Role.member:
        lines.append("")
        lines.append(tr("Your role: {role}", role=role_label(role, tr)))
    await reply(update, context, "\n".join(lines))


def role_label(role: Role, tr: Translator) -> str:
    return {
        Role.member: tr("member"),
        Role.organizer: tr("organizer"),
        Role.admin: tr("admin"),
    }[role]


async def settings_command(update: Update, context: Context) -> None:
    member = await current_member(update, context)
    await show_settings(update, context, member, edit=False)


async def language_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    if not context.args:
        await reply(
            update, context, tr("Which language do you prefer?"), buttons=language_buttons("sl")
        )
        return
    wanted = " ".join(context.args).strip().lower()
    code = LANGUAGE_WORDS.get(wanted)
    if code is None:
        await reply(
            update,
            context,
            tr(
                "I don't know the language “{language}”. Choose es, pt or en:",
                language=html.escape(wanted[:40]),
            ),
            buttons=language_buttons("sl"),
        )
        return
    updated = await member_store.update_member(svc.db, member.user_id, language=code)
    assert updated is not None
    remember_member(context, updated)
    await reply(
        update, context, Translator(code)(N_("From now on I will write to you in English."))
    )


async def timezone_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    if not context.args:
        await ask_country(update, context, "sz", tr)
        return
    typed = " ".join(context.args).strip()
    zone = resolve_zone(typed)
    if zone is None:
        await reply(
            update,
            context,
            tr(
                "I don't know the time zone “{zone}”. Write a name such as America/Sao_Paulo "
                "or a city such as Madrid, or send /timezone to choose from a list.",
                zone=html.escape(typed[:64]),
            ),
        )
        return
    updated = await member_store.update_member(svc.db, member.user_id, timezone=zone)
    assert updated is not None
    remember_member(context, updated)
    await reply(
        update,
        context,
        tr(
            "Time zone set to {zone}. It is {time} there now.",
            zone=zone,
            time=format_local_time(svc.now(), zone, member.language),
        ),
    )


async def institution_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    if not context.args:
        await ask_country(update, context, "si", tr)
        return
    typed = " ".join(context.args).strip()
    found = await inst_store.find_institutions(svc.db, typed)
    if len(found) == 1:
        institution = found[0]
        updated = await member_store.update_member(
            svc.db,
            member.user_id,
            institution_id=institution.id,
            institution_other=None,
            country=institution.country,
        )
        assert updated is not None
        remember_member(context, updated)
        await reply(
            update,
            context,
            tr(
                "Institution set to {institution}.",
                institution=html.escape(institution_label(institution, member.language)),
            ),
        )
        return
    if len(found) > 1:
        buttons = [(i.acronym, f"si:inst:{i.id}") for i in found[:12]]
        await reply(
            update,
            context,
            tr("Several institutions match “{name}”. Which one?", name=html.escape(typed[:60])),
            buttons=grid(buttons, 3),
        )
        return
    await reply(
        update,
        context,
        tr(
            "I don't know an institution called “{name}”. Choose yours from the list:",
            name=html.escape(typed[:60]),
        ),
        buttons=await country_buttons(context, "si", tr),
    )


def institution_label(institution: object, language: str) -> str:
    acronym = getattr(institution, "acronym", "")
    names: dict[str, str] = getattr(institution, "name", {}) or {}
    name = names.get(language) or next(iter(names.values()), "")
    return f"{acronym} — {name}" if name and name != acronym else acronym


async def stop_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    updated = await member_store.update_member(svc.db, member.user_id, opted_out=True)
    assert updated is not None
    remember_member(context, updated)
    await reply(
        update,
        context,
        tr(
            "Done: you will not receive announcements, reminders or surveys any more. "
            "You can still ask me things. Send /start to opt back in."
        ),
    )


async def forgetme_command(update: Update, context: Context) -> None:
    _, tr = await translator(update, context)
    await reply(
        update,
        context,
        tr("This erases your name, settings, answers to your own surveys and RSVPs. Are you sure?"),
        buttons=[[(tr("Yes, erase my data"), "fm:yes"), (tr("No, keep it"), "fm:no")]],
    )


# ---------------------------------------------------------------- buttons
async def forgetme_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    if data not in ("fm:yes", "fm:no"):
        await refuse_button(update, context, "unknown forgetme data")
        return
    await answer_query(update)
    if data == "fm:no":
        await edit_or_reply(update, context, tr("Nothing was erased."))
        return
    await member_store.forget_member(svc.db, member.user_id)
    log.info("member %s erased their personal data", member.user_id)
    await edit_or_reply(
        update,
        context,
        tr("Your personal data has been erased. If you write to me again, we start from scratch."),
    )


async def settings_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    if data not in ("st:lang", "st:zone", "st:inst", "st:rem", "st:optout"):
        await refuse_button(update, context, "unknown settings data")
        return
    await answer_query(update)
    if data == "st:lang":
        await edit_or_reply(
            update, context, tr("Which language do you prefer?"), buttons=language_buttons("sl")
        )
    elif data == "st:zone":
        await edit_or_reply(
            update,
            context,
            tr("In which country do you live?"),
            buttons=await country_buttons(context, "sz", tr),
        )
    elif data == "st:inst":
        await edit_or_reply(
            update,
            context,
            tr("In which country is your institution?"),
            buttons=await country_buttons(context, "si", tr),
        )
    else:
        field = "reminders_enabled" if data == "st:rem" else "opted_out"
        value = not getattr(member, field)
        updated = await member_store.update_member(svc.db, member.user_id, **{field: value})
        assert updated is not None
        remember_member(context, updated)
        await show_settings(update, context, updated, edit=True)


async def flow_button(update: Update, context: Context) -> None:
    """One step of the onboarding / settings flows (see the module docstring)."""
    svc = get_services(context)
    member, tr = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    if len(parts) < 3 or parts[0] not in FLOWS:
        await refuse_button(update, context, "malformed flow data")
        return
    flow, step, arg = parts[0], parts[1], parts[2]
    if step == "lang" and arg in LANGUAGES and flow in ("ob", "sl"):
        await answer_query(update)
        updated = await member_store.update_member(svc.db, member.user_id, language=arg)
        assert updated is not None
        remember_member(context, updated)
        tr = Translator(arg)
        if flow == "sl":
            await show_settings(update, context, updated, edit=True)
            return
        await edit_or_reply(update, context, tr(N_("From now on I will write to you in English.")))
        await ask_country(update, context, flow, tr)
        return
    if step == "ctry" and flow in ("ob", "si", "sz"):
        await _country_step(update, context, flow, arg, member, tr)
        return
    if step == "inst" and flow in ("ob", "si"):
        await _institution_step(update, context, flow, arg, member, tr)
        return
    if step == "tz" and len(parts) == 4 and flow in ("ob", "si", "sz"):
        zones = country_zones(arg) if arg in COUNTRY_ZONES else ()
        if not parts[3].isdigit() or int(parts[3]) >= len(zones):
            await refuse_button(update, context, "zone index out of range")
            return
        await answer_query(update)
        zone = zones[int(parts[3])]
        updated = await member_store.update_member(svc.db, member.user_id, timezone=zone)
        assert updated is not None
        remember_member(context, updated)
        await edit_or_reply(update, context, tr("Time zone: {zone}", zone=zone))
        await _end_flow(update, context, flow, updated)
        return
    await refuse_button(update, context, "flow data does not fit")


async def _country_step(
    update: Update, context: Context, flow: str, arg: str, member: Member, tr: Translator
) -> None:
    svc = get_services(context)
    if arg == "other":
        await answer_query(update)
        fields: dict[str, object] = {"country": None}
        if flow != "sz":
            fields |= {"institution_id": None}
        updated = await member_store.update_member(svc.db, member.user_id, **fields)
        assert updated is not None
        remember_member(context, updated)
        await edit_or_reply(
            update,
            context,
            tr(
                "Tell me your time zone with /timezone and a city or zone name, "
                "for example /timezone Europe/Madrid."
            ),
        )
        await _end_flow(update, context, flow, updated)
        return
    allowed = set(await inst_store.network_countries(svc.db))
    if flow == "sz":
        allowed |= set(COUNTRY_ZONES)
    if arg not in allowed:
        await refuse_button(update, context, "unknown country")
        return
    await answer_query(update)
    updated = await member_store.update_member(svc.db, member.user_id, country=arg)
    assert updated is not None
    remember_member(context, updated)
    await edit_or_reply(
        update, context, tr("Country: {country}", country=country_name(arg, tr.language))
    )
    if flow in ("ob", "si"):
        await ask_institution(update, context, flow, arg, tr)
        return
    await _zone_step(update, context, flow, arg, updated)


async def _institution_step(
    update: Update, context: Context, flow: str, arg: str, member: Member, tr: Translator
) -> None:
    svc = get_services(context)
    if arg == "-":
        institution = None
    else:
        institution = await inst_store.get_institution(svc.db, arg)
        if institution is None:
            await refuse_button(update, context, "unknown institution")
            return
    await answer_query(update)
    fields: dict[str, object] = {"institution_id": institution.id if institution else None}
    if institution is not None:
        fields["country"] = institution.country
        fields["institution_other"] = None
    updated = await member_store.update_member(svc.db, member.user_id, **fields)
    assert updated is not None
    remember_member(context, updated)
    label = institution_label(institution, tr.language) if institution else tr("Other / none")
    await edit_or_reply(
        update, context, tr("Institution: {institution}", institution=html.escape(label))
    )
    country = updated.country
    if institution is not None and not country_zones(institution.country):
        await member_store.update_member(svc.db, member.user_id, timezone=institution.timezone)
    if country:
        await _zone_step(update, context, flow, country, updated)
    else:
        await _end_flow(update, context, flow, updated)


async def _zone_step(
    update: Update, context: Context, flow: str, country: str, member: Member
) -> None:
    svc = get_services(context)
    tr = Translator(member.language)
    if await ask_zone(update, context, flow, country, tr):
        return
    zones = country_zones(country)
    if zones:
        updated = await member_store.update_member(svc.db, member.user_id, timezone=zones[0])
        assert updated is not None
        member = updated
        remember_member(context, member)
    await _end_flow(update, context, flow, member)


async def _end_flow(update: Update, context: Context, flow: str, member: Member) -> None:
    if flow == "ob":
        await finish_onboarding(update, context)
    else:
        await show_settings(update, context, member, edit=False)


# ---------------------------------------------------------------- menu
async def publish_command_menus(application: Application) -> None:
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


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("settings", settings_command, filters=private))
    application.add_handler(CommandHandler("language", language_command, filters=private))
    application.add_handler(CommandHandler("timezone", timezone_command, filters=private))
    application.add_handler(CommandHandler("institution", institution_command, filters=private))
    application.add_handler(CommandHandler("stop", stop_command, filters=private))
    application.add_handler(CommandHandler("forgetme", forgetme_command, filters=private))
    application.add_handler(CallbackQueryHandler(forgetme_button, pattern=r"^fm:"))
    application.add_handler(CallbackQueryHandler(settings_button, pattern=r"^st:"))
    application.add_handler(CallbackQueryHandler(flow_button, pattern=r"^(ob|sl|si|sz):"))


__all__ = ["publish_command_menus", "register", "register_deep_link"]
