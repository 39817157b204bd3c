"""``/start <payload>`` links of other features, kept for a newcomer until they are onboarded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from handlers.common import Context
from storage import drafts

DeepLinkHandler = Callable[[Update, Context, str], Awaitable[bool]]
DEEP_LINKS: dict[str, DeepLinkHandler] = {}


def register_deep_link(prefix: str, handler: DeepLinkHandler) -> None:
    """``/start <prefix>...`` (``t.me/<bot>?start=...``) is passed to ``handler``."""
    DEEP_LINKS[prefix] = handler


async def wait_for_onboarding(ctx: Context, payload: str) -> None:
    """A newcomer came through a deep link that needs a registered member (an event's
    link): keep it, onboard them, then :func:`resume_deep_link` opens it."""
    await drafts.save_draft(ctx.svc.db, "start", ctx.member.user_id, {"payload": payload})


async def resume_deep_link(update: Update, ctx: Context) -> None:
    pending = await drafts.get_draft(ctx.svc.db, "start", ctx.member.user_id)
    if pending is None:
        return
    await drafts.delete_draft(ctx.svc.db, "start", ctx.member.user_id)
    await open_deep_link(update, ctx, str(pending.get("payload", "")))


async def open_deep_link(update: Update, ctx: Context, payload: str) -> bool:
    """Hand ``payload`` to the handler of its prefix; False when none took it."""
    for prefix, handler in DEEP_LINKS.items():
        if payload.startswith(prefix) and await handler(update, ctx, payload):
            return True
    return False
