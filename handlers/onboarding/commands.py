"""/start, /help, /settings, /language, /timezone, /institution and /stop."""

from __future__ import annotations

import html

from telegram import Update

from bot.core.geo import resolve_zone
from bot.core.i18n import N_, format_local_time, zone_name
from bot.render.commands import commands_for, usage_text
from bot.render.members import institution_label, language_buttons, role_label
from handlers.common import Context, grid, reply
from handlers.onboarding.deeplinks import open_deep_link
from handlers.onboarding.members import (
    audit_unknown_claim,
    claim,
    claim_note,
    dropped_note,
    save_member,
    show_settings,
)
from handlers.onboarding.questions import ask_country, country_buttons, institution_buttons
from handlers.onboarding.zones import refuse_unknown_zone
from storage import institutions as inst_store
from storage.models import Role

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


async def start(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if ctx.args and await open_deep_link(update, ctx, ctx.args[0]):
        return
    name = html.escape(member.first_name)
    if member.opted_out:
        await save_member(ctx, opted_out=False)
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
    lines = [tr("<b>What I can do</b>"), tr("Ask me anything in your own words, or:")]
    specs = commands_for(role)
    for section in (Role.member, Role.organizer, Role.admin):
        mine = [spec for spec in specs if spec.role is section]
        if not mine:
            continue
        if section is not Role.member:  # a member's help has one section and no heading
            lines += ["", tr(HELP_HEADINGS[section])]
        for spec in mine:
            usage = f" {html.escape(usage_text(spec, tr))}" if spec.usage else ""
            lines.append(f"/{spec.name}{usage} — {tr(spec.description)}")
    if role is not Role.member:
        lines += ["", tr("Your role: {role}", role=role_label(role, tr))]
    await reply(update, ctx, "\n".join(lines))


# /help groups an organizer's or admin's commands under who may use them
HELP_HEADINGS = {
    Role.organizer: N_("<b>For organizers</b>"),
    Role.admin: N_("<b>For admins</b>"),
}


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
    await save_member(ctx, language=code)
    await reply(update, ctx, ctx.tr(N_("From now on I will write to you in English.")))


async def timezone_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if not ctx.args:
        await ask_country(update, ctx, "sz")
        return
    typed = " ".join(ctx.args).strip()
    zone = resolve_zone(typed)
    if zone is None:
        await refuse_unknown_zone(update, ctx, typed)
        return
    await save_member(ctx, timezone=zone)
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
        before = member.verified_institution_id
        updated = await claim(ctx, institution)
        label = html.escape(institution_label(institution, member.language))
        text = ctx.tr("Institution set to {institution}.", institution=label)
        dropped = await dropped_note(ctx, before, updated)
        await reply(update, ctx, text + dropped + claim_note(ctx, updated))
        return
    if len(found) > 1:
        await reply(
            update,
            ctx,
            ctx.tr("Several institutions match “{name}”. Which one?", name=html.escape(typed[:60])),
            buttons=grid(institution_buttons("si", found[:12]), 3),
        )
        return
    await audit_unknown_claim(ctx, typed)
    await reply(
        update,
        ctx,
        ctx.tr(
            "I don't know an institution called “{name}”. Choose yours from the list:",
            name=html.escape(typed[:60]),
        ),
        buttons=await country_buttons(ctx, "si"),
    )


async def stop_command(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    await save_member(ctx, opted_out=True)
    await reply(
        update,
        ctx,
        ctx.tr(
            "Done: you will not receive announcements, reminders or surveys any more. "
            "You can still ask me things. Send /start to opt back in."
        ),
    )
