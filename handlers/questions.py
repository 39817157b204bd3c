"""Questions in a private chat: any text no other feature takes is a question about the
network's courses, events and FAQ, answered with the specific fact asked, in the member's
language and time zone; up to two other candidates as buttons. Unanswered questions are kept
for the organizers (``/unanswered``)."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core.i18n import N_, Translator, format_local_datetime, format_number
from bot.core.outbound import Button
from bot.qa.engine import Hit
from bot.qa.reply import Reader, answer_text, compose, is_small_talk, title_of
from bot.qa.service import AnswererCache
from bot.render.callbacks import CallbackTooLong
from bot.render.callbacks.questions import HitKind, IntentCode, ListRecords, OtherAnswer
from bot.render.callbacks.tickets import Feedback
from bot.render.cards import gets_join_links
from bot.render.commands import CommandSpec, register_command
from bot.render.labels import button_title
from handlers import onboarding
from handlers.common import Context, answer_query, pressed, refuse_button, reply, requires_role
from handlers.tickets import handoff_button, on_reply, unanswered_extras
from storage import questions as question_store
from storage.models import Member, Role
from storage.visibility import sees_event

log = logging.getLogger(__name__)

register_command(
    CommandSpec("unanswered", N_("Questions the bot could not answer"), Role.organizer)
)


def cache_of(context: Context) -> AnswererCache:
    svc = context.svc
    if svc.answerer is None:
        svc.answerer = AnswererCache()
    return svc.answerer


async def reader_of(ctx: Context, member: Member, hits: Sequence[Hit]) -> Reader:
    """Who reads the answer, with the events among ``hits`` whose link is not for them."""
    hidden = [
        hit.id
        for hit in hits
        if hit.kind == "event" and not await sees_event(ctx.svc.db, member, hit.doc.record)
    ]
    return Reader(
        member.language,
        member.timezone,
        registered=gets_join_links(member),
        hidden_links=frozenset(hidden),
    )


def alternative_button(hit: Hit, intent: str | None, tr: Translator, default: str) -> Button | None:
    """The button of another candidate; None when its id is too long for callback data."""
    try:
        data = OtherAnswer(HitKind[hit.kind], IntentCode.of(intent), hit.id).pack()
    except CallbackTooLong:
        log.info("no button for %s %r: its id is too long", hit.kind, hit.id)
        return None
    label = title_of(hit, tr.language, default)
    return Button(button_title(label), data=data)


def feedback_row(hit: Hit, intent: str | None) -> list[Button]:
    """The discreet helpful / not helpful pair under an automatic answer."""
    kind, code = HitKind[hit.kind], IntentCode.of(intent)
    try:
        return [
            Button("👍", data=Feedback(True, kind, code, hit.id).pack()),
            Button("👎", data=Feedback(False, kind, code, hit.id).pack()),
        ]
    except CallbackTooLong:
        return []


async def on_question(update: Update, ctx: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    svc = ctx.svc
    member = await ctx.load_member(update)
    if message.reply_to_message is not None and await on_reply(update, ctx):
        return
    if not member.onboarded and await onboarding.typed_pick(update, ctx):
        return  # "Jamaica" typed at "In which country…?": the button it names
    tr = ctx.tr
    chat = update.effective_chat
    if chat is not None:
        try:
            await ctx.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except Exception:  # a missing typing hint is no reason to fail the answer
            log.debug("typing action failed", exc_info=True)
    answerer = await cache_of(ctx).get(svc.db)
    now = svc.now()
    result = answerer.ask(message.text, language=member.language, zone=member.timezone, now=now)
    answer = compose(
        result,
        await reader_of(ctx, member, [result.best] if result.best else []),
        now,
        svc.settings.default_language,
    )
    if not answer.answered:
        listings = [
            Button(tr("Courses"), data=ListRecords("courses").pack()),
            Button(tr("Events"), data=ListRecords("events").pack()),
        ]
        buttons = [listings]
        if not is_small_talk(result):
            count = await question_store.record_unanswered(
                svc.db, message.text, result.language, now, asked_by=member.user_id
            )
            log.info("unanswered question (asked %d times): %r", count, message.text[:80])
            question_id = await question_store.question_id_of(svc.db, message.text)
            if question_id is not None:
                buttons.append([handoff_button(question_id, tr("🙋 Ask the organizers"))])
        await reply(update, ctx, answer.text, buttons=buttons)
        return
    default = svc.settings.default_language
    rows: list[list[Button]] = []
    for hit in answer.alternatives:
        button = alternative_button(hit, result.intent, tr, default)
        if button is not None:
            rows.append([button])
    text = answer.text
    if rows:
        text += "\n\n" + tr("Did you mean something else?")
    if result.best is not None and result.listing is None:
        rows.append(feedback_row(result.best, result.intent))
    await reply(update, ctx, text, buttons=[row for row in rows if row] or None)


async def list_pressed(update: Update, ctx: Context) -> None:
    """``ql:courses`` / ``ql:events``: the listing, as the command would show it."""
    data = pressed(update, ListRecords)
    if data is None:
        await refuse_button(update, ctx, "malformed listing button")
        return
    await answer_query(update)
    from handlers.catalog import courses_command, events_command

    ctx.args = []
    if data.what == "courses":
        await courses_command(update, ctx)
    else:
        await events_command(update, ctx)


async def alternative_pressed(update: Update, ctx: Context) -> None:
    """``qa:<kind>:<intent>:<id>``: the answer for another candidate."""
    data = pressed(update, OtherAnswer)
    if data is None:
        await refuse_button(update, ctx, "malformed question button")
        return
    svc = ctx.svc
    member = await ctx.load_member(update)
    answerer = await cache_of(ctx).get(svc.db)
    hit = answerer.hit_for(data.kind.name, data.record_id)
    if hit is None:
        await refuse_button(update, ctx, "question button for a record that is gone")
        return
    await answer_query(update)
    reader, default = await reader_of(ctx, member, [hit]), svc.settings.default_language
    text = answer_text(hit, data.intent.name, reader, ctx.tr, svc.now(), default)
    await reply(update, ctx, text)


@requires_role(Role.organizer)
async def unanswered_command(update: Update, ctx: Context) -> None:
    member, tr = ctx.member, ctx.tr
    rows = await question_store.list_unanswered(ctx.svc.db, 20)
    extra, buttons = await unanswered_extras(ctx, await cache_of(ctx).get(ctx.svc.db))
    if not rows:
        await reply(update, ctx, "\n".join([tr("No unanswered questions. 🎉"), *extra]))
        return
    lines = [tr("<b>Questions I could not answer</b> (most asked first)")]
    for row in rows:
        when = format_local_datetime(row.last_asked_at, member.timezone, member.language, "short")
        lines.append(
            tr(
                "{count}× “{text}” ({language}, last {when})",
                count=format_number(row.count, tr.language),
                text=html.escape(row.text[:200]),
                language=row.language,
                when=when,
            )
        )
    lines.append("")
    lines.append(tr("Add the answers to the FAQ in the network data file and /import it."))
    await reply(update, ctx, "\n".join([*lines, *extra]), buttons=buttons or None)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("unanswered", unanswered_command))
    application.add_handler(
        CallbackQueryHandler(alternative_pressed, pattern=OtherAnswer.pattern())
    )
    application.add_handler(CallbackQueryHandler(list_pressed, pattern=ListRecords.pattern()))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_question)
    )
