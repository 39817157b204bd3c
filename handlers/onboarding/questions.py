"""The wizards' questions: country (by region when there are many), institution, time zone."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Update

from bot.core.geo import COUNTRY_ZONES, KEYBOARD_MAX, country_zones, region_of
from bot.core.i18n import Translator, country_name, format_local_time, zone_name
from bot.core.outbound import Button
from bot.core.text import fold_words as fold
from bot.render.callbacks import CallbackTooLong
from bot.render.callbacks.onboarding import (
    OTHER_COUNTRY,
    CountryPicked,
    CountryWizard,
    InstitutionPicked,
    InstitutionWizard,
    RegionPicked,
    ZonePicked,
)
from bot.render.labels import region_name, regions_of
from handlers.common import Context, grid, reply
from storage import institutions as inst_store
from storage.models import Institution

log = logging.getLogger(__name__)


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
