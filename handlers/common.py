"""Helpers every feature module uses: the member behind an update, translation, replies,
keyboards and the server-side role check."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.app.context import BotContext
from bot.core import outbound
from bot.core.i18n import Translator
from bot.messaging.markup import inline_markup
from bot.messaging.telegram_html import HTMLEntityError
from bot.messaging.textsplit import split_markup, split_text
from bot.render.callbacks import CallbackData
from bot.render.names import display_name as display_name
from storage import audit, drafts
from storage.models import Member, Role

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Context = BotContext
# The old shape, while modules convert to bot.core.outbound.Button: (text, callback data),
# data starting with "url:" makes a link.
Button = tuple[str, str]
AnyButton = outbound.Button | tuple[str, str]
Rows = Sequence[Sequence[AnyButton]]
Callback = Callable[[Update, Context], Awaitable[Any]]
F = TypeVar("F", bound=Callback)
B = TypeVar("B", bound=AnyButton)
C = TypeVar("C", bound=CallbackData)


async def current_member(update: Update, context: Context) -> Member:
    """The member behind this update, created on first contact (once per update)."""
    return await context.load_member(update)


def remember_member(context: Context, member: Member) -> None:
    """Keep a (possibly updated) member on this update's context for later handlers."""
    context.remember(member)


async def translator(update: Update, context: Context) -> tuple[Member, Translator]:
    member = await context.load_member(update)
    return member, context.tr


def keyboard(rows: Rows) -> InlineKeyboardMarkup:
    """The inline keyboard of ``rows`` of :class:`bot.core.outbound.Button` or old pairs."""
    return inline_markup(rows) or InlineKeyboardMarkup([])


def grid(buttons: Sequence[B], columns: int) -> list[list[B]]:
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def button_data(update: Update) -> str | None:
    """The callback data of the pressed button (None when the update is not a press)."""
    query = update.callback_query
    return query.data if query is not None else None


def pressed(update: Update, kind: type[C]) -> C | None:
    """The typed data of the pressed button; None when forged, stale or of another kind."""
    return kind.parse(button_data(update))


async def reply(
    update: Update,
    context: Context,
    text: str,
    *,
    buttons: Rows | InlineKeyboardMarkup | None = None,
    html: bool = True,
    preview: bool = True,
) -> Message:
    """Send ``text`` to the chat of the update, split at Telegram's limit; buttons go on the
    last part. HTML is split by visible length on entity boundaries (tags closed and
    reopened), so a long formatted text never breaks Telegram's parser. ``preview``
    False: no link preview (a text with a join link; a course's page keeps its card)."""
    chat = update.effective_chat
    assert chat is not None
    markup = buttons if isinstance(buttons, InlineKeyboardMarkup) or buttons is None else None
    if buttons is not None and not isinstance(buttons, InlineKeyboardMarkup):
        markup = keyboard(buttons)
    parts = _parts(text, html)
    sent: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await context.bot.send_message(
            chat.id,
            part,
            parse_mode=ParseMode.HTML if html else None,
            reply_markup=markup if last else None,
            link_preview_options=None if preview else NO_PREVIEW,
        )
    assert sent is not None
    return sent


def _parts(text: str, html: bool) -> list[str]:
    if not html:
        return split_text(text)
    try:
        return split_markup(text)
    except HTMLEntityError:
        log.exception("reply is not valid Telegram HTML; split as plain characters")
        return split_text(text)


async def edit_or_reply(
    update: Update,
    context: Context,
    text: str,
    *,
    buttons: Rows | None = None,
) -> int:
    """Edit the message whose button was pressed; send a new one if that is not possible.
    Returns the id of the message that shows ``text``."""
    query = update.callback_query
    markup = keyboard(buttons) if buttons is not None else None
    if query is not None and query.message is not None and len(text) <= 4096:
        try:
            await context.bot.edit_message_text(
                text,
                chat_id=query.message.chat.id,
                message_id=query.message.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
            return query.message.message_id
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return query.message.message_id
            log.info("could not edit message, sending a new one: %s", exc)
    return (await reply(update, context, text, buttons=markup)).message_id


async def show_screen(
    update: Update,
    context: Context,
    text: str,
    *,
    buttons: Rows | None = None,
    edit: bool,
    replacing: int = 0,
) -> int:
    """A screen of a conversation: with ``edit`` the pressed message edited (a new one when
    it cannot be), else a new message. ``replacing``, the id of the screen shown before,
    loses its buttons when the screen is now another message. Returns the screen's id."""
    if edit:
        shown = await edit_or_reply(update, context, text, buttons=buttons)
    else:
        shown = (await reply(update, context, text, buttons=buttons)).message_id
    if replacing and replacing != shown:
        await take_buttons_off(update, context, replacing)
    return shown


async def take_buttons_off(update: Update, context: Context, message_id: int) -> None:
    """Remove the buttons of an earlier screen of a flow, left behind when a typed step
    brought a new one (a tap there would act on a step gone by). A message that cannot be
    edited (gone, too old, already bare) stays as it is."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:  # drafts are per person, not per chat
        return
    try:
        await context.bot.edit_message_reply_markup(chat.id, message_id, reply_markup=None)
    except TelegramError as exc:
        log.info("could not take the buttons off message %s: %s", message_id, exc)


def below_pressed(update: Update, text: str) -> str:
    """``text`` under the text of the message whose button was pressed, for an edit that
    keeps what the person read (a welcome) and adds what their choice did."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message) or not message.text:
        return text
    return f"{message.text_html}\n\n{text}"


async def answer_query(update: Update, text: str | None = None, alert: bool = False) -> None:
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(text, show_alert=alert)
        except BadRequest as exc:  # too old: nothing left to answer
            log.info("callback answer failed: %s", exc)


async def first_press(update: Update, context: Context) -> bool:
    """Whether this is the first press of this button on this message; a repeat is answered
    quietly and should change nothing. For a button whose press asks the next question in a
    new message and edits its own away: a double tap reaches the bot before the edit
    reaches the phone, and would ask that question twice (and finish a wizard twice)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or message is None:
        return True
    member = await context.load_member(update)
    mark = {"step": "pressed", "message": message.message_id, "data": query.data or ""}
    if await drafts.get_draft(context.svc.db, "pressed", member.user_id) == mark:
        log.info("repeated press from %s: %s", member.user_id, query.data)
        await answer_query(update)
        return False
    await drafts.save_draft(context.svc.db, "pressed", member.user_id, mark)
    return True


async def refuse_button(update: Update, context: Context, reason: str = "stale") -> None:
    """A button whose data is forged, stale or unknown: tell the person, change nothing."""
    member = await context.load_member(update)
    log.warning(
        "refused callback data %r from user %s (%s)", button_data(update), member.user_id, reason
    )
    await answer_query(update, context.tr("This button is no longer valid."), alert=True)


def in_private_chat(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram passes on to /start


def private_chat_button(context: Context, start: str | None = None) -> outbound.Button:
    """A link to the private chat with the bot (opening ``/start <start>`` when given)."""
    url = f"https://t.me/{context.bot.username}"
    if start is not None and START_PAYLOAD.match(start):
        url += f"?start={start}"
    return outbound.Button(context.tr("💬 Open the private chat"), url=url)


async def point_to_private_chat(update: Update, context: Context) -> None:
    """A role command (or button) used in a group: its answer may hold people's data or
    join links, so it is given only in the private chat. Says so, posts nothing else."""
    member = context.member
    what = button_data(update) or _command_of(update)
    chat_id = update.effective_chat.id if update.effective_chat else None
    log.warning(
        "command %s of user %s in group %s answered with a pointer to the private chat",
        what,
        member.user_id,
        chat_id,
    )
    if member.role != Role.member:
        await audit.record(
            context.svc.db,
            actor_id=member.user_id,
            actor_name=display_name(member),
            action="refused in group",
            target=what[:200],
            details={"chat": chat_id},
        )
    text = context.tr("I answer that only in our private chat, to keep people's data private.")
    if update.callback_query is not None:
        await answer_query(update, text, alert=True)
    else:
        await reply(update, context, text, buttons=[[private_chat_button(context)]])


REFUSAL_QUIET = timedelta(minutes=1)  # one audit row per person and command in this time


async def audit_refusal(context: Context, member: Member, what: str, role: Role) -> None:
    """A command or button refused for the member's role: in the log every time, in the
    audit log once per person and command (or kind of button) a minute, so that a spammer
    cannot flood it."""
    log.warning(
        "refused %s for user %s with role %s (needs %s)", what, member.user_id, member.role, role
    )
    await audit.record_unless_recent(
        context.svc.db,
        actor_id=member.user_id,
        actor_name=display_name(member)[:200],
        action="refused role",
        target=what.split(":", 1)[0][:200],  # a button by its kind: forged data cannot vary it
        now=context.svc.now(),
        within=REFUSAL_QUIET,
        details={"role": role.value},
    )


def requires_role(role: Role, *, in_groups: bool = False) -> Callable[[F], F]:
    """Checks the member's role on the server before running a command or button.

    Outside a private chat a role command answers only with a pointer to the private
    chat (its answer may carry people's data or join links), unless ``in_groups`` (a
    command that is about the group itself, like /registergroup)."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        async def wrapper(update: Update, context: Context) -> Any:
            member = await context.load_member(update)
            tr = context.tr
            if Role(member.role).rank >= role.rank:
                if not in_groups and not in_private_chat(update):
                    await point_to_private_chat(update, context)
                    return None
                return await func(update, context)
            what = button_data(update) or _command_of(update)
            await audit_refusal(context, member, what, role)
            text = (
                tr("Sorry, only admins can do that.")
                if role is Role.admin
                else tr("Sorry, only organizers and admins can do that.")
            )
            if update.callback_query is not None:
                await answer_query(update, text, alert=True)
            else:
                await reply(update, context, text)
            return None

        return wrapper  # type: ignore[return-value]

    return decorate


def _command_of(update: Update) -> str:
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    return text.split(maxsplit=1)[0][:40] if text else "?"


def command_args(context: Context) -> list[str]:
    return list(context.args or [])
