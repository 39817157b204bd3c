"""/broadcasts (recent and scheduled announcements) and /stats (members and feedback)."""

from __future__ import annotations

from telegram import Update

from bot.core.enums import BroadcastStatus
from bot.core.outbound import Button
from bot.render.broadcasts import listing_line, stats_text
from bot.render.callbacks.broadcast import StopBroadcast
from handlers.broadcast.draft import broadcast_id
from handlers.common import Context, reply, requires_role
from handlers.tickets import feedback_lines
from storage import broadcasts as store
from storage.models import Role
from storage.outbox import status_counts
from storage.stats import member_stats


@requires_role(Role.organizer)
async def broadcasts_command(update: Update, ctx: Context) -> None:
    recent = await store.recent_broadcasts(ctx.svc.db, 10)
    if not recent:
        await reply(update, ctx, ctx.tr("No announcements yet. Send /broadcast to write one."))
        return
    lines = [ctx.tr("<b>Recent announcements</b>")]
    rows: list[list[Button]] = []
    for item in recent:
        counts = await status_counts(ctx.svc.db, broadcast_id(item))
        lines.append(listing_line(item, counts, ctx.tr, ctx.member.timezone))
        if item.status == BroadcastStatus.scheduled:
            label = ctx.tr("Cancel #{id}", id=item.id)
            rows.append([Button(label, data=StopBroadcast(broadcast_id(item)).pack())])
    await reply(update, ctx, "\n".join(lines), buttons=rows or None)


@requires_role(Role.organizer)
async def stats_command(update: Update, ctx: Context) -> None:
    text = stats_text(await member_stats(ctx.svc.db), ctx.tr)
    await reply(update, ctx, "\n".join([text, *await feedback_lines(ctx)]))
