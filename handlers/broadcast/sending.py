"""Sending: the preview, now or at a typed time, and cancelling a scheduled announcement."""

from __future__ import annotations

from telegram import Update

from bot.core.enums import BroadcastStatus
from bot.core.i18n import Translator, format_local_datetime, zone_name
from bot.core.outbound import Button
from bot.core.timeparse import example_moment, natural_moment
from bot.messaging.broadcast_progress import post_progress
from bot.messaging.compose import split_html
from bot.render.broadcasts import preview_text, snippet
from bot.render.callbacks.broadcast import StopBroadcast, StopConfirmed
from handlers.broadcast.audience import show_audience
from handlers.broadcast.draft import (
    BROADCAST_FLOW,
    BroadcastDraft,
    Step,
    action_button,
    broadcast_id,
    cancel_button,
)
from handlers.common import (
    Context,
    answer_query,
    display_name,
    edit_or_reply,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from storage import broadcasts as store
from storage.models import Broadcast, Role


@BROADCAST_FLOW.on_message(Step.schedule)
async def take_schedule(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    message = update.effective_message
    assert message is not None
    zone = ctx.member.timezone
    try:
        when = natural_moment(message.text or "", ctx.svc.now(), zone)
    except ValueError:  # the clocks skip or repeat that hour there
        when = None
    if when is None:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I could not read that time. Write it as {example} "
                "(your time zone: {zone}). Times that do not exist or happen twice "
                "because of a clock change are refused.",
                example=example_moment(ctx.svc.now(), zone, ctx.tr.locale),
                zone=zone_name(zone, ctx.tr.language),
            ),
        )
        return
    if when <= ctx.svc.now():
        await reply(update, ctx, ctx.tr("That time has already passed. Choose a later one."))
        return
    draft.scheduled_at = when.isoformat()
    draft.step = Step.preview
    await BROADCAST_FLOW.save(ctx, draft)
    await send_or_schedule(update, ctx, draft)


async def show_preview(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    """The summary, the text as a member will read it, and "Send it?"."""
    svc, tr = ctx.svc, ctx.tr
    recipients = await store.count_recipients(svc.db, draft.audience)
    if recipients.total == 0:
        draft.step = Step.audience
        await BROADCAST_FLOW.save(ctx, draft)
        await edit_or_reply(update, ctx, tr("Nobody matches this audience. Choose another one."))
        await show_audience(update, ctx, draft, edit=False)
        return
    default = svc.settings.default_language
    summary = preview_text(draft.texts, draft.audience, recipients, default, tr)
    await edit_or_reply(update, ctx, summary)
    _, text = store.text_for(draft.texts, ctx.member.language, default)
    for part in split_html(text) if text else []:
        await reply(update, ctx, part)
    buttons = [
        [action_button(tr("✅ Send now"), "send"), action_button(tr("🕒 Schedule"), "schedule")],
        [action_button(tr("Change audience"), "audience"), cancel_button(ctx)],
    ]
    await reply(update, ctx, tr("Send it?"), buttons=buttons)


async def send_or_schedule(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    svc, member = ctx.svc, ctx.member
    chat = update.effective_chat
    assert chat is not None
    scheduled = draft.scheduled()
    broadcast = await store.create_broadcast(
        svc.db,
        created_by=member.user_id,
        actor_name=display_name(member),
        texts=draft.texts or {svc.settings.default_language: ""},
        audience=draft.audience,
        now=svc.now(),
        default_language=svc.settings.default_language,
        split=split_html,
        attachment=draft.attachment_value(),
        scheduled_at=scheduled,
        progress_chat_id=chat.id,
    )
    await BROADCAST_FLOW.drop(ctx)
    if broadcast.status == BroadcastStatus.scheduled and scheduled is not None:
        when = format_local_datetime(scheduled, member.timezone, member.language)
        stop = StopBroadcast(broadcast_id(broadcast)).pack()
        await reply(
            update,
            ctx,
            ctx.tr("Scheduled announcement #{id} for {when}.", id=broadcast.id, when=when),
            buttons=[[Button(ctx.tr("Cancel this announcement"), data=stop)]],
        )
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    # edited from now on by the progress job (bot.jobs.broadcasts)
    await post_progress(
        ctx.bot,
        svc.db,
        broadcast,
        ctx.tr,
        webapp_url=svc.settings.webapp_url,
        shown=svc.progress_shown,
    )


def cannot_cancel_text(found: Broadcast | None, number: int, tr: Translator) -> str:
    """Why an announcement cannot be cancelled: already cancelled, or already sent."""
    if found is not None and found.status == BroadcastStatus.cancelled:
        return tr("Announcement #{id} was already cancelled.", id=number)
    return tr("Announcement #{id} cannot be cancelled any more.", id=number)


@requires_role(Role.organizer)
async def stop_button(update: Update, ctx: Context) -> None:
    """``bcx:<id>``: ask before cancelling a scheduled announcement."""
    data = pressed(update, StopBroadcast)
    if data is None or data.broadcast_id <= 0:
        await refuse_button(update, ctx, "bad broadcast id")
        return
    await answer_query(update)
    tr, number = ctx.tr, data.broadcast_id
    found = await store.get_broadcast(ctx.svc.db, number)
    if found is None or found.status not in (BroadcastStatus.scheduled, BroadcastStatus.sending):
        await reply(update, ctx, cannot_cancel_text(found, number, tr))
        return
    words = snippet(found.texts or {}, tr.language, ctx.svc.settings.default_language)
    text = tr("Cancel announcement #{id}?", id=number)
    rows = [
        [
            Button(tr("Yes, cancel it"), data=StopConfirmed(number, True).pack()),
            Button(tr("No, keep it scheduled"), data=StopConfirmed(number, False).pack()),
        ]
    ]
    await edit_or_reply(update, ctx, text + (f"\n“{words}”" if words else ""), buttons=rows)


@requires_role(Role.organizer)
async def stop_confirmed(update: Update, ctx: Context) -> None:
    """``bcy:<id>:<1|0>``: cancel the scheduled announcement (or the unsent rest), or keep it."""
    data = pressed(update, StopConfirmed)
    if data is None or data.broadcast_id <= 0:
        await refuse_button(update, ctx, "bad broadcast id")
        return
    await answer_query(update)
    if not data.cancel:
        text = ctx.tr("Announcement #{id} stays scheduled.", id=data.broadcast_id)
        await edit_or_reply(update, ctx, text)
        return
    member = ctx.member
    cancelled = await store.cancel_broadcast(
        ctx.svc.db,
        data.broadcast_id,
        actor_id=member.user_id,
        actor_name=display_name(member),
        now=ctx.svc.now(),
    )
    if cancelled is None:
        found = await store.get_broadcast(ctx.svc.db, data.broadcast_id)
        await reply(update, ctx, cannot_cancel_text(found, data.broadcast_id, ctx.tr))
        return
    await edit_or_reply(update, ctx, ctx.tr("Announcement #{id} cancelled.", id=data.broadcast_id))
