"""Broadcasts: stored, turned into outbox rows in the same transaction, scheduled, cancelled,
and counted for progress reports. Texts are already validated by the caller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select, update

from bot.core.outbound import OutboundMessage
from storage.audience import audience_query, waiting_query
from storage.audit import add_entry
from storage.db import Database
from storage.models import Broadcast, ChatGroup, Delivery, Member
from storage.outbox import PRIORITY_BROADCAST, DeliveryDraft, enqueue
from storage.types import utcnow


@dataclass(frozen=True)
class Attachment:
    kind: str  # document | photo
    file_id: str
    name: str | None = None


def text_for(texts: dict[str, str], language: str, default: str) -> tuple[str, str]:
    """The member's language, else the default, else any: ``(language, text)``."""
    for candidate in (language, default, *texts):
        if texts.get(candidate):
            return candidate, texts[candidate]
    return default, ""


def _payload(parts: list[str], attachment: Attachment | None) -> dict[str, Any]:
    kind = attachment.kind if attachment is not None else None
    file_id = attachment.file_id if attachment is not None else None
    return OutboundMessage(
        parts,
        document=file_id if kind == "document" else None,
        photo=file_id if kind == "photo" else None,
    ).to_payload()


def _drafts(
    broadcast: Broadcast,
    members: Sequence[Member],
    groups: Sequence[ChatGroup],
    default_language: str,
    split: Any,
) -> list[DeliveryDraft]:
    attachment = (
        Attachment(broadcast.attachment_kind, broadcast.attachment_file_id)
        if broadcast.attachment_kind and broadcast.attachment_file_id
        else None
    )
    drafts = []
    for member in members:
        language, text = text_for(broadcast.texts, member.language, default_language)
        drafts.append(
            DeliveryDraft(
                key=f"broadcast:{broadcast.id}:{member.chat_id}",
                kind="broadcast",
                chat_id=member.chat_id,
                member_id=member.user_id,
                broadcast_id=broadcast.id,
                language=language,
                payload=_payload(split(text), attachment),
                priority=PRIORITY_BROADCAST,
            )
        )
    for group in groups:
        language, text = text_for(broadcast.texts, default_language, default_language)
        drafts.append(
            DeliveryDraft(
                key=f"broadcast:{broadcast.id}:{group.chat_id}",
                kind="broadcast",
                chat_id=group.chat_id,
                broadcast_id=broadcast.id,
                language=language,
                payload=_payload(split(text), attachment),
                priority=PRIORITY_BROADCAST,
            )
        )
    return drafts


def member_selectors(audience: Sequence[str]) -> list[str]:
    return [s for s in audience if not s.startswith("group:")]


def group_selectors(audience: Sequence[str]) -> list[str]:
    return [s.partition(":")[2] for s in audience if s.startswith("group:")]


async def _groups(session: Any, wanted: list[str]) -> list[ChatGroup]:
    if not wanted:
        return []
    query = select(ChatGroup).where(col(ChatGroup.active).is_(True))
    if "all" not in wanted:
        query = query.where(col(ChatGroup.chat_id).in_([int(x) for x in wanted]))
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class Recipients:
    """Whom a broadcast would reach now, and the members it leaves out only because their
    claim to an institution waits for an organizer."""

    people: int
    groups: int
    waiting: int = 0

    @property
    def total(self) -> int:
        return self.people + self.groups


async def count_recipients(db: Database, audience: Sequence[str]) -> Recipients:
    """The members and groups that a broadcast to ``audience`` would reach now."""
    members = member_selectors(audience)
    async with db.session() as session:
        people = (
            list((await session.exec(audience_query(members))).all())
            if members or not group_selectors(audience)
            else []
        )
        groups = await _groups(session, group_selectors(audience))
        waiting = waiting_query(members)
        left_out = [] if waiting is None else list((await session.exec(waiting)).all())
    return Recipients(len(people), len(groups), len(left_out))


async def create_broadcast(
    db: Database,
    *,
    created_by: int,
    actor_name: str,
    texts: dict[str, str],
    audience: list[str],
    now: datetime,
    default_language: str,
    split: Any,
    attachment: Attachment | None = None,
    scheduled_at: datetime | None = None,
    progress_chat_id: int | None = None,
) -> Broadcast:
    """Store a broadcast; unless scheduled for later, queue its deliveries in the same
    transaction."""
    async with db.session() as session:
        broadcast = Broadcast(
            created_by=created_by,
            texts=texts,
            audience=audience,
            attachment_kind=attachment.kind if attachment else None,
            attachment_file_id=attachment.file_id if attachment else None,
            attachment_name=attachment.name if attachment else None,
            status="scheduled" if scheduled_at and scheduled_at > now else "sending",
            scheduled_at=scheduled_at,
            progress_chat_id=progress_chat_id,
            created_at=now,
        )
        session.add(broadcast)
        await session.flush()
        add_entry(
            session,
            actor_id=created_by,
            actor_name=actor_name,
            action="broadcast",
            target=str(broadcast.id),
            details={
                "audience": audience,
                "scheduled_at": scheduled_at.isoformat() if scheduled_at else None,
                "languages": sorted(texts),
            },
        )
        if broadcast.status == "sending":
            await _queue(session, broadcast, now, default_language, split)
        return broadcast


async def _queue(
    session: Any, broadcast: Broadcast, now: datetime, default_language: str, split: Any
) -> None:
    members_sel = member_selectors(broadcast.audience)
    members = (
        list((await session.exec(audience_query(members_sel))).all())
        if members_sel or not group_selectors(broadcast.audience)
        else []
    )
    groups = await _groups(session, group_selectors(broadcast.audience))
    drafts = _drafts(broadcast, members, groups, default_language, split)
    broadcast.recipients = len(drafts)
    if not drafts:
        broadcast.status = "done"
        broadcast.finished_at = now
    await enqueue(session, drafts, now)


async def start_due_broadcasts(
    db: Database, now: datetime, default_language: str, split: Any
) -> list[Broadcast]:
    """Queue scheduled broadcasts whose time has come (safe with several processes: the
    status change is the claim)."""
    started = []
    async with db.session() as session:
        due = (
            await session.exec(
                select(Broadcast.id).where(
                    col(Broadcast.status) == "scheduled", col(Broadcast.scheduled_at) <= now
                )
            )
        ).all()
    for broadcast_id in due:
        async with db.session() as session:
            claimed = await session.exec(
                update(Broadcast)
                .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status) == "scheduled")
                .values(status="sending")
            )
            if not claimed.rowcount:
                continue
            broadcast = await session.get(Broadcast, broadcast_id)
            assert broadcast is not None
            await _queue(session, broadcast, now, default_language, split)
            started.append(broadcast)
    return started


async def cancel_broadcast(
    db: Database, broadcast_id: int, *, actor_id: int, actor_name: str, now: datetime
) -> Broadcast | None:
    """Cancel a scheduled broadcast, or the unsent rest of one being sent."""
    async with db.session() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.status not in ("scheduled", "sending"):
            return None
        broadcast.status = "cancelled"
        broadcast.finished_at = now
        await session.exec(
            update(Delivery)
            .where(col(Delivery.broadcast_id) == broadcast_id, col(Delivery.status) == "pending")
            .values(status="cancelled")
        )
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="cancel broadcast",
            target=str(broadcast_id),
        )
        return broadcast


async def get_broadcast(db: Database, broadcast_id: int) -> Broadcast | None:
    async with db.session() as session:
        return await session.get(Broadcast, broadcast_id)


async def recent_broadcasts(db: Database, limit: int = 10) -> list[Broadcast]:
    async with db.session() as session:
        query = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)
        return list((await session.exec(query)).all())


async def active_broadcasts(db: Database) -> list[Broadcast]:
    async with db.session() as session:
        query = select(Broadcast).where(col(Broadcast.status) == "sending")
        return list((await session.exec(query)).all())


async def mark_done_if_drained(db: Database, broadcast_id: int, now: datetime) -> bool:
    """Close a broadcast when none of its deliveries is pending or in flight."""
    async with db.session() as session:
        open_rows = (
            await session.exec(
                select(Delivery.id)
                .where(
                    col(Delivery.broadcast_id) == broadcast_id,
                    col(Delivery.status).in_(["pending", "sending"]),
                )
                .limit(1)
            )
        ).first()
        if open_rows is not None:
            return False
        result = await session.exec(
            update(Broadcast)
            .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status) == "sending")
            .values(status="done", finished_at=now)
        )
        return bool(result.rowcount)


async def register_group(db: Database, chat_id: int, title: str, by: int) -> ChatGroup:
    async with db.session() as session:
        group = await session.get(ChatGroup, chat_id)
        if group is None:
            group = ChatGroup(
                chat_id=chat_id, title=title[:200], registered_by=by, created_at=utcnow()
            )
            session.add(group)
        else:
            group.title, group.active, group.registered_by = title[:200], True, by
        add_entry(
            session,
            actor_id=by,
            action="register group",
            target=str(chat_id),
            details={"title": title[:200]},
        )
        await session.flush()
        return group


async def list_groups(db: Database) -> list[ChatGroup]:
    async with db.session() as session:
        query = select(ChatGroup).where(col(ChatGroup.active).is_(True))
        return list((await session.exec(query)).all())


async def set_progress_message(db: Database, broadcast_id: int, message_id: int) -> None:
    async with db.session() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is not None:
            broadcast.progress_message_id = message_id
