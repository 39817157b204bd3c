"""Roles and the audit log: /grant, /revoke, /audit (admins only, checked on the server)."""

from __future__ import annotations

import html
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.app.context import get_services
from bot.core.i18n import Translator, format_local_datetime
from handlers.common import (
    Context,
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
    translator,
)
from handlers.onboarding import role_label
from storage import audit as audit_store
from storage.models import Role
from storage.roles import change_role

AUDIT_PAGE = 10
USER_ID = re.compile(r"^\d{1,15}$")
GRANTABLE = {"organizer": Role.organizer, "admin": Role.admin}


@requires_role(Role.admin)
async def grant_command(update: Update, context: Context) -> None:
    _, tr = await translator(update, context)
    args = context.args or []
    if not args or not USER_ID.match(args[0]) or len(args) > 2:
        await reply(update, context, tr("Usage: /grant USER_ID organizer|admin"))
        return
    if len(args) == 1:
        await reply(
            update,
            context,
            tr("Which role for {user}?", user=args[0]),
            buttons=[
                [
                    (tr("organizer"), f"grant:{args[0]}:organizer"),
                    (tr("admin"), f"grant:{args[0]}:admin"),
                ]
            ],
        )
        return
    role = GRANTABLE.get(args[1].lower())
    if role is None:
        await reply(update, context, tr("Usage: /grant USER_ID organizer|admin"))
        return
    await _apply_role(update, context, int(args[0]), role)


@requires_role(Role.admin)
async def grant_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    if len(parts) != 3 or not USER_ID.match(parts[1]) or parts[2] not in GRANTABLE:
        await refuse_button(update, context, "malformed grant data")
        return
    await answer_query(update)
    await _apply_role(update, context, int(parts[1]), GRANTABLE[parts[2]])


@requires_role(Role.admin)
async def revoke_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    _, tr = await translator(update, context)
    args = context.args or []
    if len(args) != 1 or not USER_ID.match(args[0]):
        await reply(update, context, tr("Usage: /revoke USER_ID"))
        return
    target = int(args[0])
    if target in svc.settings.admin_ids:
        await reply(
            update,
            context,
            tr("{user} is an admin through the ADMIN_IDS setting; change it there.", user=target),
        )
        return
    await _apply_role(update, context, target, Role.member)


async def _apply_role(update: Update, context: Context, target: int, role: Role) -> None:
    svc = get_services(context)
    actor, tr = await translator(update, context)
    change = await change_role(
        svc.db,
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
    if update.callback_query is not None:
        await edit_or_reply(update, context, text)
    else:
        await reply(update, context, text)


@requires_role(Role.admin)
async def audit_command(update: Update, context: Context) -> None:
    await _show_audit(update, context, page=0)


@requires_role(Role.admin)
async def audit_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    if len(parts) != 3 or parts[1] != "page" or not parts[2].isdigit() or int(parts[2]) > 10_000:
        await refuse_button(update, context, "malformed audit data")
        return
    await answer_query(update)
    await _show_audit(update, context, page=int(parts[2]))


async def _show_audit(update: Update, context: Context, page: int) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    total = await audit_store.count_entries(svc.db)
    entries = await audit_store.recent_entries(svc.db, limit=AUDIT_PAGE, offset=page * AUDIT_PAGE)
    if not entries:
        text = tr("The audit log is empty.") if page == 0 else tr("No more entries.")
        await edit_or_reply(update, context, text) if update.callback_query else await reply(
            update, context, text
        )
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
        buttons.append(("◀", f"audit:page:{page - 1}"))
    if (page + 1) * AUDIT_PAGE < total:
        buttons.append(("▶", f"audit:page:{page + 1}"))
    markup = [buttons] if buttons else None
    if update.callback_query is not None:
        await edit_or_reply(update, context, "\n".join(lines), buttons=markup)
    else:
        await reply(update, context, "\n".join(lines), buttons=markup)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("grant", grant_command))
    application.add_handler(CommandHandler("revoke", revoke_command))
    application.add_handler(CommandHandler("audit", audit_command))
    application.add_handler(CallbackQueryHandler(grant_button, pattern=r"^grant:"))
    application.add_handler(CallbackQueryHandler(audit_button, pattern=r"^audit:"))


__all__ = ["Translator", "register"]
