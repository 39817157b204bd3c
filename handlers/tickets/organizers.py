"""Organizers' buttons and commands for tickets: Answer (then type), Not for us, Make FAQ,
Reopen, ``/inbox`` (this group becomes the inbox) and ``/faq ID LANG question | answer``."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Update

from bot.core.enums import Role, TicketStatus
from bot.core.i18n import N_, Translator
from bot.render.callbacks.tickets import TicketAction
from bot.render.commands import CommandSpec, register_command
from bot.render.tickets import dismissed_message
from handlers.common import (
    Context,
    answer_query,
    command_args,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from handlers.flows import Draft, Flow
from handlers.tickets.faq import make_faq
from handlers.tickets.inbox import (
    answer_markup,
    open_private_prompt,
    refresh_posts,
    refused_answer,
    send_answer,
)
from storage import erasure, learning
from storage import tickets as store
from storage.members import get_member
from storage.models import Ticket

log = logging.getLogger(__name__)
LANGUAGES = ("es", "pt", "en")

register_command(
    CommandSpec("inbox", N_("Make this group the organizers' inbox for questions"), Role.organizer)
)
register_command(
    CommandSpec("faq", N_("Add a language to an FAQ entry made from a question"), Role.organizer)
)


@dataclass
class AnswerDraft(Draft):
    step: str = "text"
    ticket_id: int = 0


ANSWER_FLOW = Flow("ticket_answer", AnswerDraft, role=Role.organizer, label=N_("the answer"))


@ANSWER_FLOW.on_message("text")
async def take_answer(update: Update, ctx: Context, draft: AnswerDraft) -> None:
    message = update.effective_message
    if message is None or not message.text:
        await reply(
            update,
            ctx,
            ctx.tr("Type your answer to question #{id} (or /cancel).", id=draft.ticket_id),
        )
        return
    markup = answer_markup(message)
    if await refused_answer(update, ctx, markup):
        return  # the draft stays: the organizer sends the answer again
    await ANSWER_FLOW.drop(ctx)
    await send_answer(update, ctx, draft.ticket_id, markup)


@requires_role(Role.organizer, in_groups=True)
async def action_pressed(update: Update, ctx: Context) -> None:
    """``tk:do:<action>:<id>`` under a ticket in the inbox."""
    data = pressed(update, TicketAction)
    ticket = await store.get_ticket(ctx.svc.db, data.ticket_id) if data else None
    if data is None or ticket is None or ticket.id is None:
        await refuse_button(update, ctx, "ticket button for no ticket")
        return
    svc, tr = ctx.svc, ctx.tr
    if data.action == "answer":
        if ticket.status == TicketStatus.closed:
            await answer_query(
                update, tr("This question is closed: reopen it first to answer."), alert=True
            )
            return
        await ANSWER_FLOW.save(ctx, AnswerDraft(ticket_id=ticket.id))
        if await open_private_prompt(ctx, ticket):
            await answer_query(update)
        else:
            await ANSWER_FLOW.drop(ctx)
            text = tr("Reply to the question's message to answer it.")
            await answer_query(update, text, alert=True)
        return
    if data.action == "faq":
        await make_faq(update, ctx, ticket.id)
        return
    change = (
        await store.close_ticket(svc.db, ticket.id, svc.now())
        if data.action == "dismiss"
        else await store.reopen_ticket(svc.db, ticket.id, svc.now())
    )
    await answer_query(
        update, tr("Saved.") if change.done else tr("This button is no longer valid.")
    )
    if change.done and data.action == "dismiss" and ticket.status == TicketStatus.open:
        await tell_dismissed(ctx, change.ticket)  # unanswered: the member is not left waiting
    if change.done:
        await refresh_posts(svc, ctx.bot, ticket.id)


async def tell_dismissed(ctx: Context, ticket: Ticket | None) -> None:
    """Queue the member's note that this question will not be answered here (not to a
    member who erased their data, opted out or blocked the bot)."""
    svc = ctx.svc
    if ticket is None or ticket.erased or ticket.member_id is None:
        return
    member = await get_member(svc.db, ticket.member_id)
    if member is None or member.opted_out or member.blocked:
        return
    if await erasure.is_erased(svc.db, ticket.member_id):
        return
    message = dismissed_message(ticket, Translator(ticket.language))
    queued = await store.queue_dismissal(svc.db, ticket, message.to_payload(), svc.now())
    if queued and svc.delivery is not None:
        svc.delivery.wake()


@requires_role(Role.organizer, in_groups=True)
async def inbox_command(update: Update, ctx: Context) -> None:
    """/inbox in a group: it becomes the inbox. /inbox off: back to private chats."""
    chat, svc, tr = update.effective_chat, ctx.svc, ctx.tr
    assert chat is not None
    off = command_args(ctx)[:1] == ["off"]
    if chat.type == "private" or off:
        await store.set_inbox(svc.db, None, svc.now())
        await reply(update, ctx, tr("Questions now go to each organizer's private chat."))
        return
    forum = bool(getattr(chat, "is_forum", False))
    await store.set_inbox(svc.db, store.Inbox(chat.id, forum, chat.title or ""), svc.now())
    log.info("chat %s is the organizers' inbox (forum: %s)", chat.id, forum)
    if forum:
        text = tr(
            "This group is now the organizers' inbox: each question gets a topic; "
            "write in it to answer."
        )
    else:
        text = tr(
            "This group is now the organizers' inbox: reply to a question's message to answer it."
        )
    await reply(update, ctx, text)


@requires_role(Role.organizer)
async def faq_command(update: Update, ctx: Context) -> None:
    """/faq ID LANG question | answer: one more language of a learned FAQ entry."""
    tr, svc = ctx.tr, ctx.svc
    message = update.effective_message
    raw = (message.text or "") if message is not None else ""
    parts = raw.split(maxsplit=3)
    usage = tr("Usage: /faq ID LANG question | answer")
    if len(parts) < 4 or parts[2] not in LANGUAGES or "|" not in parts[3]:
        await reply(update, ctx, usage)
        return
    question, answer = (p.strip() for p in parts[3].split("|", 1))
    if not question or not answer:
        await reply(update, ctx, usage)
        return
    faq = await learning.set_faq_language(svc.db, parts[1], parts[2], question, answer, svc.now())
    if faq is None:
        await reply(update, ctx, usage)
        return
    await reply(update, ctx, tr("Saved.") + f" <code>{html.escape(faq.id)}</code> · {parts[2]}")
