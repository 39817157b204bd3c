"""Who an announcement reaches: the audience buttons, typed selectors, and /registergroup."""

from __future__ import annotations

import html

from telegram import Update

from bot.core.audience import AudienceError, parse_selectors
from bot.core.geo import OTHER_REGION, REGIONS, region_of
from bot.render.broadcasts import audience_rows, audience_text
from bot.render.callbacks.broadcast import AudienceRegion, AudienceToggle
from handlers.broadcast.draft import (
    BROADCAST_FLOW,
    BroadcastDraft,
    Step,
    action_button,
    cancel_button,
    load_for,
)
from handlers.common import Context, pressed, refuse_button, reply, requires_role, show_screen
from storage import broadcasts as store
from storage.audience import unknown_references
from storage.institutions import network_countries
from storage.models import Role


def _toggle(audience: list[str], selector: str) -> list[str]:
    if selector == "all":
        return ["all"]
    current = [s for s in audience if s != "all"]
    current = [s for s in current if s != selector] if selector in current else [*current, selector]
    return current or ["all"]


async def show_audience(
    update: Update, ctx: Context, draft: BroadcastDraft, *, edit: bool, region: str | None = None
) -> None:
    """The audience and its toggles (of one ``region``'s countries when there are many).
    A new panel takes the buttons off the one before, and the draft remembers it: only the
    panel showing now changes the audience."""
    recipients = await store.count_recipients(ctx.svc.db, draft.audience)
    text = audience_text(draft.audience, recipients, ctx.tr)
    countries = await network_countries(ctx.svc.db)
    rows = audience_rows(countries, set(draft.audience), ctx.tr, region)
    rows.append([action_button(ctx.tr("Preview ▶"), "preview"), cancel_button(ctx)])
    shown = await show_screen(update, ctx, text, buttons=rows, edit=edit, replacing=draft.panel)
    if draft.panel != shown:
        draft.panel = shown
        await BROADCAST_FLOW.save(ctx, draft)


@BROADCAST_FLOW.on_message(Step.audience)
async def take_selectors(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    message = update.effective_message
    assert message is not None
    try:
        selectors = parse_selectors(message.text or "")
    except AudienceError as exc:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
                "language:es, role:organizer, event:ID or group:all, separated by commas.",
                selector=html.escape(exc.selector[:60]),
            ),
        )
        return
    missing = await unknown_references(ctx.svc.db, selectors)
    if missing:
        items = html.escape(", ".join(missing))
        await reply(update, ctx, ctx.tr("These do not exist: {items}", items=items))
        return
    draft.audience = selectors
    await BROADCAST_FLOW.save(ctx, draft)
    await show_audience(update, ctx, draft, edit=False)


@requires_role(Role.organizer)
async def region_button(update: Update, ctx: Context) -> None:
    """``bcg:<region>``: the audience keyboard shows that region's countries (or the regions)."""
    data = pressed(update, AudienceRegion)
    if data is None or (data.region is not None and data.region not in (*REGIONS, OTHER_REGION)):
        await refuse_button(update, ctx, "bad audience region")
        return
    draft = await load_for(update, ctx, Step.audience, on_panel=True)
    if draft is None:
        return
    await show_audience(update, ctx, draft, edit=True, region=data.region)


@requires_role(Role.organizer)
async def audience_button(update: Update, ctx: Context) -> None:
    """``bca:<kind>:<value>``: add or remove one selector of the audience."""
    data = pressed(update, AudienceToggle)
    try:
        selector = parse_selectors([data.selector])[0] if data is not None else None
    except AudienceError:
        selector = None
    if selector is None:
        await refuse_button(update, ctx, "bad audience selector")
        return
    draft = await load_for(update, ctx, Step.audience, on_panel=True)
    if draft is None:
        return
    draft.audience = _toggle(draft.audience, selector)
    await BROADCAST_FLOW.save(ctx, draft)
    region = region_of(selector[8:]) if selector.startswith("country:") else None
    await show_audience(update, ctx, draft, edit=True, region=region)


@requires_role(Role.admin, in_groups=True)
async def registergroup_command(update: Update, ctx: Context) -> None:
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        await reply(
            update,
            ctx,
            ctx.tr(
                "Send /registergroup inside the group you want to register, after adding me to it."
            ),
        )
        return
    group = await store.register_group(ctx.svc.db, chat.id, chat.title or "", ctx.member.user_id)
    await reply(
        update,
        ctx,
        ctx.tr(
            "This group is registered: announcements to “group:all” or “group:{id}” reach it.",
            id=group.chat_id,
        ),
    )
