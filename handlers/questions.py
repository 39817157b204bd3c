"""Questions in a private chat: any text no other feature takes is a question about the
network's courses, events and FAQ, answered with the specific fact asked, in the member's
language and time zone; up to two other candidates as buttons. Unanswered questions are kept
for the organizers (``/unanswered``)."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.app.context import get_services
from bot.core.i18n import N_, Translator, format_local_datetime, format_number
from bot.qa.engine import Hit
from bot.qa.reply import Reader, answer_text, compose, title_of
from bot.qa.service import AnswererCache
from bot.render.commands import CommandSpec, register_command
from handlers.common import (
    Button,
    Context,
    answer_query,
    refuse_button,
    reply,
    requires_role,
    translator,
)
from storage import questions as question_store
from storage.models import Member, Role

log = logging.getLogger(__name__)
KIND_CODES = {"course": "c", "event": "e", "faq": "f"}
INTENT_CODES = {
    "when": "w", "time": "t", "link": "l", "enroll": "n", "deadline": "d", "cost": "$",
    "certificate": "x", "topic": "o", "next_event": "v", "what_is": "i", "where": "p",
    "duration": "h", "languages": "g", "faq": "f",
}  # fmt: skip
CODE_INTENTS = {code: name for name, code in INTENT_CODES.items()}
CODE_KINDS = {code: name for name, code in KIND_CODES.items()}

register_command(
    CommandSpec("unanswered", N_("Questions the bot could not answer"), Role.organizer)
)


def cache_of(context: Context) -> AnswererCache:
    svc = context.svc
    if svc.answerer is None:
        svc.answerer = AnswererCache()
    return svc.answerer


def reader_of(member: Member) -> Reader:
    return Reader(member.language, member.timezone, registered=member.onboarded)


def alternative_button(hit: Hit, intent: str, tr: Translator, default: str) -> Button | None:
    data = f"qa:{KIND_CODES[hit.kind]}:{INTENT_CODES.get(intent, 'f')}:{hit.id}"
    if len(data.encode()) > 64:
        return None
    label = title_of(hit, tr.language, default)
    return (label if len(label) <= 40 else label[:39].rstrip() + "…", data)


async def on_question(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    svc = get_services(context)
    member, tr = await translator(update, context)
    chat = update.effective_chat
    if chat is not None:
        try:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except Exception:  # a missing typing hint is no reason to fail the answer
            log.debug("typing action failed", exc_info=True)
    answerer = await cache_of(context).get(svc.db)
    now = svc.now()
    result = answerer.ask(message.text, language=member.language, zone=member.timezone, now=now)
    answer = compose(result, reader_of(member), now, svc.settings.default_language)
    if not answer.answered:
        if not result.empty:
            count = await question_store.record_unanswered(
                svc.db, message.text, result.language, now
            )
            log.info("unanswered question (asked %d times): %r", count, message.text[:80])
        await reply(
            update,
            context,
            answer.text,
            buttons=[[(tr("Courses"), "qa:list:courses"), (tr("Events"), "qa:list:events")]],
        )
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
    await reply(update, context, text, buttons=rows or None)


async def alternative_pressed(update: Update, context: Context) -> None:
    """``qa:<kind>:<intent>:<id>`` — the answer for another candidate; ``qa:list:*``."""
    query = update.callback_query
    data = query.data if query and query.data else ""
    parts = data.split(":", 3)
    if len(parts) == 3 and parts[1] == "list" and parts[2] in ("courses", "events"):
        await answer_query(update)
        from handlers.catalog import courses_command, events_command

        context.args = []
        if parts[2] == "courses":
            await courses_command(update, context)
        else:
            await events_command(update, context)
        return
    if len(parts) != 4 or parts[1] not in CODE_KINDS or parts[2] not in CODE_INTENTS:
        await refuse_button(update, context, "malformed question button")
        return
    svc = get_services(context)
    member, tr = await translator(update, context)
    answerer = await cache_of(context).get(svc.db)
    hit = answerer.hit_for(CODE_KINDS[parts[1]], parts[3])
    if hit is None:
        await refuse_button(update, context, "question button for a record that is gone")
        return
    await answer_query(update)
    text = answer_text(
        hit,
        CODE_INTENTS[parts[2]],
        reader_of(member),
        tr,
        svc.now(),
        svc.settings.default_language,
    )
    await reply(update, context, text)


@requires_role(Role.organizer)
async def unanswered_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    rows = await question_store.list_unanswered(svc.db, 20)
    if not rows:
        await reply(update, context, tr("No unanswered questions. 🎉"))
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
    await reply(update, context, "\n".join(lines))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("unanswered", unanswered_command))
    application.add_handler(CallbackQueryHandler(alternative_pressed, pattern=r"^qa:"))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_question)
    )
