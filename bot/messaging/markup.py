"""Telegram inline keyboards from typed buttons (:mod:`bot.core.outbound`)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.core.outbound import Button, button_rows


def inline_button(button: Button) -> InlineKeyboardButton:
    if button.url is not None:
        return InlineKeyboardButton(button.text, url=button.url)
    if button.web_app is not None:
        return InlineKeyboardButton(button.text, web_app=WebAppInfo(button.web_app))
    return InlineKeyboardButton(button.text, callback_data=button.data)


def inline_markup(
    rows: Sequence[Sequence[Button | Sequence[str]]] | None,
) -> InlineKeyboardMarkup | None:
    """The keyboard of these rows (buttons or legacy ``(text, data)`` pairs); None if empty."""
    typed = button_rows(rows)
    if not typed:
        return None
    return InlineKeyboardMarkup([[inline_button(b) for b in row] for row in typed])
