"""The organizers' side of tickets: where they arrive (a registered group, one forum topic
per ticket, or each organizer's private chat), answering by a reply or by Answer and
typing, Not for us, Reopen, and telling the inbox when an answer could not be delivered."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.app.context import Services
from bot.core.enums import Role, TicketStatus
from bot.core.i18n import Translator
from bot.core.outbound import OutboundMessage
from bot.messaging.compose import check_text, composed_html, readable_text
from bot.messaging.markup import inline_markup
from bot.render.labels import shorten
from bot.render.refusals import text_refusal
from bot.render.tickets import answer_message, inbox_message, ticket_buttons, ticket_text
from handlers.common import Context, display_name, reply
from storage import erasure
from storage import tickets as store
from storage.members import get_member
from storage.models import Ticket

log = logging.getLogger(__name__)
TOPIC_NAME = 120  # Telegram allows 128 characters for a topic's name


async def say(update: Update, ctx: Context, text: str) -> None:
    """Reply where the organizer wrote: in a forum, in the ticket's topic."""
    message = update.effective_message
    if message is not None and message.is_topic_message and message.message_thread_id:
        try:
            await ctx.bot.send_message(
                message.chat.id,
                text,
                parse_mode=ParseMode.HTML,
                message_thread_id=message.message_thread_id,
            )
            return
        except TelegramError as exc:
            log.info("could not answer in the topic: %s", exc)
    await reply(update, ctx, text)


def is_organizer(ctx: Context) -> bool:
    return Role(ctx.member.role).rank >= Role.organizer.rank


async def _language_of_chat(svc: Services, chat_id: int) -> str:
    """Private inbox copies are in the organizer's language; a group's in the default."""
    member = await get_member(svc.db, chat_id) if chat_id > 0 else None
    return member.language if member is not None else svc.settings.default_language


async def _topic(bot: Any, chat_id: int, ticket: Ticket) -> int | None:
    """A new forum topic for the ticket; None when Telegram refused it."""
    name = shorten(f"#{ticket.id} {' '.join(ticket.question.split())}", TOPIC_NAME)
    try:
        return int((await bot.create_forum_topic(chat_id, name)).message_thread_id)
    except TelegramError as exc:
        log.warning("ticket %s: no topic in chat %s: %s", ticket.id, chat_id, exc)
        return None


async def post_ticket(ctx: Context, ticket: Ticket) -> int:
    """Queue a new ticket's inbox messages in the outbox (in a forum inbox, in a topic of
    its own, opened now); how many were queued."""
    svc = ctx.svc
    assert ticket.id is not None
    inbox = await store.get_inbox(svc.db)
    notes = await store.notes_of(svc.db, ticket.id)
    posts: list[store.PostDraft] = []
    if inbox is not None:
        language = svc.settings.default_language
        thread = await _topic(ctx.bot, inbox.chat_id, ticket) if inbox.forum else None
        if thread is not None or not inbox.forum:
            message = inbox_message(ticket, Translator(language), notes, thread)
            posts.append(store.PostDraft(inbox.chat_id, language, message.to_payload()))
    else:
        for organizer in await store.organizers(svc.db):
            message = inbox_message(ticket, Translator(organizer.language), notes)
            posts.append(
                store.PostDraft(
                    organizer.chat_id, organizer.language, message.to_payload(), organizer.user_id
                )
            )
    queued = await store.queue_posts(svc.db, ticket.id, posts, svc.now())
    if queued and svc.delivery is not None:
        svc.delivery.wake()
    return queued


async def refresh_posts(svc: Services, bot: Any, ticket_id: int) -> None:
    """Show the ticket's new state on every inbox message that stands for it."""
    ticket = await store.get_ticket(svc.db, ticket_id)
    if ticket is None:
        return
    notes = await store.notes_of(svc.db, ticket_id)
    for post in await store.posts_of(svc.db, ticket_id):
        tr = Translator(await _language_of_chat(svc, post.chat_id))
        try:
            await bot.edit_message_text(
                ticket_text(ticket, tr, notes),
                chat_id=post.chat_id,
                message_id=post.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=inline_markup(ticket_buttons(ticket, tr)),
            )
        except TelegramError as exc:
            if "not modified" not in str(exc).lower():
                log.info("ticket %s: inbox message not updated: %s", ticket_id, exc)


async def tell_posts(svc: Services, ticket_id: int, tag: str, text_of: Any) -> None:
    """Queue a short note under the ticket's inbox messages (``text_of(tr)`` gives the text),
    once per ``tag``."""
    notes = []
    for post in await store.posts_of(svc.db, ticket_id):
        language = await _language_of_chat(svc, post.chat_id)
        message = OutboundMessage(
            [text_of(Translator(language))], thread=post.thread_id, reply_to=post.message_id
        )
        organizer = post.chat_id if post.chat_id > 0 else None  # a private inbox
        notes.append(store.PostDraft(post.chat_id, language, message.to_payload(), organizer))
    queued = await store.queue_notes(svc.db, ticket_id, tag, notes, svc.now())
    if queued and svc.delivery is not None:
        svc.delivery.wake()


def answer_markup(message: Message) -> str:
    """An organizer's answer as Telegram HTML, as /broadcast takes a text: formatting made
    with Telegram's buttons becomes HTML, otherwise what was typed *is* HTML."""
    return composed_html(message)


async def refused_answer(update: Update, ctx: Context, markup: str) -> bool:
    """True (and the organizer told why, in their language) when Telegram would refuse the
    answer's HTML, or it is empty or too long."""
    problem = check_text(markup)
    if problem is None:
        return False
    log.info("ticket answer of %s refused: %s", ctx.member.user_id, problem.english)
    await say(update, ctx, text_refusal(problem, ctx.tr))
    return True


async def send_answer(update: Update, ctx: Context, ticket_id: int, text: str) -> None:
    """An organizer's answer (Telegram HTML, checked by :func:`refused_answer`): claimed
    first (one answer wins), then queued for the member. The ticket keeps it as plain text
    with its links written out (its notes and an FAQ entry made from it show text)."""
    svc, tr, organizer = ctx.svc, ctx.tr, ctx.member
    ticket = await store.get_ticket(svc.db, ticket_id)
    if ticket is None:
        await say(update, ctx, tr("This button is no longer valid."))
        return
    if ticket.erased or ticket.member_id is None:
        await say(update, ctx, tr("The person who asked has erased their data."))
        return
    if ticket.status == TicketStatus.closed:
        await say(update, ctx, tr("This question is closed: reopen it first to answer."))
        return
    name = display_name(organizer)
    plain = readable_text(text)
    change = await store.claim_answer(svc.db, ticket_id, organizer.user_id, name, plain, svc.now())
    current = change.ticket
    if not change.done or current is None:
        if current is not None and current.status == TicketStatus.closed:
            await say(update, ctx, tr("This question is closed: reopen it first to answer."))
        else:
            who = current.answered_by_name if current is not None else "?"
            await say(update, ctx, tr("{name} already answered this question.", name=who))
        return
    await _deliver(update, ctx, current, text)
    await refresh_posts(svc, ctx.bot, ticket_id)


async def _deliver(update: Update, ctx: Context, ticket: Ticket, text: str) -> None:
    svc, tr = ctx.svc, ctx.tr
    member = await get_member(svc.db, ticket.member_id or 0)
    gone = member is None or await erasure.is_erased(svc.db, ticket.member_id or 0)
    if gone or member is None:
        await say(update, ctx, tr("The person who asked has erased their data."))
        return
    if member.opted_out or member.blocked:
        await say(update, ctx, unreachable(tr))
        return
    message = answer_message(ticket, text, Translator(ticket.language))
    await store.queue_answer(svc.db, ticket, message.to_payload(), svc.now())
    if svc.delivery is not None:
        svc.delivery.wake()
    await say(update, ctx, tr("Sent to the member."))


def unreachable(tr: Translator) -> str:
    return tr(
        "The member cannot be reached (they opted out or blocked the bot); the answer is "
        "kept with the question."
    )


async def ticket_replied_to(ctx: Context, message: Message) -> Ticket | None:
    """The ticket an inbox message answers: a reply to its post, or a message in its topic."""
    chat_id = message.chat.id
    target = message.reply_to_message
    if target is not None:
        ticket = await store.ticket_of_post(ctx.svc.db, chat_id, target.message_id)
        if ticket is not None:
            return ticket
    if message.is_topic_message and message.message_thread_id is not None:
        return await store.ticket_of_thread(ctx.svc.db, chat_id, message.message_thread_id)
    return None


async def on_inbox_message(update: Update, ctx: Context) -> bool:
    """A message in the inbox (group or an organizer's private chat) about a ticket; True
    when it was one (answered, or refused for a non-organizer)."""
    message = update.effective_message
    if message is None or not message.text:
        return False
    ticket = await ticket_replied_to(ctx, message)
    if ticket is None or ticket.id is None:
        return False
    await ctx.load_member(update)
    if not is_organizer(ctx):
        log.warning("user %s replied to ticket %s in the inbox", ctx.member.user_id, ticket.id)
        await say(update, ctx, ctx.tr("Only organizers answer questions here; nothing was sent."))
        return True
    markup = answer_markup(message)
    if not await refused_answer(update, ctx, markup):
        await send_answer(update, ctx, ticket.id, markup)
    return True


def watch_blocked(svc: Services) -> None:
    """When a member's answer comes back blocked, say so under the ticket in the inbox."""
    engine = svc.delivery
    if engine is None:
        return
    tasks: set[asyncio.Task[None]] = set()

    def listener(delivery: Any, outcome: Any) -> None:
        ticket_id = store.ticket_of_key(str(delivery.key))
        if ticket_id is None or outcome.status != "blocked":
            return
        tag = "unreachable:" + str(delivery.key).rsplit(":", 1)[-1]
        task = asyncio.get_running_loop().create_task(tell_posts(svc, ticket_id, tag, unreachable))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    engine.listeners.append(listener)


async def open_private_prompt(ctx: Context, ticket: Ticket) -> bool:
    """Ask the organizer, in their private chat, to type the answer."""
    tr = ctx.tr
    text = tr("Type your answer to question #{id} (or /cancel).", id=ticket.id)
    try:
        await ctx.bot.send_message(ctx.member.chat_id, text, parse_mode=ParseMode.HTML)
    except (Forbidden, BadRequest) as exc:
        log.info("no private chat with organizer %s: %s", ctx.member.user_id, exc)
        return False
    return True
