"""The yardstick of bench/updates.py: a bare python-telegram-bot bot that echoes texts and
answers button taps by editing the message — the least any bot on PTB does per update."""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("tap", callback_data="tap")]])


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(
            update.effective_message.text, reply_markup=KEYBOARD
        )


async def tapped(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"tapped {query.id}", reply_markup=KEYBOARD)


def build() -> Application:  # type: ignore[type-arg]
    base = os.environ["TELEGRAM_API_BASE_URL"]
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{base}/bot")
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(tapped))
    return application


if __name__ == "__main__":
    build().run_polling(poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES)
