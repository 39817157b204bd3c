"""The ``bc:<action>`` buttons that move the draft from step to step, and the steps each fits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.core.i18n import zone_name
from bot.core.timeparse import example_moment
from bot.render.callbacks.broadcast import BroadcastStep, StepAction
from handlers.broadcast.audience import show_audience
from handlers.broadcast.draft import BROADCAST_FLOW, BroadcastDraft, Step, load_for
from handlers.broadcast.sending import send_or_schedule, show_preview
from handlers.common import (
    Context,
    edit_or_reply,
    pressed,
    refuse_button,
    requires_role,
    take_buttons_off,
)
from storage.models import Role

ActionHandler = Callable[[Update, Context, BroadcastDraft], Awaitable[None]]


@requires_role(Role.organizer)
async def step_button(update: Update, ctx: Context) -> None:
    """``bc:<action>``: the buttons that move the draft from step to step."""
    data = pressed(update, BroadcastStep)
    if data is None:
        await refuse_button(update, ctx, "malformed broadcast data")
        return
    steps, action = STEP_ACTIONS[data.action]
    draft = await load_for(update, ctx, *steps)
    if draft is not None:
        await action(update, ctx, draft)


async def _cancel(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    await BROADCAST_FLOW.drop(ctx)
    await edit_or_reply(update, ctx, ctx.tr("Cancelled. Nothing was sent."))


async def _more(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.text
    await BROADCAST_FLOW.save(ctx, draft)
    await edit_or_reply(update, ctx, ctx.tr("Send the text in the other language."))


async def _to_audience(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.audience
    await BROADCAST_FLOW.save(ctx, draft)
    await show_audience(update, ctx, draft, edit=True)


async def _to_preview(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.preview
    await BROADCAST_FLOW.save(ctx, draft)
    await show_preview(update, ctx, draft)


async def _ask_schedule(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.schedule
    await BROADCAST_FLOW.save(ctx, draft)
    await edit_or_reply(
        update,
        ctx,
        ctx.tr(
            "When should it go? Write the date and time in your time zone ({zone}), "
            "for example {example}.",
            example=example_moment(ctx.svc.now(), ctx.member.timezone, ctx.tr.locale),
            zone=zone_name(ctx.member.timezone, ctx.tr.language),
        ),
    )


async def _send_now(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.scheduled_at = None
    query = update.callback_query
    if query is not None and query.message is not None:  # "Send it?" is answered
        await take_buttons_off(update, ctx, query.message.message_id)
    await send_or_schedule(update, ctx, draft)


# action -> (the steps it fits, what it does); no steps: any step
STEP_ACTIONS: dict[StepAction, tuple[tuple[Step, ...], ActionHandler]] = {
    "cancel": ((), _cancel),
    "more": ((Step.more,), _more),
    "audience": ((Step.more, Step.preview), _to_audience),
    "preview": ((Step.audience,), _to_preview),
    "send": ((Step.preview,), _send_now),
    "schedule": ((Step.preview,), _ask_schedule),
}
