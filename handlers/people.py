"""People tools: /whoami for everyone, /members for organizers and admins (filters by
institution, country and role; paged). Granting roles is :mod:`handlers.roles`."""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.audience import AudienceError, _grouped, parse_selectors
from bot.core.enums import Role
from bot.core.i18n import N_
from bot.core.outbound import Button
from bot.render.callbacks.roles import MAX_MEMBER_PAGE, MembersPage
from bot.render.commands import CommandSpec, register_command
from bot.render.people import member_line, whoami_card
from handlers.common import (
    Context,
    answer_query,
    edit_or_reply,
    in_private_chat,
    point_to_private_chat,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from storage import people
from storage.institutions import list_institutions
from storage.models import Institution

MEMBERS_PAGE = 10
FILTER_KINDS = ("institution", "country", "role")

register_command(CommandSpec("whoami", N_("Your Telegram id, role and institution")))
register_command(
    CommandSpec(
        "members",
        N_("Members, with their ids"),
        Role.organizer,
        "[institution:ID] [country:CC] [role:ROLE]",
    )
)


async def _institutions(ctx: Context) -> dict[str, Institution]:
    return {i.id: i for i in await list_institutions(ctx.svc.db)}


async def whoami_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    if not in_private_chat(update):
        await point_to_private_chat(update, ctx)
        return
    admin_ids = ctx.svc.settings.admin_ids
    text = whoami_card(member, await _institutions(ctx), admin_ids, ctx.tr)
    await reply(update, ctx, text)


def _filters_of(args: list[str]) -> MembersPage | None:
    """The first page with the typed filters (``institution:ID country:CC role:ROLE``);
    None when one is not of those kinds, is given twice or does not fit a button."""
    if not args:
        return MembersPage(0)
    try:
        groups = _grouped(parse_selectors(",".join(args)))
    except AudienceError:
        return None
    if set(groups) - set(FILTER_KINDS) or any(len(v) > 1 for v in groups.values()):
        return None
    values: dict[str, Any] = {kind: groups[kind][0] for kind in groups}
    try:
        return MembersPage(0, **values)
    except ValueError:
        return None


@requires_role(Role.organizer)
async def members_command(update: Update, ctx: Context) -> None:
    wanted = _filters_of(list(ctx.args or []))
    if wanted is None:
        text = ctx.tr("Usage: /members [institution:ID] [country:CC] [role:member|organizer|admin]")
        await reply(update, ctx, text)
        return
    await _show_members(update, ctx, wanted)


@requires_role(Role.organizer)
async def members_button(update: Update, ctx: Context) -> None:
    """``mbr:<page>:<institution>:<country>:<role>``: another page of /members."""
    data = pressed(update, MembersPage)
    if data is None:
        await refuse_button(update, ctx, "malformed members data")
        return
    await answer_query(update)
    await _show_members(update, ctx, data)


async def _show_members(update: Update, ctx: Context, page: MembersPage) -> None:
    tr = ctx.tr
    wanted = people.MemberFilter(page.institution, page.country, page.role)
    found, total = await people.list_members(
        ctx.svc.db, wanted, offset=page.page * MEMBERS_PAGE, limit=MEMBERS_PAGE
    )
    pages = max(1, -(-total // MEMBERS_PAGE))
    header = tr(
        "<b>Members</b> ({count}) — page {page} of {pages}",
        count=total,
        page=page.page + 1,
        pages=pages,
    )
    active = [
        f"{k}:{v}"
        for k, v in zip(FILTER_KINDS, (page.institution, page.country, page.role), strict=True)
        if v
    ]
    if active:
        header += "\n" + tr("Filters: {filters}", filters=html.escape(", ".join(active)))
    if not found:
        await _answer(update, ctx, header + "\n\n" + tr("No member matches these filters."), [])
        return
    institutions, admin_ids = await _institutions(ctx), ctx.svc.settings.admin_ids
    first = page.page * MEMBERS_PAGE
    lines = [
        f"{first + i + 1}. " + member_line(m, institutions, admin_ids, tr)
        for i, m in enumerate(found)
    ]
    nav: list[Button] = []
    if page.page > 0:
        nav.append(Button("◀", data=_at(page, page.page - 1).pack()))
    if first + MEMBERS_PAGE < total and page.page < MAX_MEMBER_PAGE:
        nav.append(Button("▶", data=_at(page, page.page + 1).pack()))
    await _answer(update, ctx, header + "\n\n" + "\n".join(lines), nav)


def _at(page: MembersPage, number: int) -> MembersPage:
    return MembersPage(number, page.institution, page.country, page.role)


async def _answer(update: Update, ctx: Context, text: str, nav: list[Button]) -> None:
    rows = [nav] if nav else None
    if update.callback_query is not None:
        await edit_or_reply(update, ctx, text, buttons=rows)
    else:
        await reply(update, ctx, text, buttons=rows)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("whoami", whoami_command))
    application.add_handler(CommandHandler("members", members_command))
    application.add_handler(CallbackQueryHandler(members_button, pattern=MembersPage.pattern()))
