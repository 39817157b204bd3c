"""What a member says about themselves: saving it, institution claims, the settings card."""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import Update

from bot.core.i18n import Translator
from bot.messaging.menus import set_chat_menu
from bot.render.members import settings_buttons, settings_card
from bot.render.memberships import claim_notice
from bot.render.people import as_claimed
from handlers.common import Context, show_screen
from storage import audit as audit_store
from storage import institutions as inst_store
from storage import members as member_store
from storage import memberships as membership_store
from storage.models import Institution, Member, Role

log = logging.getLogger(__name__)


async def settings_text(member: Member, tr: Translator, ctx: Context) -> str:
    institution = tr("not chosen")
    if member.institution_id:
        found = await inst_store.get_institution(ctx.svc.db, member.institution_id)
        if found is not None:
            institution = as_claimed(found.acronym, member, tr)
    elif member.institution_other:
        institution = member.institution_other
    return settings_card(member, institution, ctx.svc.now(), tr)


async def show_settings(update: Update, ctx: Context, member: Member, edit: bool) -> None:
    tr = Translator(member.language)
    text = await settings_text(member, tr, ctx)
    await show_screen(update, ctx, text, buttons=settings_buttons(member, tr), edit=edit)


async def save_member(ctx: Context, **fields: Any) -> Member:
    """Save fields of the member of this update and keep the result for later handlers."""
    updated = await member_store.update_member(ctx.svc.db, ctx.member.user_id, **fields)
    assert updated is not None
    ctx.remember(updated)
    if "language" in fields and updated.role != Role.member:  # their menu follows
        await set_chat_menu(ctx.bot, updated.chat_id, Role(updated.role), updated.language)
    return updated


async def audit_unknown_claim(ctx: Context, typed: str) -> None:
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


async def dropped_note(ctx: Context, before: str | None, member: Member) -> str:
    """A confirmed focal point who chose another institution (or none) is told that the
    confirmation is gone, not left to find out."""
    if before is None or member.verified_institution_id == before:
        return ""
    old = await inst_store.get_institution(ctx.svc.db, before)
    label = html.escape(old.acronym if old is not None else before)
    return "\n" + ctx.tr(
        "You are no longer the confirmed focal point of {institution}.", institution=label
    )


def claim_note(ctx: Context, member: Member) -> str:
    """What a claim means, unless the member is already confirmed for it."""
    if member.institution_id is None or member.verified_institution_id == member.institution_id:
        return ""
    return "\n" + ctx.tr(
        "An organizer will confirm that you speak for it; until then you answer surveys as "
        "yourself. If your institution sent you an invitation link, open it to be confirmed "
        "at once."
    )
