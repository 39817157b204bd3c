"""The button wizards: first onboarding (language → country → institution → zone) and the
settings' shorter ones; each press saves the member and the data names the next question."""

from __future__ import annotations

import html

from telegram import Update

from bot.core.geo import COUNTRY_ZONES, OTHER_REGION, REGIONS, country_zones
from bot.core.i18n import N_, country_name, zone_name
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
from bot.render.members import institution_label, language_buttons
from handlers.common import (
    Context,
    answer_query,
    below_pressed,
    button_data,
    edit_or_reply,
    first_press,
    pressed,
    refuse_button,
    reply,
    show_screen,
)
from handlers.onboarding.deeplinks import resume_deep_link
from handlers.onboarding.members import (
    audit_unknown_claim,
    claim,
    claim_note,
    dropped_note,
    save_member,
    settings_text,
    show_settings,
)
from handlers.onboarding.questions import (
    ask_country,
    ask_institution,
    ask_zone,
    country_buttons,
    offered_countries,
)
from handlers.onboarding.zones import ZONE_FLOW, ask_typed_zone
from storage import institutions as inst_store
from storage import memberships as membership_store
from storage.models import Institution, Member


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
        updated = await save_member(ctx, **{field: not getattr(member, field)})
        await show_settings(update, ctx, updated, edit=True)


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


async def language_picked(update: Update, ctx: Context) -> None:
    """``ol:<flow>:<language>``: the language chosen in the onboarding or the settings."""
    await ctx.load_member(update)
    data = pressed(update, LanguagePicked)
    if data is None:
        await refuse_button(update, ctx, "malformed language data")
        return
    if data.flow != "sl" and not await first_press(update, ctx):  # "sl" edits in place
        return
    await answer_query(update)
    updated = await save_member(ctx, language=data.language)
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
        await _other_country(update, ctx, flow)
        return
    if country not in await offered_countries(ctx, flow):
        await refuse_button(update, ctx, "unknown country")
        return
    if not await first_press(update, ctx):
        return
    await answer_query(update)
    if flow == "sz":  # only the zone: the country stays what the member said (or their VTI's)
        await edit_or_reply(update, ctx, html.escape(country_name(country, ctx.tr.language)))
        await _zone_step(update, ctx, flow, country)
        return
    await save_member(ctx, country=country)
    name = country_name(country, ctx.tr.language)
    await edit_or_reply(update, ctx, ctx.tr("Country: {country}", country=name))
    await ask_institution(update, ctx, flow, country)


async def _other_country(update: Update, ctx: Context, flow: CountryWizard) -> None:
    """A country not listed: no institution; the zone is asked by name (onboarding and the
    zone settings), since no country says which it is."""
    await answer_query(update)
    updated = ctx.member
    if flow != "sz":  # the zone never changes the country
        await membership_store.clear_institution(ctx.svc.db, updated.user_id, ctx.svc.now())
        updated = await save_member(ctx, country=None)
    await edit_or_reply(update, ctx, ctx.tr("Country: {country}", country=ctx.tr("Other country")))
    if flow == "si":
        await _end_flow(update, ctx, flow, updated)
    else:
        await ask_typed_zone(update, ctx, flow)


async def institution_picked(update: Update, ctx: Context) -> None:
    """``oi:<flow>:<id>`` (empty id: other / none): then the zone or the end."""
    await ctx.load_member(update)
    data = pressed(update, InstitutionPicked)
    institution = None
    if data is not None and data.institution_id is not None:
        institution = await inst_store.get_institution(ctx.svc.db, data.institution_id)
    if data is None or (data.institution_id is not None and institution is None):
        await audit_unknown_claim(ctx, button_data(update) or "")
        await refuse_button(update, ctx, "unknown institution")
        return
    if not await first_press(update, ctx):
        return
    await answer_query(update)
    before = ctx.member.verified_institution_id
    if institution is None:
        await membership_store.clear_institution(ctx.svc.db, ctx.member.user_id, ctx.svc.now())
        updated = await save_member(ctx)
    else:
        updated = await claim(ctx, institution)
    tr = ctx.tr
    label = institution_label(institution, tr.language) if institution else tr("Other / none")
    text = tr("Institution: {institution}", institution=html.escape(label))
    dropped = await dropped_note(ctx, before, updated)
    await edit_or_reply(update, ctx, text + dropped + claim_note(ctx, updated))
    await continue_wizard(update, ctx, data.flow, institution)


async def continue_wizard(
    update: Update, ctx: Context, flow: InstitutionWizard, institution: Institution | None
) -> None:
    """After the institution: its zone (asked when its country has several), then the end."""
    member = ctx.member
    if institution is not None and not country_zones(institution.country):
        member = await save_member(ctx, timezone=institution.timezone)
    if member.country:
        await _zone_step(update, ctx, flow, member.country)
    else:
        await _end_flow(update, ctx, flow, member)


async def zone_picked(update: Update, ctx: Context) -> None:
    """``oz:<flow>:<country>:<index>``: the zone, and the end of the wizard."""
    member = await ctx.load_member(update)
    data = pressed(update, ZonePicked)
    if data is not None and data.country == OTHER_COUNTRY:  # "Keep" on the typed zone step
        zones: tuple[str, ...] = (member.timezone,)
    else:
        zones = country_zones(data.country) if data and data.country in COUNTRY_ZONES else ()
    if data is None or not 0 <= data.index < len(zones):
        await refuse_button(update, ctx, "zone index out of range")
        return
    if not await first_press(update, ctx):
        return
    await answer_query(update)
    await zone_chosen(update, ctx, data.flow, zones[data.index], edit=True)


async def zone_chosen(
    update: Update, ctx: Context, flow: CountryWizard, zone: str, *, edit: bool
) -> None:
    """Save the zone, say it, and end the wizard (no typed zone waits any more)."""
    await ZONE_FLOW.drop(ctx)
    updated = await save_member(ctx, timezone=zone)
    text = ctx.tr("Time zone: {zone}", zone=html.escape(zone_name(zone, ctx.tr.language)))
    await show_screen(update, ctx, text, edit=edit)
    await _end_flow(update, ctx, flow, updated)


async def _zone_step(update: Update, ctx: Context, flow: CountryWizard, country: str) -> None:
    if await ask_zone(update, ctx, flow, country):
        return
    zones = country_zones(country)
    member = await save_member(ctx, timezone=zones[0]) if zones else ctx.member
    await _end_flow(update, ctx, flow, member)


async def _end_flow(update: Update, ctx: Context, flow: Wizard, member: Member) -> None:
    if flow == "ob":
        await finish_onboarding(update, ctx)
    else:
        await show_settings(update, ctx, member, edit=False)


async def finish_onboarding(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    updated = await save_member(ctx, onboarded=True)
    tr = ctx.tr
    text = (
        tr("All set! Here is what I know about you:")
        + "\n\n"
        + await settings_text(updated, tr, ctx)
        + "\n\n"
        + tr(
            "I show dates and times in the time zone {zone}. To change it, send /timezone "
            "and your city, for example /timezone Madrid.",
            zone=html.escape(zone_name(updated.timezone, tr.language)),
        )
        + "\n"
        + tr("Send /help to see what I can do, or /settings to change anything.")
    )
    await reply(update, ctx, text)
    await resume_deep_link(update, ctx)
