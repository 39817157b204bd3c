"""Members and onboarding: /start, /language, /timezone, /institution, /settings, /help,
/stop, with the button wizards behind them (/forgetme is in ``handlers.privacy``).

The wizards (first onboarding: language → country → institution → zone; and the settings'
shorter ones) keep no draft: each press saves the member, and each button's data names its
wizard, so the next question follows from the data alone (``bot.render.callbacks.onboarding``).
Every value in button data is checked again on the server: data that does not fit gets
"This button is no longer valid" and changes nothing.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.geo import (
    COUNTRY_ZONES,
    KEYBOARD_MAX,
    OTHER_REGION,
    REGIONS,
    country_zones,
    region_of,
    resolve_zone,
)
from bot.core.i18n import N_, Translator, country_name, format_local_time, zone_name
from bot.core.outbound import Button
from bot.core.text import fold_words as fold
from bot.messaging.menus import set_chat_menu
from bot.render.callbacks import CallbackTooLong
from bot.render.callbacks.onboarding import (
    OTHER_COUNTRY,
    CountryPicked,
    CountryWizard,
    InstitutionPicked,
    InstitutionWizard,
    LanguagePicked,
    RegionPicked,
    SettingsPressed,
    Wizard,
    ZonePicked,
)
from bot.render.commands import commands_for, usage_text
from bot.render.labels import region_name, regions_of
from bot.render.members import (
    institution_label,
    language_buttons,
    role_label,
    settings_buttons,
    settings_card,
)
from bot.render.memberships import claim_notice
from handlers.common import (
    Context,
    answer_query,
    below_pressed,
    button_data,
    edit_or_reply,
    grid,
    pressed,
    refuse_button,
    reply,
)
from storage import audit as audit_store
from storage import drafts
from storage import institutions as inst_store
from storage import members as member_store
from storage import memberships as membership_store
from storage.models import Institution, Member, Role

log = logging.getLogger(__name__)
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
async def settings_text(member: Member, tr: Translator, ctx: Context) -> str:
    institution = tr("not chosen")
    if member.institution_id:
        found = await inst_store.get_institution(ctx.svc.db, member.institution_id)
        if found is not None:
            institution = found.acronym
            if member.verified_institution_id != found.id:
                institution = tr("{institution} (awaiting confirmation)", institution=institution)
    elif member.institution_other:
        institution = member.institution_other
    return settings_card(member, institution, ctx.svc.now(), tr)


async def show_settings(update: Update, ctx: Context, member: Member, edit: bool) -> None:
    tr = Translator(member.language)
    text = await settings_text(member, tr, ctx)
    if edit:
        await edit_or_reply(update, ctx, text, buttons=settings_buttons(member, tr))
    else:
        await reply(update, ctx, text, buttons=settings_buttons(member, tr))


async def offered_countries(ctx: Context, flow: CountryWizard) -> set[str]:
    codes = set(await inst_store.network_countries(ctx.svc.db))
    if flow == "sz":
        codes |= set(COUNTRY_ZONES)
    return codes


async def country_buttons(
    ctx: Context, flow: CountryWizard, region: str | None = None
) -> list[list[Button]]:
    """The countries; past :data:`KEYBOARD_MAX` first their regions, then a region's."""
    tr = ctx.tr
    codes = await offered_countries(ctx, flow)
    grouped = len(codes) > KEYBOARD_MAX
    if grouped and region is None:
        return region_buttons(tr, flow, codes)
    if grouped:
        codes = {c for c in codes if region_of(c) == region}
    ordered = sorted(codes, key=lambda c: fold(country_name(c, tr.language)))
    buttons = [
        Button(country_name(code, tr.language), data=CountryPicked(flow, code).pack())
        for code in ordered
    ]
    rows = grid(buttons, 3)
    last = [Button(tr("Other country"), data=CountryPicked(flow, OTHER_COUNTRY).pack())]
    if grouped:
        last.insert(0, Button("◀", data=RegionPicked(flow).pack()))
    rows.append(last)
    return rows


def region_buttons(tr: Translator, flow: CountryWizard, codes: set[str]) -> list[list[Button]]:
    regions = regions_of(codes)
    buttons = [Button(region_name(r, tr), data=RegionPicked(flow, r).pack()) for r in regions]
    rows = grid(buttons, 2)
    rows.append([Button(tr("Other country"), data=CountryPicked(flow, OTHER_COUNTRY).pack())])
    return rows


async def region_picked(update: Update, ctx: Context) -> None:
    """``og:<flow>:<region>``: the countries of that region (no region: the regions again)."""
    await ctx.load_member(update)
    data = pressed(update, RegionPicked)
    if data is None or (data.region is not None and data.region not in (*REGIONS, OTHER_REGION)):
        await refuse_button(update, ctx, "unknown region")
        return
    await answer_query(update)
    rows = await country_buttons(ctx, data.flow, data.region)
    text = (
        ctx.tr("In which country do you live?")
        if data.flow == "sz"
        else ctx.tr("In which country is your institution?")
    )
    await edit_or_reply(update, ctx, text, buttons=rows)


async def ask_country(update: Update, ctx: Context, flow: CountryWizard) -> None:
    text = (
        ctx.tr("In which country do you live?")
        if flow == "sz"
        else ctx.tr("In which country is your institution?")
    )
    await reply(update, ctx, text, buttons=await country_buttons(ctx, flow))


def institution_buttons(
    flow: InstitutionWizard, institutions: Sequence[Institution]
) -> list[Button]:
    """A button per institution whose id fits in callback data (ids may be 64 characters)."""
    buttons = []
    for institution in institutions:
        try:
            data = InstitutionPicked(flow, institution.id).pack()
        except CallbackTooLong:
            log.warning("institution id %r is too long for a button", institution.id)
            continue
        buttons.append(Button(institution.acronym, data=data))
    return buttons


async def ask_institution(
    update: Update, ctx: Context, flow: InstitutionWizard, country: str
) -> None:
    institutions = await inst_store.list_institutions(ctx.svc.db, country)
    rows = grid(institution_buttons(flow, institutions), 3)
    rows.append([Button(ctx.tr("Other / none"), data=InstitutionPicked(flow, None).pack())])
    await reply(update, ctx, ctx.tr("Which is your institution?"), buttons=rows)


async def ask_zone(update: Update, ctx: Context, flow: CountryWizard, country: str) -> bool:
    """Asks for a zone when the country has several; returns False when there was no choice."""
    zones = country_zones(country)
    if len(zones) <= 1:
        return False
    now, language = ctx.svc.now(), ctx.tr.language
    buttons = [
        Button(
            f"{zone_name(zone, language)} ({format_local_time(now, zone, language)})",
            data=ZonePicked(flow, country, index).pack(),
        )
        for index, zone in enumerate(zones)
    ]
    await reply(update, ctx, ctx.tr("Which time zone are you in?"), buttons=grid(buttons, 2))
    return True


async def _update(ctx: Context, **fields: Any) -> Member:
    """Save fields of the member of this update and keep the result for later handlers."""
    updated = await member_store.update_member(ctx.svc.db, ctx.member.user_id, **fields)
    assert updated is not None
    ctx.remember(updated)
    if "language" in fields and updated.role != Role.member:  # their menu follows
        await set_chat_menu(ctx.bot, updated.chat_id, Role(updated.role), updated.language)
    return updated


async def finish_onboarding(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    updated = await _update(ctx, onboarded=True)
    tr = ctx.tr
    text = (
        tr("All set! Here is what I know about you:")
        + "\n\n"
        + await settings_text(updated, tr, ctx)
        + "\n\n"
        + tr("Send /help to see what I can do, or /settings to change anything.")
    )
    await reply(update, ctx, text)
    await resume_deep_link(update, ctx)


async def wait_for_onboarding(ctx: Context, payload: str) -> None:
    """A newcomer came through a deep link that needs a registered member (an event's
    link): keep it, onboard them, then :func:`resume_deep_link` opens it."""
    await drafts.save_draft(ctx.svc.db, "start", ctx.member.user_id, {"payload": payload})


async def resume_deep_link(update: Update, ctx: Context) -> None:
    pending = await drafts.get_draft(ctx.svc.db, "start", ctx.member.user_id)
    if pending is None:
        return
    await drafts.delete_draft(ctx.svc.db, "start", ctx.member.user_id)
    payload = str(pending.get("payload", ""))
    for prefix, handler in DEEP_LINKS.items():
        if payload.startswith(prefix) and await handler(update, ctx, payload):
            return


# ---------------------------------------------------------------- commands
async def start(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if ctx.args:
        payload = ctx.args[0]
        for prefix, handler in DEEP_LINKS.items():
            if payload.startswith(prefix) and await handler(update, ctx, payload):
                return
    name = html.escape(member.first_name)
    if member.opted_out:
        await _update(ctx, opted_out=False)
        await reply(
            update,
            ctx,
            ctx.tr(
                "Welcome back, {name}! You will receive the network's messages again.", name=name
            ),
        )
        if member.onboarded:
            return
    if member.onboarded:
        await reply(
            update, ctx, ctx.tr("Hello again, {name}! Send /help to see what I can do.", name=name)
        )
        return
    tr = ctx.tr
    text = (
        tr(
            "Hello {name}! I am the assistant of the ILO/Cinterfor network of vocational "
            "training institutions.",
            name=name,
        )
        + "\n"
        + tr(
            "I answer questions about courses and events, remind you of videoconferences "
            "in your own time zone and bring you the network's quick surveys."
        )
        + "\n\n"
        + tr("Which language do you prefer?")
    )
    await reply(update, ctx, text, buttons=language_buttons("ob"))


async def help_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    tr = ctx.tr
    role = Role(member.role)
    lines = [tr("<b>What I can do</b>")]
    for spec in commands_for(role):
        usage = f" {html.escape(usage_text(spec, tr))}" if spec.usage else ""
        lines.append(f"/{spec.name}{usage} — {tr(spec.description)}")
    if role is not Role.member:
        lines.append("")
        lines.append(tr("Your role: {role}", role=role_label(role, tr)))
    await reply(update, ctx, "\n".join(lines))


async def settings_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    await show_settings(update, ctx, member, edit=False)


async def language_command(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    if not ctx.args:
        await reply(
            update, ctx, ctx.tr("Which language do you prefer?"), buttons=language_buttons("sl")
        )
        return
    wanted = " ".join(ctx.args).strip().lower()
    code = LANGUAGE_WORDS.get(wanted)
    if code is None:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I don't know the language “{language}”. Choose es, pt or en:",
                language=html.escape(wanted[:40]),
            ),
            buttons=language_buttons("sl"),
        )
        return
    await _update(ctx, language=code)
    await reply(update, ctx, ctx.tr(N_("From now on I will write to you in English.")))


async def timezone_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if not ctx.args:
        await ask_country(update, ctx, "sz")
        return
    typed = " ".join(ctx.args).strip()
    zone = resolve_zone(typed)
    if zone is None:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I don't know the time zone “{zone}”. Write a name such as America/Sao_Paulo "
                "or a city such as Madrid, or send /timezone to choose from a list.",
                zone=html.escape(typed[:64]),
            ),
        )
        return
    await _update(ctx, timezone=zone)
    text = ctx.tr(
        "Time zone set to {zone}. It is {time} there now.",
        zone=html.escape(zone_name(zone, member.language)),
        time=format_local_time(ctx.svc.now(), zone, member.language),
    )
    if zone.startswith("Etc/"):  # "UTC-3": say what a bare offset means
        text += "\n" + ctx.tr(
            "That is a fixed offset ({zone}): it never changes for daylight saving time. "
            "If your clocks change, write your city instead.",
            zone=zone,
        )
    await reply(update, ctx, text)


async def institution_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if not ctx.args:
        await ask_country(update, ctx, "si")
        return
    typed = " ".join(ctx.args).strip()
    found = await inst_store.find_institutions(ctx.svc.db, typed)
    if len(found) == 1:
        institution = found[0]
        updated = await claim(ctx, institution)
        label = html.escape(institution_label(institution, member.language))
        text = ctx.tr("Institution set to {institution}.", institution=label)
        await reply(update, ctx, text + claim_note(ctx, updated))
        return
    if len(found) > 1:
        await reply(
            update,
            ctx,
            ctx.tr("Several institutions match “{name}”. Which one?", name=html.escape(typed[:60])),
            buttons=grid(institution_buttons("si", found[:12]), 3),
        )
        return
    await _audit_unknown(ctx, typed)
    await reply(
        update,
        ctx,
        ctx.tr(
            "I don't know an institution called “{name}”. Choose yours from the list:",
            name=html.escape(typed[:60]),
        ),
        buttons=await country_buttons(ctx, "si"),
    )


async def _audit_unknown(ctx: Context, typed: str) -> None:
    """A claim to an institution that does not exist: nothing is written but the audit."""
    log.info("member %s claimed an unknown institution %r", ctx.member.user_id, typed[:60])
    await audit_store.record(
        ctx.svc.db,
        actor_id=ctx.member.user_id,
        action="refused claim",
        details={"institution": typed[:60]},
    )


async def claim(ctx: Context, institution: Institution) -> Member:
    """The member says they belong to ``institution``: a claim, told to the organizers."""
    await membership_store.claim_institution(
        ctx.svc.db,
        ctx.member.user_id,
        institution.id,
        ctx.svc.now(),
        country=institution.country,
        notify=claim_notice(ctx.member, institution),
    )
    updated = await member_store.get_member(ctx.svc.db, ctx.member.user_id)
    assert updated is not None
    ctx.remember(updated)
    log.info("member %s claims institution %s", updated.user_id, institution.id)
    return updated


def claim_note(ctx: Context, member: Member) -> str:
    """What a claim means, unless the member is already confirmed for it."""
    if member.institution_id is None or member.verified_institution_id == member.institution_id:
        return ""
    return "\n" + ctx.tr(
        "An organizer will confirm that you speak for it; until then you answer surveys as "
        "yourself. If your institution sent you an invitation link, open it to be confirmed "
        "at once."
    )


async def stop_command(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    await _update(ctx, opted_out=True)
    await reply(
        update,
        ctx,
        ctx.tr(
            "Done: you will not receive announcements, reminders or surveys any more. "
            "You can still ask me things. Send /start to opt back in."
        ),
    )


# ---------------------------------------------------------------- buttons
async def settings_button(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    data = pressed(update, SettingsPressed)
    if data is None:
        await refuse_button(update, ctx, "unknown settings data")
        return
    await answer_query(update)
    tr = ctx.tr
    if data.what == "lang":
        await edit_or_reply(
            update, ctx, tr("Which language do you prefer?"), buttons=language_buttons("sl")
        )
    elif data.what == "zone":
        rows = await country_buttons(ctx, "sz")
        await edit_or_reply(update, ctx, tr("In which country do you live?"), buttons=rows)
    elif data.what == "inst":
        rows = await country_buttons(ctx, "si")
        await edit_or_reply(update, ctx, tr("In which country is your institution?"), buttons=rows)
    else:
        field = "reminders_enabled" if data.what == "rem" else "opted_out"
        updated = await _update(ctx, **{field: not getattr(member, field)})
        await show_settings(update, ctx, updated, edit=True)


async def language_picked(update: Update, ctx: Context) -> None:
    """``ol:<flow>:<language>``: the language chosen in the onboarding or the settings."""
    await ctx.load_member(update)
    data = pressed(update, LanguagePicked)
    if data is None:
        await refuse_button(update, ctx, "malformed language data")
        return
    await answer_query(update)
    updated = await _update(ctx, language=data.language)
    if data.flow == "sl":
        await show_settings(update, ctx, updated, edit=True)
        return
    chosen = ctx.tr(N_("From now on I will write to you in English."))
    await edit_or_reply(update, ctx, below_pressed(update, chosen))  # the welcome stays
    await ask_country(update, ctx, data.flow)


async def country_picked(update: Update, ctx: Context) -> None:
    """``oc:<flow>:<country>``: then the institution, the zone, or the end of the wizard."""
    await ctx.load_member(update)
    data = pressed(update, CountryPicked)
    if data is None:
        await refuse_button(update, ctx, "malformed country data")
        return
    flow, country = data.flow, data.country
    if country == OTHER_COUNTRY:
        await answer_query(update)
        updated = ctx.member
        if flow != "sz":  # the zone never changes the country
            await membership_store.clear_institution(ctx.svc.db, updated.user_id, ctx.svc.now())
            updated = await _update(ctx, country=None)
        await edit_or_reply(
            update,
            ctx,
            ctx.tr(
                "Tell me your time zone with /timezone and a city or zone name, "
                "for example /timezone Europe/Madrid."
            ),
        )
        await _end_flow(update, ctx, flow, updated)
        return
    if country not in await offered_countries(ctx, flow):
        await refuse_button(update, ctx, "unknown country")
        return
    await answer_query(update)
    if flow == "sz":  # only the zone: the country stays what the member said (or their VTI's)
        await edit_or_reply(update, ctx, html.escape(country_name(country, ctx.tr.language)))
        await _zone_step(update, ctx, flow, country)
        return
    await _update(ctx, country=country)
    name = country_name(country, ctx.tr.language)
    await edit_or_reply(update, ctx, ctx.tr("Country: {country}", country=name))
    await ask_institution(update, ctx, flow, country)


async def institution_picked(update: Update, ctx: Context) -> None:
    """``oi:<flow>:<id>`` (empty id: other / none): then the zone or the end."""
    await ctx.load_member(update)
    data = pressed(update, InstitutionPicked)
    institution = None
    if data is not None and data.institution_id is not None:
        institution = await inst_store.get_institution(ctx.svc.db, data.institution_id)
    if data is None or (data.institution_id is not None and institution is None):
        await _audit_unknown(ctx, button_data(update) or "")
        await refuse_button(update, ctx, "unknown institution")
        return
    await answer_query(update)
    if institution is None:
        await membership_store.clear_institution(ctx.svc.db, ctx.member.user_id, ctx.svc.now())
        updated = await _update(ctx)
    else:
        updated = await claim(ctx, institution)
    tr = ctx.tr
    label = institution_label(institution, tr.language) if institution else tr("Other / none")
    text = tr("Institution: {institution}", institution=html.escape(label))
    await edit_or_reply(update, ctx, text + claim_note(ctx, updated))
    await continue_wizard(update, ctx, data.flow, institution)


async def continue_wizard(
    update: Update, ctx: Context, flow: InstitutionWizard, institution: Institution | None
) -> None:
    """After the institution: its zone (asked when its country has several), then the end."""
    member = ctx.member
    if institution is not None and not country_zones(institution.country):
        member = await _update(ctx, timezone=institution.timezone)
    if member.country:
        await _zone_step(update, ctx, flow, member.country)
    else:
        await _end_flow(update, ctx, flow, member)


async def zone_picked(update: Update, ctx: Context) -> None:
    """``oz:<flow>:<country>:<index>``: the zone, and the end of the wizard."""
    await ctx.load_member(update)
    data = pressed(update, ZonePicked)
    zones = country_zones(data.country) if data and data.country in COUNTRY_ZONES else ()
    if data is None or not 0 <= data.index < len(zones):
        await refuse_button(update, ctx, "zone index out of range")
        return
    await answer_query(update)
    zone = zones[data.index]
    updated = await _update(ctx, timezone=zone)
    await edit_or_reply(
        update, ctx, ctx.tr("Time zone: {zone}", zone=html.escape(zone_name(zone, ctx.tr.language)))
    )
    await _end_flow(update, ctx, data.flow, updated)


async def _zone_step(update: Update, ctx: Context, flow: CountryWizard, country: str) -> None:
    if await ask_zone(update, ctx, flow, country):
        return
    zones = country_zones(country)
    member = await _update(ctx, timezone=zones[0]) if zones else ctx.member
    await _end_flow(update, ctx, flow, member)


async def _end_flow(update: Update, ctx: Context, flow: Wizard, member: Member) -> None:
    if flow == "ob":
        await finish_onboarding(update, ctx)
    else:
        await show_settings(update, ctx, member, edit=False)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("settings", settings_command, filters=private))
    application.add_handler(CommandHandler("language", language_command, filters=private))
    application.add_handler(CommandHandler("timezone", timezone_command, filters=private))
    application.add_handler(CommandHandler("institution", institution_command, filters=private))
    application.add_handler(CommandHandler("stop", stop_command, filters=private))
    for data, callback in (
        (SettingsPressed, settings_button),
        (LanguagePicked, language_picked),
        (CountryPicked, country_picked),
        (RegionPicked, region_picked),
        (InstitutionPicked, institution_picked),
        (ZonePicked, zone_picked),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))


__all__ = ["register", "register_deep_link", "wait_for_onboarding"]
