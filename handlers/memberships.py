"""Who speaks for an institution: /pending (claims to confirm or reject), /invite (an
institution's invitation link and QR code) and ``/start inv-<code>`` (arriving through one).

Every permission is checked on the server, every refusal is polite, logged and written to
the audit log; the decisions themselves are single conditional updates in
``storage.memberships``, so a second organizer pressing Confirm learns who was first.
"""

from __future__ import annotations

import html
import io
import logging
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.i18n import N_, format_local_datetime
from bot.core.outbound import Button
from bot.render.callbacks.memberships import (
    ClaimDecision,
    ConfirmAll,
    PendingPage,
    RevokeInvite,
    institution_tag,
)
from bot.render.commands import CommandSpec, register_command
from bot.render.members import institution_label
from bot.render.memberships import PAGE, decision_notice, pending_page, person
from handlers import onboarding
from handlers.common import (
    Context,
    answer_query,
    button_data,
    display_name,
    edit_or_reply,
    keyboard,
    pressed,
    refuse_button,
    reply,
)
from storage import audit as audit_store
from storage import institutions as inst_store
from storage import memberships as store
from storage.members import get_member
from storage.models import Institution, Role

log = logging.getLogger(__name__)
INVITE_PREFIX = "inv-"
register_command(CommandSpec("pending", N_("Claims to confirm"), Role.organizer))
register_command(
    CommandSpec("invite", N_("Invitation link of an institution"), Role.organizer, "INSTITUTION")
)


# ---------------------------------------------------------------- refusals
async def refuse(update: Update, ctx: Context, text: str, action: str, **details: Any) -> None:
    """Tell the person politely, and keep the refusal in the log and the audit log."""
    member = ctx.member
    log.warning("refused %s for user %s: %s", action, member.user_id, details)
    await audit_store.record(
        ctx.svc.db,
        actor_id=member.user_id,
        actor_name=display_name(member)[:200],
        action=f"refused {action}"[:40],
        details={k: str(v)[:200] for k, v in details.items()} or None,
    )
    if update.callback_query is not None:
        await answer_query(update, text, alert=True)
    else:
        await reply(update, ctx, text)


async def allowed(
    update: Update, ctx: Context, action: str, *, admin: bool = False, **details: Any
) -> bool:
    """Whether the member is an organizer (or an admin, with ``admin``); refuses if not."""
    member = await ctx.load_member(update)
    needed = Role.admin if admin else Role.organizer
    if Role(member.role).rank >= needed.rank:
        return True
    text = (
        ctx.tr("Sorry, only admins can do that.")
        if admin
        else ctx.tr("Sorry, only organizers and admins can do that.")
    )
    await refuse(update, ctx, text, action, role=member.role, **details)
    return False


def actor(ctx: Context) -> store.Actor:
    return store.Actor(ctx.member.user_id, display_name(ctx.member))


# ---------------------------------------------------------------- /pending
async def pending_command(update: Update, ctx: Context) -> None:
    if not await allowed(update, ctx, "pending"):
        return
    text, rows = await _page(ctx, 0)
    await reply(update, ctx, text, buttons=rows)


async def _page(ctx: Context, page: int) -> tuple[str, list[list[Button]]]:
    claims, total = await store.pending_claims(ctx.svc.db, offset=page * PAGE, limit=PAGE)
    if not claims and page > 0 and total:  # the page emptied: show the last one
        page = (total - 1) // PAGE
        claims, total = await store.pending_claims(ctx.svc.db, offset=page * PAGE, limit=PAGE)
    admin = Role(ctx.member.role) is Role.admin
    return pending_page(claims, total, page, ctx.tr, zone=ctx.member.timezone, admin=admin)


async def page_button(update: Update, ctx: Context) -> None:
    if not await allowed(update, ctx, "pending"):  # first: forged data is audited too
        return
    data = pressed(update, PendingPage)
    if data is None:
        await refuse_button(update, ctx, "malformed pending page")
        return
    await answer_query(update)
    text, rows = await _page(ctx, data.page)
    await edit_or_reply(update, ctx, text, buttons=rows)


async def decision_button(update: Update, ctx: Context) -> None:
    """Confirm or Reject on a claim's notice or on a /pending page."""
    if not await allowed(update, ctx, "membership decision", data=button_data(update)):
        return
    data = pressed(update, ClaimDecision)
    if data is None:
        await refuse_button(update, ctx, "malformed claim decision")
        return
    claim = await store.membership_of(ctx.svc.db, data.member_id)
    if claim is None or institution_tag(claim.institution_id) != data.tag:
        await _settled(update, ctx, data, ctx.tr("This claim is no longer waiting for a decision."))
        return
    institution = await inst_store.get_institution(ctx.svc.db, claim.institution_id)
    notify = decision_notice(institution, data.confirm, ctx.svc.now()) if institution else None
    decision = await store.decide_safely(
        ctx.svc.db,
        data.member_id,
        claim.institution_id,
        actor(ctx),
        ctx.svc.now(),
        confirm=data.confirm,
        notify=notify,
    )
    await _settled(
        update, ctx, data, _decision_text(ctx, decision), done=decision.outcome == "done"
    )


def _decision_text(ctx: Context, decision: store.Decision) -> str:
    tr = ctx.tr
    if decision.outcome == "gone":
        return tr("This claim is no longer waiting for a decision.")
    by = html.escape(decision.by or "?")
    if decision.outcome == "already":
        if decision.status == store.CONFIRMED:
            return tr("This claim was already confirmed by {name}.", name=by)
        return tr("This claim was already rejected by {name}.", name=by)
    assert decision.member is not None and decision.institution is not None
    name = person(decision.member)
    label = html.escape(institution_label(decision.institution, tr.language))
    if decision.status == store.CONFIRMED:
        return tr(
            "Confirmed: {name} is a focal point of {institution}.", name=name, institution=label
        )
    return tr("Rejected: {name} does not speak for {institution}.", name=name, institution=label)


async def _settled(
    update: Update, ctx: Context, data: ClaimDecision, text: str, *, done: bool = False
) -> None:
    """Show the outcome: on a notice in place of it, on /pending as a toast over the page."""
    if not done:
        log.info("claim decision on %s by %s not applied: %s", data, ctx.member.user_id, text)
    if data.page is None:
        await answer_query(update)
        await edit_or_reply(update, ctx, text)
        return
    await answer_query(update, text, alert=not done)
    page_text, rows = await _page(ctx, data.page)
    await edit_or_reply(update, ctx, page_text, buttons=rows)


async def confirm_all_button(update: Update, ctx: Context) -> None:
    if not await allowed(update, ctx, "confirm all", admin=True):
        return
    if pressed(update, ConfirmAll) is None:
        await refuse_button(update, ctx, "malformed confirm all")
        return
    now = ctx.svc.now()
    count = await store.confirm_all(
        ctx.svc.db, actor(ctx), now, lambda institution: decision_notice(institution, True, now)
    )
    log.info("user %s confirmed %d claims at once", ctx.member.user_id, count)
    await answer_query(update, ctx.tr("Claims confirmed: {count}.", count=count))
    text, rows = await _page(ctx, 0)
    await edit_or_reply(update, ctx, text, buttons=rows)


# ---------------------------------------------------------------- /invite
async def invite_command(update: Update, ctx: Context) -> None:
    if not await allowed(update, ctx, "invite"):
        return
    args = list(ctx.args or [])
    revoking = len(args) > 1 and args[-1].lower() == "revoke"
    typed = " ".join(args[:-1] if revoking else args).strip()
    if not typed:
        await reply(
            update, ctx, ctx.tr("Usage: /invite INSTITUTION (or /invite INSTITUTION revoke)")
        )
        return
    institution = await _one_institution(update, ctx, typed)
    if institution is None:
        return
    if revoking:
        await _revoke(update, ctx, institution, None)
        return
    await _send_invite(update, ctx, institution)


async def _one_institution(update: Update, ctx: Context, typed: str) -> Institution | None:
    found = await inst_store.find_institutions(ctx.svc.db, typed)
    if len(found) == 1:
        return found[0]
    name = html.escape(typed[:60])
    if found:
        text = ctx.tr("Several institutions match “{name}”. Which one?", name=name)
        text += "\n" + ", ".join(html.escape(i.acronym) for i in found[:20])
    else:
        text = ctx.tr(
            "No institution is called “{name}”. Write its acronym, e.g. /invite SENAI.", name=name
        )
    await refuse(update, ctx, text, "invite", institution=typed[:60])
    return None


async def _send_invite(update: Update, ctx: Context, institution: Institution) -> None:
    days = ctx.svc.settings.invite_days
    made = await store.create_invite(
        ctx.svc.db, institution.id, ctx.member.user_id, ctx.svc.now(), days=days
    )
    assert made is not None  # the institution was just read
    code, invite = made
    assert invite.id is not None
    link = f"https://t.me/{ctx.bot.username}?start={INVITE_PREFIX}{code}"
    tr = ctx.tr
    label = html.escape(institution_label(institution, tr.language))
    until = format_local_datetime(invite.expires_at, ctx.member.timezone, tr.language, "short")
    caption = tr(
        "Invitation link of {institution}, valid until {date}: {link}\nWhoever opens it "
        "becomes a confirmed focal point of {institution}: share it only with them.",
        institution=label,
        date=until,
        link=html.escape(link),
    )
    import segno  # here, not at the top: a process that never invites never needs it

    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=6, border=2)
    log.info("user %s made invite %s of %s", ctx.member.user_id, invite.id, institution.id)
    chat = update.effective_chat
    assert chat is not None
    await ctx.bot.send_photo(
        chat.id,
        png.getvalue(),
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard([[Button(tr("Revoke"), data=RevokeInvite(invite.id).pack())]]),
    )


async def _revoke(
    update: Update, ctx: Context, institution: Institution, invite_id: int | None
) -> None:
    count = await store.revoke_invites(
        ctx.svc.db, institution.id, ctx.member.user_id, ctx.svc.now(), invite_id=invite_id
    )
    log.info("user %s revoked %d invites of %s", ctx.member.user_id, count, institution.id)
    label = html.escape(institution.acronym)
    text = ctx.tr(
        "Invitation links of {institution} withdrawn: {count}.", institution=label, count=count
    )
    await reply(update, ctx, text)


async def revoke_button(update: Update, ctx: Context) -> None:
    if not await allowed(update, ctx, "invite revoke", data=button_data(update)):
        return
    data = pressed(update, RevokeInvite)
    if data is None:
        await refuse_button(update, ctx, "malformed invite revoke")
        return
    invite = await store.get_invite(ctx.svc.db, data.invite_id)
    institution = None
    if invite is not None:
        institution = await inst_store.get_institution(ctx.svc.db, invite.institution_id)
    if invite is None or institution is None:
        await refuse_button(update, ctx, "unknown invite")
        return
    await answer_query(update)
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest as exc:
            log.info("could not remove the revoke button: %s", exc)
    await _revoke(update, ctx, institution, invite.id)


# ---------------------------------------------------------------- /start inv-<code>
async def invite_deep_link(update: Update, ctx: Context, payload: str) -> bool:
    """``/start inv-<code>``: the member becomes a confirmed focal point, or hears why not."""
    member = await ctx.load_member(update)
    code = payload[len(INVITE_PREFIX) :]
    result = await store.redeem_invite(ctx.svc.db, code, member.user_id, ctx.svc.now())
    tr = ctx.tr
    label = (
        html.escape(institution_label(result.institution, tr.language))
        if result.institution
        else ""
    )
    if result.outcome == "confirmed":
        assert result.institution is not None
        log.info("member %s joined %s by invitation", member.user_id, result.institution.id)
        fresh = await get_member(ctx.svc.db, member.user_id)
        assert fresh is not None
        ctx.remember(fresh)
        text = tr(
            "You are now a confirmed focal point of {institution}: you can answer its surveys.",
            institution=label,
        )
        await reply(update, ctx, text)
        if not fresh.onboarded:
            await onboarding.continue_wizard(update, ctx, "ob", result.institution)
        return True
    if result.outcome == "already":
        await reply(
            update,
            ctx,
            tr("You are already a confirmed focal point of {institution}.", institution=label),
        )
        return True
    await refuse(
        update, ctx, _redeem_refusal(ctx, result, label), "invite link", outcome=result.outcome
    )
    return True


def _redeem_refusal(ctx: Context, result: store.Redeemed, label: str) -> str:
    tr = ctx.tr
    if result.outcome == "expired":
        return tr("This invitation link has expired. Ask an organizer for a new one.")
    if result.outcome == "revoked":
        return tr("This invitation link was withdrawn. Ask an organizer for a new one.")
    if result.outcome == "elsewhere" and result.current is not None:
        return tr(
            "You are already a confirmed focal point of {current}; this link is for "
            "{institution}. If you have changed institution, ask an organizer.",
            current=html.escape(institution_label(result.current, tr.language)),
            institution=label,
        )
    return tr("This invitation link is not valid. Ask the person who sent it for a new one.")


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("pending", pending_command, filters=private))
    application.add_handler(CommandHandler("invite", invite_command, filters=private))
    for data, callback in (
        (ClaimDecision, decision_button),
        (PendingPage, page_button),
        (ConfirmAll, confirm_all_button),
        (RevokeInvite, revoke_button),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))
    onboarding.register_deep_link(INVITE_PREFIX, invite_deep_link)


__all__ = ["register"]
