"""Announcements as text: the progress message edited while sending, and /broadcasts lines.

Shared by the /broadcast handlers (the first progress message, the list) and the progress
job (``bot.jobs.broadcasts``), which edits the message until the announcement is done.
"""

from __future__ import annotations

from bot.core.enums import BroadcastStatus, DeliveryStatus
from bot.core.i18n import N_, Translator, format_local_datetime, format_number
from storage.models import Broadcast

STATUS_LABELS: dict[str, str] = {
    BroadcastStatus.scheduled: N_("scheduled"),
    BroadcastStatus.sending: N_("sending"),
    BroadcastStatus.done: N_("sent"),
    BroadcastStatus.cancelled: N_("cancelled"),
    BroadcastStatus.draft: N_("draft"),
}


def progress_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else width
    return "▓" * filled + "░" * (width - filled)


def progress_text(
    broadcast: Broadcast, counts: dict[str, int], rate: float, tr: Translator, final: bool
) -> str:
    """The progress message: a bar and the rate while sending, the totals once done."""
    total = broadcast.recipients or sum(counts.values())
    sent = counts.get(DeliveryStatus.sent, 0)
    blocked = counts.get(DeliveryStatus.blocked, 0)
    failed = counts.get(DeliveryStatus.failed, 0) + counts.get(DeliveryStatus.cancelled, 0)
    done = sent + blocked + failed

    def number(n: float) -> str:
        return format_number(n, tr.language)

    if final:
        return "\n".join(
            [
                tr("📣 <b>Announcement #{id} finished</b>", id=broadcast.id),
                tr("Delivered: {n}", n=number(sent)),
                tr("Blocked the bot: {n}", n=number(blocked)),
                tr("Failed: {n}", n=number(failed)),
            ]
        )
    return "\n".join(
        [
            tr("📣 <b>Announcement #{id}</b> is being sent", id=broadcast.id),
            f"{progress_bar(done, total)} "
            + tr(
                "{done}/{total} · {rate} msg/s · {blocked} blocked",
                done=number(done),
                total=number(total),
                rate=number(round(rate, 1)),
                blocked=number(blocked),
            ),
        ]
    )


def is_final(broadcast: Broadcast) -> bool:
    return broadcast.status == BroadcastStatus.done


def status_label(status: str, tr: Translator) -> str:
    return tr(STATUS_LABELS.get(status, status))


def listing_line(item: Broadcast, counts: dict[str, int], tr: Translator, zone: str) -> str:
    """One announcement in /broadcasts: number, status, time, delivery counts."""
    when = item.scheduled_at or item.created_at
    return tr(
        "#{id} · {status} · {when} · {sent}/{total} delivered, {blocked} blocked, {failed} failed",
        id=item.id,
        status=status_label(item.status, tr),
        when=format_local_datetime(when, zone, tr.language, fmt="short"),
        sent=counts.get(DeliveryStatus.sent, 0),
        total=item.recipients,
        blocked=counts.get(DeliveryStatus.blocked, 0),
        failed=counts.get(DeliveryStatus.failed, 0),
    )
