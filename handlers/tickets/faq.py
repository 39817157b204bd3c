"""Make FAQ: an answered ticket becomes an FAQ entry only after the organizer has seen a
preview of it and sent a corrected question and answer (or kept each as it is): the reply
to one member ("Hi Ana: ...") and their typed question are rarely fit to publish as is.
The entry is kept in the ticket's language only."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.core.enums import Role
from bot.core.i18n import N_, Translator
from bot.core.outbound import Button
from bot.messaging.markup import inline_markup
from bot.render.callbacks.tickets import FaqStep
from bot.render.tickets import LANGUAGE_NAMES
from handlers.common import Context, answer_query, pressed, refuse_button, reply, requires_role
from handlers.flows import Draft, Flow
from handlers.tickets.inbox import on_inbox_message, refresh_posts
from storage import learning
from storage import tickets as store

log = logging.getLogger(__name__)
LANGUAGES = ("es", "pt", "en")
MAX_TEXT = 3000


@dataclass
class FaqDraft(Draft):
    step: str = "question"  # question → answer → confirm
    ticket_id: int = 0
    language: str = "es"
    question: str = ""
    answer: str = ""
    name: str = ""  # the member's first name, to warn when the answer still greets them


FAQ_FLOW = Flow("ticket_faq", FaqDraft, role=Role.organizer, label=N_("the FAQ entry"))


def preview(draft: FaqDraft, tr: Translator) -> str:
    language = LANGUAGE_NAMES.get(draft.language, draft.language)
    lines = [
        tr(
            "<b>FAQ entry from question #{id}</b> (in {language} only)",
            id=draft.ticket_id,
            language=language,
        ),
        "",
        tr("<b>Question:</b> {text}", text=html.escape(draft.question)),
        tr("<b>Answer:</b> {text}", text=html.escape(draft.answer)),
    ]
    if draft.name and draft.name.casefold() in (draft.question + draft.answer).casefold():
        lines += ["", tr("⚠️ It still names the member ({name}).", name=html.escape(draft.name))]
    return "\n".join(lines)


def prompt(draft: FaqDraft, tr: Translator) -> tuple[str, list[list[Button]]]:
    """What the organizer is asked at the draft's step, and the buttons."""
    tid = draft.ticket_id
    cancel = Button(tr("Cancel"), data=FaqStep("cancel", tid).pack())
    if draft.step == "confirm":
        publish = Button(tr("📚 Publish"), data=FaqStep("publish", tid).pack())
        return preview(draft, tr), [[publish, cancel]]
    if draft.step == "question":
        ask = tr("Send the question as readers should see it, or keep it as it is.")
        keep = Button(tr("Keep the question"), data=FaqStep("keep", tid).pack())
    else:
        ask = tr("Send the answer as every reader should see it, or keep it as it is.")
        keep = Button(tr("Keep the answer"), data=FaqStep("keep", tid).pack())
    return preview(draft, tr) + "\n\n" + ask, [[keep, cancel]]


async def show(ctx: Context, draft: FaqDraft) -> bool:
    """The preview and the next question, in the organizer's private chat."""
    text, buttons = prompt(draft, ctx.tr)
    try:
        await ctx.bot.send_message(
            ctx.member.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=inline_markup(buttons)
        )
    except (Forbidden, BadRequest) as exc:
        log.info("no private chat with organizer %s: %s", ctx.member.user_id, exc)
        return False
    return True


async def make_faq(update: Update, ctx: Context, ticket_id: int) -> None:
    """``tk:do:faq:<id>``: open the Make FAQ flow on the ticket's question and answer."""
    tr = ctx.tr
    ticket = await store.get_ticket(ctx.svc.db, ticket_id)
    if ticket is None or not ticket.answer or not ticket.question:
        await answer_query(update, tr("Answer the question first."), alert=True)
        return
    name = (ticket.member_name or "").split(" (@")[0].split(" ")[0]
    draft = FaqDraft(
        ticket_id=ticket_id,
        language=ticket.language,
        question=ticket.question,
        answer=ticket.answer,
        name=name,
    )
    await FAQ_FLOW.save(ctx, draft)
    if not await show(ctx, draft):
        await FAQ_FLOW.drop(ctx)
        await answer_query(
            update, tr("Start a private chat with me first, then press again."), alert=True
        )
        return
    await answer_query(update)


@FAQ_FLOW.on_message("question", "answer")
async def take_text(update: Update, ctx: Context, draft: FaqDraft) -> None:
    message = update.effective_message
    if await on_inbox_message(update, ctx):  # a reply to a ticket answers it, as ever
        return
    if message is None or not message.text or len(message.text) > MAX_TEXT:
        await show(ctx, draft)
        return
    if draft.step == "question":
        draft.question, draft.step = message.text.strip(), "answer"
    else:
        draft.answer, draft.step = message.text.strip(), "confirm"
    await FAQ_FLOW.save(ctx, draft)
    await show(ctx, draft)


@requires_role(Role.organizer)
async def step_pressed(update: Update, ctx: Context) -> None:
    """``tk:fq:<keep|publish|cancel>:<ticket>`` under the preview."""
    data = pressed(update, FaqStep)
    draft = await FAQ_FLOW.load(ctx)
    if data is None or draft is None or draft.ticket_id != data.ticket_id:
        await refuse_button(update, ctx, "FAQ step of no draft")
        return
    await answer_query(update)
    if data.action == "cancel":
        await FAQ_FLOW.drop(ctx)
        await reply(update, ctx, ctx.tr("Cancelled. Nothing was sent."))
    elif data.action == "keep" and draft.step in ("question", "answer"):
        draft.step = "answer" if draft.step == "question" else "confirm"
        await FAQ_FLOW.save(ctx, draft)
        await show(ctx, draft)
    elif data.action == "publish" and draft.step == "confirm":
        await publish(update, ctx, draft)
    else:
        await show(ctx, draft)


async def publish(update: Update, ctx: Context, draft: FaqDraft) -> None:
    svc, tr = ctx.svc, ctx.tr
    await FAQ_FLOW.drop(ctx)
    faq = await learning.faq_from_ticket(
        svc.db,
        draft.ticket_id,
        ctx.member.user_id,
        svc.now(),
        question=draft.question,
        answer=draft.answer,
    )
    if faq is None:
        await reply(update, ctx, tr("Answer the question first."))
        return
    missing = [lang for lang in LANGUAGES if not faq.answer.get(lang)]
    text = tr(
        "FAQ entry {id} made: the next member who asks this gets the answer at once.",
        id=faq.id,
    )
    if missing:
        text += "\n" + tr(
            "Add the other languages with /faq {id} LANG question | answer ({languages}).",
            id=faq.id,
            languages=", ".join(missing),
        )
    await reply(update, ctx, text)
    await refresh_posts(svc, ctx.bot, draft.ticket_id)
