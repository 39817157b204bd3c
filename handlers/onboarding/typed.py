"""Typed answers to the first onboarding's questions: a newcomer on a phone often types
"Jamaica" or "inefop" instead of pressing the button. A message that is nothing but a
country's name (while no country is known) or an institution's acronym or name (while
none is chosen) is taken as that button; anything else is a question, as ever."""

from __future__ import annotations

import html
import logging

from telegram import Update

from bot.core.enums import Role
from bot.core.i18n import LANGUAGES, country_name
from bot.core.text import fold_words
from bot.render.members import institution_label
from handlers.common import Context, in_private_chat, reply
from handlers.onboarding.members import claim, claim_note, save_member
from handlers.onboarding.questions import ask_institution, offered_countries
from handlers.onboarding.wizard import continue_wizard
from storage import institutions as inst_store
from storage.models import Institution

log = logging.getLogger(__name__)
LONGEST = 80  # characters: a name, not a question


async def typed_pick(update: Update, ctx: Context) -> bool:
    """Whether the message answered the onboarding question waiting for a button."""
    message = update.effective_message
    if message is None or not message.text or not in_private_chat(update):
        return False
    member = await ctx.load_member(update)
    if member.onboarded or Role(member.role) is not Role.member or len(message.text) > LONGEST:
        return False
    typed = fold_words(message.text.strip(" .!¡¿?"))
    if not member.country:
        return await _typed_country(update, ctx, typed)
    if not member.institution_id:
        return await _typed_institution(update, ctx, typed, member.country)
    return False


async def _typed_country(update: Update, ctx: Context, typed: str) -> bool:
    for code in sorted(await offered_countries(ctx, "ob")):
        names = {fold_words(country_name(code, language)) for language in LANGUAGES}
        if typed in names | {code.lower()}:
            log.info("user %s typed the country %s", ctx.member.user_id, code)
            await save_member(ctx, country=code)
            name = country_name(code, ctx.tr.language)
            await reply(update, ctx, ctx.tr("Country: {country}", country=html.escape(name)))
            await ask_institution(update, ctx, "ob", code)
            return True
    return False


async def _typed_institution(update: Update, ctx: Context, typed: str, country: str) -> bool:
    found = [
        institution
        for institution in await inst_store.list_institutions(ctx.svc.db, country)
        if typed in _names(institution)
    ]
    if len(found) != 1:  # none, or two of the same name: the buttons decide
        return False
    institution = found[0]
    log.info("user %s typed the institution %s", ctx.member.user_id, institution.id)
    updated = await claim(ctx, institution)
    label = html.escape(institution_label(institution, ctx.tr.language))
    text = ctx.tr("Institution: {institution}", institution=label)
    await reply(update, ctx, text + claim_note(ctx, updated))
    await continue_wizard(update, ctx, "ob", institution)
    return True


def _names(institution: Institution) -> set[str]:
    names = {fold_words(institution.acronym), fold_words(institution.id)}
    return names | {fold_words(name) for name in (institution.name or {}).values()}
