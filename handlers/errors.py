"""Bad input, unknown commands, stale buttons and the application-wide error handler.

The guard runs before every feature (handler group -10): texts that are too long or carry
control characters are refused there, with a localized message, before anything changes.
"""

from __future__ import annotations

import html
import logging
import unicodedata

from rapidfuzz import fuzz, process
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.enums import Role
from bot.core.i18n import Translator, format_number
from bot.render.commands import commands_for
from handlers.common import Context, button_data, refuse_button, reply

log = logging.getLogger(__name__)
MAX_INPUT_CHARS = 4096
GUARD_GROUP = -10
ALLOWED_CONTROL = {"\n", "\r", "\t"}


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROL for ch in text)


async def guard(update: Update, context: Context) -> None:
    """Refuse oversize or control-character input before any feature sees it."""
    message = update.effective_message
    if update.effective_user is None or message is None or update.callback_query is not None:
        return
    text = message.text or message.caption or ""
    if not text:
        return
    if len(text) > MAX_INPUT_CHARS:
        await context.load_member(update)
        tr = context.tr
        log.warning("refused %d-character message from %s", len(text), update.effective_user.id)
        await reply(
            update,
            context,
            tr(
                "Your message is too long ({length} characters). Please keep it under "
                "{limit} characters.",
                length=format_number(len(text), tr.language),
                limit=format_number(MAX_INPUT_CHARS, tr.language),
            ),
        )
        raise ApplicationHandlerStop
    if has_control_characters(text):
        await context.load_member(update)
        tr = context.tr
        log.warning("refused message with control characters from %s", update.effective_user.id)
        await reply(
            update,
            context,
            tr("Your message contains invisible control characters. Please type it again."),
        )
        raise ApplicationHandlerStop


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return  # in groups, commands for other bots are none of our business
    member = await context.load_member(update)
    command = (message.text or "").split(maxsplit=1)[0].split("@")[0][:40]
    tr = context.tr
    guess = closest_command(command, [c.name for c in commands_for(Role(member.role))])
    if guess is not None:
        text = tr(
            "I don't know the command {command}. Did you mean /{guess}?",
            command=html.escape(command),
            guess=guess,
        )
    else:
        text = tr(
            "I don't know the command {command}. Send /help to see what I can do.",
            command=html.escape(command),
        )
    await reply(update, context, text)


def closest_command(typed: str, names: list[str]) -> str | None:
    """The command a typo was meant to be ("/evnts" → events), if one is clearly close."""
    word = typed.lstrip("/").lower()
    if not word or not names:
        return None
    found = process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=70)
    return str(found[0]) if found is not None else None


async def unknown_text(update: Update, context: Context) -> None:
    """Private text no feature took: point to /help."""
    await context.load_member(update)
    text = context.tr("I didn't understand that. Send /help to see what I can do.")
    await reply(update, context, text)


async def stale_button(update: Update, context: Context) -> None:
    await refuse_button(update, context, "no handler for this data")


async def on_error(update: object, context: Context) -> None:
    """Log the error with the update's context (never the token) and apologise."""
    user_id = chat_id = None
    what = None
    if isinstance(update, Update):
        user_id = update.effective_user.id if update.effective_user else None
        chat_id = update.effective_chat.id if update.effective_chat else None
        if update.callback_query is not None:
            what = f"button {button_data(update)!r}"
        elif update.effective_message is not None:
            what = f"message {(update.effective_message.text or '')[:60]!r}"
    log.error(
        "error while handling update %s (user %s, chat %s, %s)",
        getattr(update, "update_id", None),
        user_id,
        chat_id,
        what,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        try:
            language = (await context.load_member(update)).language
        except Exception:  # the database may be what failed
            language = context.svc.settings.default_language
        tr = Translator(language)
        if update.callback_query is not None:
            try:  # already answered, or too old: the apology goes all the same
                await update.callback_query.answer()
            except Exception as exc:
                log.info("could not answer the button press: %s", exc)
        await context.bot.send_message(
            update.effective_chat.id,
            tr("Sorry, something went wrong on my side. Please try again in a moment."),
        )
    except Exception:
        log.exception("could not send the apology")


def register_guard(application: Application) -> None:
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)
    application.add_error_handler(on_error)


def register_fallbacks(application: Application) -> None:
    """Registered last in group 0, so they only see what no feature took."""
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, unknown_text)
    )
    application.add_handler(CallbackQueryHandler(stale_button))
