"""Roles and the audit log: /grant, /revoke, /audit (admins only, checked on the server)."""

from __future__ import annotations

import html
import logging
import re

from telegram import MessageOriginUser, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.i18n import N_, Translator
from bot.core.outbound import Button
from bot.messaging.menus import set_chat_menu
from bot.render.audit import audit_page
from bot.render.callbacks.roles import AuditPage, GrantRole
from bot.render.commands import CommandSpec, register_command
from bot.render.members import role_label
from bot.render.memberships import role_notice
from handlers.common import (
    Context,
    Rows,
    answer_query,
    display_name,
    edit_or_reply,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from storage import audit as audit_store
from storage import people
from storage.models import Role
from storage.roles import change_role

log = logging.getLogger(__name__)
register_command(
    CommandSpec(
        "grant", N_("Give a person a role"), Role.admin, "USER_ID|@username organizer|admin"
    )
)
register_command(
    CommandSpec("revoke", N_("Take a person's role away"), Role.admin, "USER_ID|@username")
)
AUDIT_PAGE = 10
MAX_AUDIT_PAGE = 10_000
USER_ID = re.compile(r"^\d{1,15}$")
USERNAME = re.compile(r"^@[A-Za-z0-9_]{3,32}$")  # Telegram's are 5-32 characters, a few 3-4
MAX_USER_ID = 10**15  # what USER_ID accepts when typed
GRANTABLE = {"organizer": Role.organizer, "admin": Role.admin}


@requires_role(Role.admin)
async def grant_command(update: Update, ctx: Context) -> None:
    """``/grant USER_ID|@username [organizer|admin]``, or ``/grant [role]`` in reply to a
    message forwarded from the person."""
    tr = ctx.tr
    usage = tr("Usage: /grant USER_ID|@username organizer|admin, or reply to a forwarded message")
    found = await resolve_target(update, ctx, usage)
    if found is None:
        return
    target, rest = found
    if len(rest) > 1 or (rest and rest[0].lower() not in GRANTABLE):
        await reply(update, ctx, usage)
        return
    if await _configured_admin(update, ctx, target, "grant"):
        return
    if not rest:
        await reply(
            update,
            ctx,
            tr("Which role for {user}?", user=target),
            buttons=[
                [
                    Button(tr("organizer"), data=GrantRole(target, "organizer").pack()),
                    Button(tr("admin"), data=GrantRole(target, "admin").pack()),
                ]
            ],
        )
        return
    await _apply_role(update, ctx, target, GRANTABLE[rest[0].lower()])


@requires_role(Role.admin)
async def grant_button(update: Update, ctx: Context) -> None:
    """``grant:<user>:<role>``: the role chosen after ``/grant USER_ID``."""
    data = pressed(update, GrantRole)
    if data is None or not 0 <= data.user_id < MAX_USER_ID:
        await refuse_button(update, ctx, "malformed grant data")
        return
    await answer_query(update)
    if await _configured_admin(update, ctx, data.user_id, "grant"):
        return
    await _apply_role(update, ctx, data.user_id, GRANTABLE[data.role])


@requires_role(Role.admin)
async def revoke_command(update: Update, ctx: Context) -> None:
    usage = ctx.tr("Usage: /revoke USER_ID|@username, or reply to a forwarded message")
    found = await resolve_target(update, ctx, usage)
    if found is None:
        return
    target, rest = found
    if rest:
        await reply(update, ctx, usage)
        return
    if await _configured_admin(update, ctx, target, "revoke"):
        return
    await _apply_role(update, ctx, target, Role.member)


async def _configured_admin(update: Update, ctx: Context, target: int, action: str) -> bool:
    """An ADMIN_IDS admin: their role comes from the setting, so a command changes nothing."""
    if target not in ctx.svc.settings.admin_ids:
        return False
    text = ctx.tr("{user} is an admin through the ADMIN_IDS setting; change it there.", user=target)
    await _refuse(update, ctx, text, action, str(target), "configured in ADMIN_IDS")
    return True


async def _refuse(
    update: Update, ctx: Context, text: str, action: str, target: str, reason: str
) -> None:
    """Tell the admin why nothing changed; log it and keep it in the audit log."""
    actor = ctx.member
    log.warning("refused %s of %s by %s: %s", action, target, actor.user_id, reason)
    await audit_store.record(
        ctx.svc.db,
        actor_id=actor.user_id,
        actor_name=display_name(actor),
        action=f"{action} refused",
        target=target[:200],
        details={"reason": reason},
    )
    await _answer(update, ctx, text)


async def resolve_target(update: Update, ctx: Context, usage: str) -> tuple[int, list[str]] | None:
    """The person a role command names (a numeric id, an @username the bot has seen, or the
    sender of the forwarded message it replies to) and the words after it. None when it
    has already answered (usage, or nobody by that name)."""
    args = list(ctx.args or [])
    named = bool(args) and bool(USER_ID.match(args[0]) or USERNAME.match(args[0]))
    forwarded = None if named else _forwarded_from(update)
    if forwarded is not None:
        if forwarded == HIDDEN:
            text = ctx.tr(
                "I can't tell who sent that message: their account is hidden when forwarded. "
                "Use their numeric id or @username."
            )
            await _refuse(update, ctx, text, _action(update), "forward", "hidden sender")
            return None
        return forwarded, args
    if not args:
        await reply(update, ctx, usage)
        return None
    first, rest = args[0], args[1:]
    if USER_ID.match(first):
        return int(first), rest
    if not USERNAME.match(first):
        await reply(update, ctx, usage)
        return None
    member = await people.member_by_username(ctx.svc.db, first)
    if member is None:
        name = html.escape(first.removeprefix("@"))
        text = ctx.tr(
            "Nobody with the username @{name} has talked to me: they must send /start to me "
            "first (or use their numeric id).",
            name=name,
        )
        await _refuse(update, ctx, text, _action(update), first, "unknown username")
        return None
    return member.user_id, rest


HIDDEN = -1  # the forwarded message's sender hides their account


def _forwarded_from(update: Update) -> int | None:
    """The id of the person whose forwarded message the command replies to (HIDDEN when
    Telegram does not say), None when it replies to no forwarded message."""
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    origin = replied.forward_origin if replied is not None else None
    if origin is None:
        return None
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.id
    return HIDDEN


def _action(update: Update) -> str:
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    return "revoke" if text.startswith("/revoke") else "grant"


async def _apply_role(update: Update, ctx: Context, target: int, role: Role) -> None:
    actor, tr = ctx.member, ctx.tr
    change = await change_role(
        ctx.svc.db,
        actor_id=actor.user_id,
        actor_name=display_name(actor),
        target_id=target,
        role=role,
        notify=role_notice(ctx.svc.now()),
    )
    if change is None:
        text = tr("I don't know user {user}: they must send /start to me first.", user=target)
        action = "revoke" if role is Role.member else "grant"
        await _refuse(update, ctx, text, action, str(target), "unknown user id")
        return
    text = tr(
        "{name} ({user}) is now {role}.",
        name=html.escape(display_name(change.member)),
        user=target,
        role=role_label(role, tr),
    )
    await _answer(update, ctx, text)
    person = change.member  # their menu now shows their role's commands, in their language
    await set_chat_menu(ctx.bot, person.chat_id or person.user_id, role, person.language)


async def _answer(update: Update, ctx: Context, text: str, buttons: Rows | None = None) -> None:
    """Edit the message of a pressed button; answer a command with a new message."""
    if update.callback_query is not None:
        await edit_or_reply(update, ctx, text, buttons=buttons)
    else:
        await reply(update, ctx, text, buttons=buttons)


@requires_role(Role.admin)
async def audit_command(update: Update, ctx: Context) -> None:
    await _show_audit(update, ctx, page=0)


@requires_role(Role.admin)
async def audit_button(update: Update, ctx: Context) -> None:
    """``audit:<page>``: another page of the audit log."""
    data = pressed(update, AuditPage)
    if data is None or not 0 <= data.page <= MAX_AUDIT_PAGE:
        await refuse_button(update, ctx, "malformed audit data")
        return
    await answer_query(update)
    await _show_audit(update, ctx, page=data.page)


async def _show_audit(update: Update, ctx: Context, page: int) -> None:
    member, tr, db = ctx.member, ctx.tr, ctx.svc.db
    total = await audit_store.count_entries(db)
    entries = await audit_store.recent_entries(db, limit=AUDIT_PAGE, offset=page * AUDIT_PAGE)
    if not entries:
        text = tr("The audit log is empty.") if page == 0 else tr("No more entries.")
        await _answer(update, ctx, text)
        return
    text = audit_page(entries, total, tr, member.timezone)
    buttons = []
    if page > 0:
        buttons.append(Button("◀", data=AuditPage(page - 1).pack()))
    if (page + 1) * AUDIT_PAGE < total:
        buttons.append(Button("▶", data=AuditPage(page + 1).pack()))
    await _answer(update, ctx, text, [buttons] if buttons else None)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("grant", grant_command))
    application.add_handler(CommandHandler("revoke", revoke_command))
    application.add_handler(CommandHandler("audit", audit_command))
    application.add_handler(CallbackQueryHandler(grant_button, pattern=GrantRole.pattern()))
    application.add_handler(CallbackQueryHandler(audit_button, pattern=AuditPage.pattern()))


__all__ = ["Translator", "register"]
