"""Members and events: the RSVP buttons, the .ics file, /myevents and /reminders on|off."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import TelegramError

from bot.app.context import BotContext
from bot.core.enums import EventStatus, RsvpStatus
from bot.core.i18n import N_, zone_name
from bot.render.callbacks.events import CalendarPressed, RsvpPressed
from bot.render.cards import event_lines, gets_join_links
from bot.render.ics import event_to_ics
from bot.render.notices import rsvp_label
from handlers.common import answer_query, in_private_chat, refuse_button, reply
from storage import catalog
from storage import members as member_store
from storage import reminders as store
from storage.models import Event, Rsvp
from storage.visibility import sees_event

log = logging.getLogger(__name__)

REMINDERS_ON = ("on", "si", "sí", "sim")
REMINDERS_OFF = ("off", "no", "não", "nao")


def _noted(status: RsvpStatus, ctx: BotContext) -> str:
    """What the member reads after pressing the button of ``status`` (none: mute)."""
    tr = ctx.tr
    return {
        RsvpStatus.yes: tr("✅ Noted: you will attend."),
        RsvpStatus.maybe: tr("🤔 Noted: maybe."),
        RsvpStatus.no: tr("Noted: you can't attend. No more reminders for this event."),
        RsvpStatus.none: tr("🔕 No more reminders for this event."),
    }[status]


def _closed_for_answers(event: Event, now: datetime, ctx: BotContext) -> str | None:
    """Why nobody can say they will attend any more (None: they can); also for a forged or
    old button of a cancelled or finished event."""
    if event.status == EventStatus.cancelled:
        return ctx.tr("⚠️ This event was cancelled.")
    if now >= event.ends_at:
        return ctx.tr("This event is over: you can no longer answer for it.")
    return None


async def rsvp_button(update: Update, ctx: BotContext) -> None:
    """Will attend, maybe, can't (each unmutes), or mute this event."""
    await ctx.load_member(update)
    data = RsvpPressed.parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed rsvp data")
        return
    svc, status = ctx.svc, data.answer.status
    event = await catalog.get_event(svc.db, data.event_id)
    if event is not None and not await sees_event(svc.db, ctx.member, event):
        log.warning(
            "refused rsvp of user %s to event %s (outside its audience %s)",
            ctx.member.user_id,
            event.id,
            event.audience,
        )
        text = ctx.tr("Sorry, this event is for another audience: you cannot answer for it.")
        await answer_query(update, text, alert=True)
        return
    if event is not None and status is not RsvpStatus.none:
        closed = _closed_for_answers(event, svc.now(), ctx)
        if closed is not None:
            log.warning(
                "refused rsvp of user %s to event %s (%s)", ctx.member.user_id, event.id, closed
            )
            await answer_query(update, closed, alert=True)
            return
    if status is RsvpStatus.none:
        done = await store.set_rsvp(
            svc.db, data.event_id, ctx.member.user_id, muted=True, now=svc.now()
        )
    else:
        done = await store.set_rsvp(
            svc.db,
            data.event_id,
            ctx.member.user_id,
            status=status.value,
            muted=False,
            now=svc.now(),
        )
    if done is None:
        await refuse_button(update, ctx, "rsvp for an event that is gone")
        return
    await answer_query(update, _noted(status, ctx))
    await _mark_answer(update, ctx, done)


async def _mark_answer(update: Update, ctx: BotContext, given: Rsvp) -> None:
    """The pressed card or reminder shows the answer on its button (🔘), so the member
    sees later what they said; its other buttons stay as they are. A message that cannot
    be edited any more keeps its old marks: the answer is saved all the same."""
    query = update.callback_query
    message = query.message if query is not None else None
    markup = message.reply_markup if isinstance(message, Message) else None
    if query is None or markup is None:
        return
    rows = [[_marked(button, given) for button in row] for row in markup.inline_keyboard]
    if rows == [list(row) for row in markup.inline_keyboard]:
        return
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))
    except TelegramError as exc:
        log.info("rsvp of user %s: buttons not updated (%s)", ctx.member.user_id, exc)


def _marked(button: InlineKeyboardButton, given: Rsvp) -> InlineKeyboardButton:
    data = button.callback_data
    pressed = RsvpPressed.parse(data) if isinstance(data, str) else None
    if pressed is None or pressed.event_id != given.event_id:
        return button
    label = rsvp_label(button.text, pressed.answer, given)
    return button if label == button.text else InlineKeyboardButton(label, callback_data=data)


ADD_ICS = N_("Open the file to add the event to your calendar.")
CANCELLED_ICS = N_("This event was cancelled: open the file to take it off your calendar.")


async def ics_button(update: Update, ctx: BotContext) -> None:
    """The event as an .ics file; the join link only for registered members inside the
    event's audience (a forged button of an outsider gets the public file). Sent to the
    private chat of the update: the buttons are not shown in groups."""
    member = await ctx.load_member(update)
    data = CalendarPressed.parse(update.callback_query.data if update.callback_query else None)
    svc = ctx.svc
    event = await catalog.get_event(svc.db, data.event_id) if data is not None else None
    if event is None:
        await refuse_button(update, ctx, "unknown event for ics")
        return
    await answer_query(update)
    visible = await sees_event(svc.db, member, event)
    payload = event_to_ics(
        event,
        member.language,
        svc.now(),
        include_link=gets_join_links(member) and visible and in_private_chat(update),
        default_language=svc.settings.default_language,
    )
    chat = update.effective_chat
    assert chat is not None
    await ctx.bot.send_document(
        chat.id,
        InputFile(payload, filename=f"{event.id}.ics", attach=True),
        caption=ctx.tr(CANCELLED_ICS if event.status == EventStatus.cancelled else ADD_ICS),
    )


async def myevents_command(update: Update, ctx: BotContext) -> None:
    member = await ctx.load_member(update)
    tr = ctx.tr
    rows = await store.my_events(ctx.svc.db, member.user_id, ctx.svc.now())
    if not rows:
        text = tr(
            "You have not said you will attend any upcoming event. See /events and press "
            "“I'll attend”."
        )
        await reply(update, ctx, text)
        return
    blocks = [
        tr(
            "<b>Your events</b> (times in {zone})",
            zone=html.escape(zone_name(member.timezone, member.language)),
        )
    ]
    for event, rsvp in rows:
        cancelled = event.status == EventStatus.cancelled
        mark = "❌" if cancelled else "✅" if rsvp.status == RsvpStatus.yes else "🤔"
        muted = " 🔕" if rsvp.muted else ""
        title = html.escape(ctx.pick(event.title))
        lines = [tr("⚠️ This event was cancelled.")] if cancelled else []
        lines += event_lines(event, member, tr)
        blocks.append(
            f"{mark} <b>{'<s>' + title + '</s>' if cancelled else title}</b>{muted}\n   "
            + "\n   ".join(lines)
            + f"\n   /event {event.id}"
        )
    await reply(update, ctx, "\n\n".join(blocks))


async def reminders_command(update: Update, ctx: BotContext) -> None:
    member = await ctx.load_member(update)
    tr = ctx.tr
    wanted = (ctx.args or [""])[0].lower()
    if wanted in REMINDERS_ON + REMINDERS_OFF:
        enabled = wanted in REMINDERS_ON
        await member_store.update_member(ctx.svc.db, member.user_id, reminders_enabled=enabled)
        text = (
            tr("Event reminders are on.")
            if enabled
            else tr("Event reminders are off. /reminders on turns them back on.")
        )
        await reply(update, ctx, text)
        return
    state = tr("on") if member.reminders_enabled else tr("off")
    await reply(
        update,
        ctx,
        tr("Event reminders: {state}. Use /reminders on or /reminders off.", state=state),
    )
