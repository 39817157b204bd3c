"""The member's side of tickets: the hand-off button, typing a question after "not
helpful", feedback on automatic answers, and writing back to an organizer's answer."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Update

from bot.core.i18n import N_
from bot.core.outbound import Button
from bot.render.callbacks.tickets import AskOrganizers, Feedback, NeverMind, TypeQuestion
from bot.render.members import institution_label
from bot.render.tickets import sent_note
from handlers.common import Context, answer_query, pressed, refuse_button, reply
from handlers.flows import Draft, Flow
from handlers.tickets.inbox import on_inbox_message, post_ticket, refresh_posts, tell_posts
from storage import learning
from storage import questions as question_store
from storage import tickets as store
from storage.institutions import get_institution
from storage.models import Member

log = logging.getLogger(__name__)


@dataclass
class QuestionDraft(Draft):
    step: str = "question"


HANDOFF = Flow("ticket_question", QuestionDraft, label=N_("the question"))


def handoff_button(question_id: int, tr_text: str) -> Button:
    return Button(tr_text, data=AskOrganizers(question_id).pack())


async def _institution(ctx: Context, member: Member) -> str:
    if member.institution_id:
        found = await get_institution(ctx.svc.db, member.institution_id)
        if found is not None:
            return institution_label(found, ctx.svc.settings.default_language)
    return member.institution_other or ""


async def open_and_post(update: Update, ctx: Context, question: str) -> None:
    """Make the ticket (within the daily limit), post it to the inbox, tell the member.
    A question already sent and still open is not sent twice: a pressed button gets a
    pop-up saying so, a typed question a short reply."""
    member, tr, svc = ctx.member, ctx.tr, ctx.svc
    already = await store.open_ticket_of(svc.db, member.user_id, question)
    if already is not None and already.id is not None:
        text = tr("Already sent to the organizers (question #{id}).", id=already.id)
        if update.callback_query is not None:
            await answer_query(update, text, alert=True)
        else:
            await reply(update, ctx, text)
        return
    await answer_query(update)
    name = " ".join(p for p in (member.first_name, member.last_name) if p)
    if member.username:
        name += f" (@{member.username})"
    ticket = await store.open_ticket(
        svc.db,
        member,
        question,
        institution=await _institution(ctx, member),
        name=name.strip(),
        now=svc.now(),
    )
    if ticket is None or ticket.id is None:
        text = tr(
            "You have sent {limit} questions to the organizers today. Please wait for "
            "their answers, or ask again tomorrow.",
            limit=store.DAILY_LIMIT,
        )
        await reply(update, ctx, text)
        return
    posted = await post_ticket(ctx, ticket)
    log.info("ticket %s opened (%d inbox messages queued)", ticket.id, posted)
    await reply(update, ctx, sent_note(ticket.id, tr))


async def ask_pressed(update: Update, ctx: Context) -> None:
    """``tk:ask:<id>``: the unanswered question this member asked goes to the organizers."""
    data = pressed(update, AskOrganizers)
    member = await ctx.load_member(update)
    row = None
    if data is not None:
        row = await question_store.asked_by(ctx.svc.db, data.question_id, member.user_id)
    if row is None:
        await refuse_button(update, ctx, "hand-off of a question not theirs")
        return
    await open_and_post(update, ctx, row.text)


async def type_pressed(update: Update, ctx: Context) -> None:
    if pressed(update, TypeQuestion) is None:
        await refuse_button(update, ctx)
        return
    await ctx.load_member(update)
    await answer_query(update)
    await HANDOFF.save(ctx, QuestionDraft())
    text = ctx.tr("Type your question in one message and I will pass it on to the organizers.")
    await reply(
        update, ctx, text, buttons=[[Button(ctx.tr("Never mind"), data=NeverMind().pack())]]
    )


@HANDOFF.on_message("question")
async def take_question(update: Update, ctx: Context, draft: QuestionDraft) -> None:
    message = update.effective_message
    if message is None or not message.text:
        await reply(
            update,
            ctx,
            ctx.tr("Type your question in one message and I will pass it on to the organizers."),
        )
        return
    await HANDOFF.drop(ctx)
    await open_and_post(update, ctx, message.text)


async def never_mind(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    await HANDOFF.drop(ctx)
    await answer_query(update)
    await reply(update, ctx, ctx.tr("Cancelled. Nothing was sent."))


async def feedback_pressed(update: Update, ctx: Context) -> None:
    """``tk:fb:...``: a vote on an automatic answer; "not helpful" offers the hand-off."""
    data = pressed(update, Feedback)
    if data is None:
        await refuse_button(update, ctx, "malformed feedback button")
        return
    member, svc = await ctx.load_member(update), ctx.svc
    await learning.record_feedback(
        svc.db,
        member.user_id,
        data.kind.name,
        data.record_id,
        data.intent.name,
        data.helpful,
        svc.now(),
    )
    if data.helpful:
        await answer_query(update, ctx.tr("Thanks for telling me."))
        return
    await answer_query(update)
    text = ctx.tr("Sorry that did not help. A person can answer instead:")
    button = Button(ctx.tr("🙋 Ask the organizers"), data=TypeQuestion().pack())
    await reply(update, ctx, text, buttons=[[button]])


async def on_reply(update: Update, ctx: Context) -> bool:
    """A private reply about a ticket: the member writing back to an answer, or an
    organizer answering a ticket posted in their private chat. True when it was one."""
    message = update.effective_message
    if message is None or message.reply_to_message is None or not message.text:
        return False
    if await on_inbox_message(update, ctx):
        return True
    svc = ctx.svc
    ticket = await store.ticket_of_answer(
        svc.db, message.chat.id, message.reply_to_message.message_id
    )
    if ticket is None or ticket.id is None or ticket.member_id != ctx.member.user_id:
        return False
    change = await store.member_wrote(svc.db, ticket.id, message.text, svc.now())
    if not change.done:
        await reply(
            update,
            ctx,
            ctx.tr(
                "This conversation is closed. Ask your question again and I will pass it "
                "on if I cannot answer it."
            ),
        )
        return True
    text, revision = message.text, change.ticket.revision if change.ticket else 0
    await refresh_posts(svc, ctx.bot, ticket.id)
    await tell_posts(
        svc,
        ticket.id,
        f"wrote:{revision}",
        lambda tr: tr("The member wrote back:") + " " + _escape(text),
    )
    await reply(update, ctx, ctx.tr("Sent: the organizers will read it."))
    return True


def _escape(text: str) -> str:
    return html.escape(text[:3000])
