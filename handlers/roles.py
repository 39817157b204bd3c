"""Roles and the audit log: /grant, /revoke, /audit (admins only, checked on the server)."""

from __future__ import annotations

import html
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.i18n import Translator, format_local_datetime
from bot.core.outbound import Button
from bot.render.callbacks.roles import AuditPage, GrantRole
from bot.render.members import role_label
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
from storage.models import Role
from storage.roles import change_role

AUDIT_PAGE = 10
MAX_AUDIT_PAGE = 10_000
USER_ID = re.compile(r"^\d{1,15}$")
MAX_USER_ID = 10**15  # what USER_ID accepts when typed
GRANTABLE = {"organizer": Role.organizer, "admin": Role.admin}


@requires_role(Role.admin)
async def grant_command(update: Update, ctx: Context) -> None:
    tr = ctx.tr
    args = ctx.args or []
    if not args or not USER_ID.match(args[0]) or len(args) > 2:
        await reply(update, ctx, tr("Usage: /grant USER_ID organizer|admin"))
        return
    target = int(args[0])
    if len(args) == 1:
        await reply(
            update,
            ctx,
            tr("Which role for {user}?", user=args[0]),
            buttons=[
                [
                    Button(tr("organizer"), data=GrantRole(target, "organizer").pack()),
                    Button(tr("admin"), data=GrantRole(target, "admin").pack()),
                ]
            ],
        )
        return
    role = GRANTABLE.get(args[1].lower())
    if role is None:
        await reply(update, ctx, tr("Usage: /grant USER_ID organizer|admin"))
        return
    await _apply_role(update, ctx, target, role)


@requires_role(Role.admin)
async def grant_button(update: Update, ctx: Context) -> None:
    """``grant:<user>:<role>``: the role chosen after ``/grant USER_ID``."""
    data = pressed(update, GrantRole)
    if data is None or not 0 <= data.user_id < MAX_USER_ID:
        await refuse_button(update, ctx, "malformed grant data")
        return
    await answer_query(update)
    await _apply_role(update, ctx, data.user_id, GRANTABLE[data.role])


@requires_role(Role.admin)
async def revoke_command(update: Update, ctx: Context) -> None:
    args = ctx.args or []
    if len(args) != 1 or not USER_ID.match(args[0]):
        await reply(update, ctx, ctx.tr("Usage: /revoke USER_ID"))
        return
    target = int(args[0])
    if target in ctx.svc.settings.admin_ids:
        await reply(
            update,
            ctx,
            ctx.tr(
                "{user} is an admin through the ADMIN_IDS setting; change it there.", user=target
            ),
        )
        return
    await _apply_role(update, ctx, target, Role.member)


async def _apply_role(update: Update, ctx: Context, target: int, role: Role) -> None:
    actor, tr = ctx.member, ctx.tr
    change = await change_role(
        ctx.svc.db,
        actor_id=actor.user_id,
        actor_name=display_name(actor),
        target_id=target,
        role=role,
    )
    if change is None:
        text = tr("I don't know user {user}: they must send /start to me first.", user=target)
    else:
        text = tr(
            "{name} ({user}) is now {role}.",
            name=html.escape(display_name(change.member)),
            user=target,
            role=role_label(role, tr),
        )
    await _answer(update, ctx, text)


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
    lines = [tr("<b>Audit log</b> ({count} entries)", count=total)]
    for entry in entries:
        when = format_local_datetime(entry.at, member.timezone, member.language, fmt="short")
        who = html.escape(entry.actor_name or str(entry.actor_id or "system"))
        details = ", ".join(f"{k}={v}" for k, v in (entry.details or {}).items())
        target = f" → {html.escape(entry.target)}" if entry.target else ""
        extra = f" ({html.escape(details[:200])})" if details else ""
        lines.append(f"{when} · {who} · <b>{html.escape(entry.action)}</b>{target}{extra}")
    buttons = []
    if page > 0:
        buttons.append(Button("◀", data=AuditPage(page - 1).pack()))
    if (page + 1) * AUDIT_PAGE < total:
        buttons.append(Button("▶", data=AuditPage(page + 1).pack()))
    await _answer(update, ctx, "\n".join(lines), [buttons] if buttons else None)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("grant", grant_command))
    application.add_handler(CommandHandler("revoke", revoke_command))
    application.add_handler(CommandHandler("audit", audit_command))
    application.add_handler(CallbackQueryHandler(grant_button, pattern=GrantRole.pattern()))
    application.add_handler(CallbackQueryHandler(audit_button, pattern=AuditPage.pattern()))


__all__ = ["Translator", "register"]
