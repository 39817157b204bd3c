"""Tickets: questions the bot could not answer, handed to the organizers (``handlers.tickets``).

A ticket's state changes only by compare and set on its ``status`` (one UPDATE ... WHERE
status IN (...)), so of two organizers answering at the same moment exactly one wins and
the other is shown who did. A ticket's inbox messages go out through the outbox with the
key ``inbox:<id>:<chat>``, the notes under them with ``inbox-note:<id>:<chat>:<what>``, and
the member's copy of an answer with ``ticket:<id>:answer:<n>``: the outbox keeps the
Telegram id of what it sent, so a reply to a post or an answer is found through
``Delivery``. ``TicketPost`` holds the inbox messages sent directly before that, still read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from bot.core.enums import Role, TicketStatus
from storage.db import Database
from storage.models import Delivery, KeyValue, Member, Ticket, TicketNote, TicketPost
from storage.outbox import PRIORITY_NOTICE, DeliveryDraft, enqueue

INBOX_KEY = "tickets:inbox"
DAILY_LIMIT = 5  # tickets one member may open in 24 hours
MAX_QUESTION = 1000


@dataclass(frozen=True)
class Inbox:
    """The organizers' group (a forum gets one topic per ticket)."""

    chat_id: int
    forum: bool
    title: str


@dataclass(frozen=True)
class Change:
    """The outcome of a compare-and-set: ``done`` or not, and the ticket as it is now."""

    done: bool
    ticket: Ticket | None


# ------------------------------------------------------------------ the inbox
async def get_inbox(db: Database) -> Inbox | None:
    async with db.session() as session:
        row = await session.get(KeyValue, INBOX_KEY)
        if row is None or not isinstance(row.value, dict):
            return None
        value = row.value
        return Inbox(int(value["chat_id"]), bool(value.get("forum")), str(value.get("title", "")))


async def set_inbox(db: Database, inbox: Inbox | None, now: datetime) -> None:
    """Register the organizers' group (None: back to each organizer's private chat)."""
    async with db.session() as session:
        row = await session.get(KeyValue, INBOX_KEY)
        if inbox is None:
            if row is not None:
                await session.delete(row)
            return
        value = {"chat_id": inbox.chat_id, "forum": inbox.forum, "title": inbox.title}
        if row is None:
            session.add(KeyValue(key=INBOX_KEY, value=value, updated_at=now))
        else:
            row.value, row.updated_at = value, now


async def organizers(db: Database) -> list[Member]:
    """Organizers and admins who can be written to (their private chats are the inbox)."""
    async with db.session() as session:
        query = select(Member).where(
            col(Member.role).in_([Role.organizer.value, Role.admin.value]),
            col(Member.blocked).is_(False),
            col(Member.opted_out).is_(False),
        )
        return list((await session.exec(query.order_by(col(Member.user_id)))).all())


# ------------------------------------------------------------------ opening
async def opened_since(db: Database, member_id: int, since: datetime) -> int:
    async with db.session() as session:
        query = select(func.count()).where(
            col(Ticket.member_id) == member_id, col(Ticket.created_at) >= since
        )
        return int((await session.exec(query)).one())


async def open_ticket(
    db: Database,
    member: Member,
    question: str,
    *,
    institution: str,
    name: str,
    now: datetime,
    limit: int = DAILY_LIMIT,
) -> Ticket | None:
    """A new open ticket; None when the member already opened ``limit`` in 24 hours."""
    if await opened_since(db, member.user_id, now - timedelta(days=1)) >= limit:
        return None
    ticket = Ticket(
        member_id=member.user_id,
        chat_id=member.chat_id,
        member_name=name[:200],
        institution=institution[:200],
        language=member.language,
        question=question[:MAX_QUESTION],
        status=TicketStatus.open,
        created_at=now,
        updated_at=now,
    )
    async with db.session() as session:
        session.add(ticket)
        await session.flush()
        session.add(
            TicketNote(
                ticket_id=ticket.id or 0,
                author="member",
                author_id=member.user_id,
                text=ticket.question,
                at=now,
            )
        )
    return ticket


async def open_ticket_of(db: Database, member_id: int, question: str) -> Ticket | None:
    """The member's ticket still open for this very question (a second press is not a
    second ticket)."""
    async with db.session() as session:
        query = select(Ticket).where(
            col(Ticket.member_id) == member_id,
            col(Ticket.status) == TicketStatus.open.value,
            col(Ticket.question) == question[:MAX_QUESTION],
        )
        return (await session.exec(query.limit(1))).first()


async def get_ticket(db: Database, ticket_id: int) -> Ticket | None:
    async with db.session() as session:
        return await session.get(Ticket, ticket_id)


async def list_tickets(
    db: Database, status: TicketStatus | None = None, limit: int = 50
) -> list[Ticket]:
    async with db.session() as session:
        query = select(Ticket).order_by(col(Ticket.id).desc()).limit(limit)
        if status is not None:
            query = query.where(col(Ticket.status) == status.value)
        return list((await session.exec(query)).all())


async def notes_of(db: Database, ticket_id: int) -> list[TicketNote]:
    async with db.session() as session:
        query = select(TicketNote).where(col(TicketNote.ticket_id) == ticket_id)
        return list((await session.exec(query.order_by(col(TicketNote.id)))).all())


# ------------------------------------------------------------------ inbox posts
POST_PREFIX = "inbox:"
NOTE_PREFIX = "inbox-note:"


@dataclass(frozen=True)
class PostDraft:
    """One inbox message of a new ticket: to a group, or to an organizer (``member_id``)."""

    chat_id: int
    language: str
    payload: dict[str, Any]
    member_id: int | None = None


def post_key(ticket_id: int, chat_id: int) -> str:
    return f"{POST_PREFIX}{ticket_id}:{chat_id}"


def _ticket_of_post_key(key: str) -> int | None:
    parts = key.split(":")
    if len(parts) == 3 and parts[0] + ":" == POST_PREFIX and parts[1].isdigit():
        return int(parts[1])
    return None


async def _queue(db: Database, keyed: Sequence[tuple[str, PostDraft]], now: datetime) -> int:
    """Queue inbox messages under their keys (before any bulk sending); how many are new."""
    drafts = [
        DeliveryDraft(
            key=key[:160],
            kind="notice",
            chat_id=draft.chat_id,
            member_id=draft.member_id,
            language=draft.language,
            payload=draft.payload,
            priority=PRIORITY_NOTICE,
        )
        for key, draft in keyed
    ]
    async with db.session() as session:
        return await enqueue(session, drafts, now)


async def queue_posts(
    db: Database, ticket_id: int, posts: Sequence[PostDraft], now: datetime
) -> int:
    """Queue a ticket's inbox messages; how many are new."""
    return await _queue(db, [(post_key(ticket_id, p.chat_id), p) for p in posts], now)


async def queue_notes(
    db: Database, ticket_id: int, tag: str, notes: Sequence[PostDraft], now: datetime
) -> int:
    """Queue a short note under each of the ticket's inbox messages, once per ``tag`` (what
    happened: ``wrote:<revision>``, ``unreachable:<revision>``); how many are new."""
    keyed = [(f"{NOTE_PREFIX}{ticket_id}:{n.chat_id}:{tag}", n) for n in notes]
    return await _queue(db, keyed, now)


async def add_post(
    db: Database, ticket_id: int, chat_id: int, message_id: int, thread_id: int | None = None
) -> None:
    """Record an inbox message sent outside the outbox (as they all were before)."""
    async with db.session() as session:
        session.add(
            TicketPost(
                chat_id=chat_id, message_id=message_id, ticket_id=ticket_id, thread_id=thread_id
            )
        )


def _as_post(delivery: Delivery) -> TicketPost | None:
    """The inbox message an outbox row stands for (None before it was sent)."""
    ticket_id = _ticket_of_post_key(delivery.key)
    if ticket_id is None or delivery.telegram_message_id is None:
        return None
    thread = delivery.payload.get("thread")
    return TicketPost(
        chat_id=delivery.chat_id,
        message_id=delivery.telegram_message_id,
        ticket_id=ticket_id,
        thread_id=int(thread) if thread is not None else None,
    )


async def ticket_of_post(db: Database, chat_id: int, message_id: int) -> Ticket | None:
    """The ticket an inbox message stands for (a reply to it answers that ticket)."""
    async with db.session() as session:
        post = await session.get(TicketPost, (chat_id, message_id))
        if post is None:
            query = select(Delivery).where(
                col(Delivery.chat_id) == chat_id,
                col(Delivery.telegram_message_id) == message_id,
                col(Delivery.key).startswith(POST_PREFIX),
            )
            sent = (await session.exec(query.limit(1))).first()
            post = _as_post(sent) if sent is not None else None
        return None if post is None else await session.get(Ticket, post.ticket_id)


async def ticket_of_thread(db: Database, chat_id: int, thread_id: int) -> Ticket | None:
    """The ticket of a forum topic of the inbox (known as soon as its post is queued)."""
    async with db.session() as session:
        query = select(TicketPost.ticket_id).where(
            col(TicketPost.chat_id) == chat_id, col(TicketPost.thread_id) == thread_id
        )
        ticket_id = (await session.exec(query.limit(1))).first()
        if ticket_id is None:
            queued = select(Delivery.key, Delivery.payload).where(
                col(Delivery.chat_id) == chat_id, col(Delivery.key).startswith(POST_PREFIX)
            )
            for key, payload in (await session.exec(queued)).all():
                if payload.get("thread") == thread_id:
                    ticket_id = _ticket_of_post_key(key)
                    break
        return None if ticket_id is None else await session.get(Ticket, ticket_id)


async def posts_of(db: Database, ticket_id: int) -> list[TicketPost]:
    """The ticket's inbox messages sent so far (those still queued are not among them)."""
    async with db.session() as session:
        query = select(TicketPost).where(col(TicketPost.ticket_id) == ticket_id)
        posts = list((await session.exec(query)).all())
        sent = select(Delivery).where(
            col(Delivery.key).startswith(f"{POST_PREFIX}{ticket_id}:"),
            col(Delivery.telegram_message_id).is_not(None),
        )
        posts += [p for d in (await session.exec(sent)).all() if (p := _as_post(d)) is not None]
    return sorted(posts, key=lambda p: p.message_id)


# ------------------------------------------------------------------ changes of state
async def _swap(
    db: Database,
    ticket_id: int,
    allowed: Sequence[TicketStatus],
    values: dict[str, Any],
    note: TicketNote | None = None,
) -> Change:
    """Compare and set: change the ticket only while its status is one of ``allowed``."""
    async with db.session() as session:
        result = await session.exec(
            update(Ticket)
            .where(col(Ticket.id) == ticket_id, col(Ticket.status).in_([s.value for s in allowed]))
            .values(revision=Ticket.revision + 1, **values)
        )
        done = bool(result.rowcount)
        if done and note is not None:
            session.add(note)
    return Change(done, await get_ticket(db, ticket_id))


async def claim_answer(
    db: Database, ticket_id: int, by: int, by_name: str, text: str, now: datetime
) -> Change:
    """The first answer to an open ticket wins; a second one sees who answered it."""
    note = TicketNote(
        ticket_id=ticket_id,
        author="organizer",
        author_id=by,
        author_name=by_name,
        text=text,
        at=now,
    )
    values = {
        "status": TicketStatus.answered.value,
        "answer": text,
        "answered_by": by,
        "answered_by_name": by_name[:200],
        "answered_at": now,
        "updated_at": now,
    }
    return await _swap(db, ticket_id, [TicketStatus.open], values, note)


async def member_wrote(db: Database, ticket_id: int, text: str, now: datetime) -> Change:
    """The member wrote back: the note is kept and the ticket is open again (not if closed)."""
    ticket = await get_ticket(db, ticket_id)
    note = TicketNote(
        ticket_id=ticket_id,
        author="member",
        author_id=ticket.member_id if ticket else None,
        text=text[:MAX_QUESTION],
        at=now,
    )
    values = {"status": TicketStatus.open.value, "updated_at": now}
    return await _swap(db, ticket_id, [TicketStatus.open, TicketStatus.answered], values, note)


async def close_ticket(db: Database, ticket_id: int, now: datetime) -> Change:
    values = {"status": TicketStatus.closed.value, "updated_at": now}
    return await _swap(db, ticket_id, [TicketStatus.open, TicketStatus.answered], values)


async def reopen_ticket(db: Database, ticket_id: int, now: datetime) -> Change:
    values = {"status": TicketStatus.open.value, "updated_at": now}
    return await _swap(db, ticket_id, [TicketStatus.closed, TicketStatus.answered], values)


async def set_faq(db: Database, ticket_id: int, faq_id: str) -> None:
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)
        if ticket is not None:
            ticket.faq_id = faq_id


# ------------------------------------------------------------------ answers to the member
def answer_key(ticket_id: int, revision: int) -> str:
    return f"ticket:{ticket_id}:answer:{revision}"


async def queue_answer(
    db: Database, ticket: Ticket, payload: dict[str, Any], now: datetime
) -> bool:
    """Queue the answer for the member (a person's reply: before any bulk sending)."""
    if ticket.id is None or ticket.chat_id is None or ticket.erased:
        return False
    draft = DeliveryDraft(
        key=answer_key(ticket.id, ticket.revision),
        kind="notice",
        chat_id=ticket.chat_id,
        member_id=ticket.member_id,
        language=ticket.language,
        payload=payload,
        priority=PRIORITY_NOTICE,
    )
    async with db.session() as session:
        return await enqueue(session, [draft], now) > 0


async def queue_dismissal(
    db: Database, ticket: Ticket, payload: dict[str, Any], now: datetime
) -> bool:
    """Queue the member's note that the ticket was closed unanswered (Not for us), once per
    revision of the ticket; a reply to it is matched like a reply to an answer."""
    if ticket.id is None or ticket.chat_id is None or ticket.erased:
        return False
    draft = DeliveryDraft(
        key=f"ticket:{ticket.id}:closed:{ticket.revision}",
        kind="notice",
        chat_id=ticket.chat_id,
        member_id=ticket.member_id,
        language=ticket.language,
        payload=payload,
        priority=PRIORITY_NOTICE,
    )
    async with db.session() as session:
        return await enqueue(session, [draft], now) > 0


async def ticket_of_answer(db: Database, chat_id: int, message_id: int) -> Ticket | None:
    """The ticket whose answer is the member's message ``message_id`` in ``chat_id`` (any
    part of a long answer: the outbox keeps the id of the last part)."""
    async with db.session() as session:
        query = select(Delivery).where(
            col(Delivery.chat_id) == chat_id,
            col(Delivery.telegram_message_id) >= message_id,
            col(Delivery.telegram_message_id) < message_id + 10,
            col(Delivery.key).startswith("ticket:"),
        )
        for delivery in (await session.exec(query)).all():
            parts = len(delivery.payload.get("parts") or [""])
            ticket_id = ticket_of_key(delivery.key)
            last = delivery.telegram_message_id or 0
            if ticket_id is not None and last - parts < message_id:
                return await session.get(Ticket, ticket_id)
        return None


def ticket_of_key(key: str) -> int | None:
    """The ticket id of an answer's outbox key (None for any other key)."""
    parts = key.split(":")
    if len(parts) == 4 and parts[0] == "ticket" and parts[1].isdigit():
        return int(parts[1])
    return None


# ------------------------------------------------------------------ export
async def export_rows(db: Database) -> list[dict[str, Any]]:
    """Every ticket with its question and answer, oldest first (for the CSV export)."""
    async with db.session() as session:
        tickets = (await session.exec(select(Ticket).order_by(col(Ticket.id)))).all()
    return [
        {
            "id": t.id,
            "status": t.status,
            "language": t.language,
            "created_at": t.created_at.isoformat(),
            "institution": t.institution,
            "question": t.question,
            "answer": t.answer or "",
            "answered_by": t.answered_by_name or "",
            "answered_at": t.answered_at.isoformat() if t.answered_at else "",
            "faq_id": t.faq_id or "",
        }
        for t in tickets
    ]
