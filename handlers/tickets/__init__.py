"""Ask the organizers: a question the bot cannot answer becomes a ticket that a person
answers from the organizers' inbox; the answer can become an FAQ entry (docs/tickets.md)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.app.context import services_of
from bot.render.callbacks.tickets import (
    AcceptPhrasing,
    AskOrganizers,
    FaqStep,
    Feedback,
    NeverMind,
    TicketAction,
    TypeQuestion,
)
from handlers.common import Context
from handlers.tickets.faq import step_pressed
from handlers.tickets.inbox import on_inbox_message, watch_blocked
from handlers.tickets.learning import accept_pressed, feedback_lines, unanswered_extras
from handlers.tickets.member import (
    ask_pressed,
    feedback_pressed,
    handoff_button,
    never_mind,
    on_reply,
    type_pressed,
)
from handlers.tickets.organizers import action_pressed, faq_command, inbox_command
from storage.tickets import get_inbox

__all__ = [
    "feedback_lines",
    "handoff_button",
    "inbox_text",
    "on_reply",
    "register",
    "unanswered_extras",
]


async def inbox_text(update: Update, ctx: Context) -> bool:
    """A text in a group: only the inbox group's replies to tickets concern tickets (True
    when it was one; :mod:`handlers.groups` takes every group text and asks here first)."""
    chat = update.effective_chat
    inbox = await get_inbox(ctx.svc.db)
    if chat is not None and inbox is not None and inbox.chat_id == chat.id:
        return await on_inbox_message(update, ctx)
    return False


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("inbox", inbox_command))
    application.add_handler(CommandHandler("faq", faq_command))
    for data, callback in (
        (AskOrganizers, ask_pressed),
        (TypeQuestion, type_pressed),
        (NeverMind, never_mind),
        (TicketAction, action_pressed),
        (AcceptPhrasing, accept_pressed),
        (Feedback, feedback_pressed),
        (FaqStep, step_pressed),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))
    svc = services_of(application)
    watch_blocked(svc)
