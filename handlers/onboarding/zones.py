"""The time zone of a member whose country is not listed ("Other country"): the wizard's
zone step, answered by typing a city or zone name (as /timezone takes) or keeping the zone
in use. The typed text reaches :func:`typed_zone` through the router of :mod:`handlers.flows`
while the draft of :data:`ZONE_FLOW` says a wizard waits for it."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import Update

from bot.core.geo import resolve_zone
from bot.core.i18n import zone_name
from bot.core.outbound import Button
from bot.render.callbacks.onboarding import OTHER_COUNTRY, CountryWizard, ZonePicked
from handlers.common import Context, reply
from handlers.flows import Draft, Flow

ZONE_STEP = "zone"


@dataclass
class ZoneDraft(Draft):
    """A wizard (``flow``) waits for a typed time zone."""

    step: str = ZONE_STEP
    flow: str = "ob"


ZONE_FLOW = Flow("zone", ZoneDraft)


async def ask_typed_zone(update: Update, ctx: Context, flow: CountryWizard) -> None:
    """Ask for the zone by name, with a button that keeps the one in use."""
    await ZONE_FLOW.save(ctx, ZoneDraft(flow=flow))
    tr, zone = ctx.tr, ctx.member.timezone
    text = (
        tr("Which time zone are you in?")
        + "\n"
        + tr("Write the name of your city (for example Madrid) or of the zone (Europe/Madrid).")
    )
    keep = tr("Keep {zone}", zone=zone_name(zone, tr.language))
    await reply(update, ctx, text, buttons=[[Button(keep, data=keep_data(flow))]])


def keep_data(flow: CountryWizard) -> str:
    """The zone step's button that keeps the member's zone (no country: ``other``)."""
    return ZonePicked(flow, OTHER_COUNTRY, 0).pack()


async def refuse_unknown_zone(update: Update, ctx: Context, typed: str) -> None:
    """The one refusal of a zone or city name nobody knows (/timezone and the wizard)."""
    await reply(
        update,
        ctx,
        ctx.tr(
            "I don't know the time zone “{zone}”. Write a name such as America/Sao_Paulo "
            "or a city such as Madrid, or send /timezone to choose from a list.",
            zone=html.escape(typed[:64]),
        ),
    )


async def typed_zone(update: Update, ctx: Context, draft: ZoneDraft) -> None:
    """A typed city or zone name: saved and the wizard ends; unknown ones are asked again."""
    from handlers.onboarding.wizard import zone_chosen  # the wizard imports this module

    message = update.effective_message
    typed = (message.text or "").strip() if message else ""
    zone = resolve_zone(typed) if typed else None
    if zone is None:
        await refuse_unknown_zone(update, ctx, typed)
        return
    flow: CountryWizard = "sz" if draft.flow == "sz" else "ob"
    await zone_chosen(update, ctx, flow, zone, edit=False)


ZONE_FLOW.on_message(ZONE_STEP)(typed_zone)
