"""Access and retention: everything stored about one member (``/mydata``), the privacy
notice admins may replace per language (``/privacy``), and the pruning of old delivery
payloads and unanswered question texts (``bot.jobs.retention``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, or_, select, update
from sqlmodel import SQLModel, col, delete
from sqlmodel import select as sm_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import DeliveryStatus
from storage.db import Database
from storage.models import (
    Answer,
    AuditLog,
    Delivery,
    KeyValue,
    Member,
    Response,
    Rsvp,
    Ticket,
    TicketNote,
    UnansweredAsker,
    UnansweredQuestion,
)
from storage.types import utcnow

NOTICE_KEY = "privacy:notice:{language}"
# Tables the export reads explicitly; any other table with a member_id / user_id column
# (memberships, claims, ... of later features) is exported generically.
EXPLICIT = {
    "member",
    "rsvp",
    "response",
    "answer",
    "delivery",
    "auditlog",
    "unansweredasker",
    "ticket",
}
PERSON_COLUMNS = ("member_id", "user_id")
FINAL = [
    DeliveryStatus.sent,
    DeliveryStatus.failed,
    DeliveryStatus.blocked,
    DeliveryStatus.cancelled,
]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(model: SQLModel, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: _plain(v) for k, v in model.model_dump().items() if k not in skip}


# ---------------------------------------------------------------- /mydata
async def export_member(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about ``user_id``, as JSON-ready data, without other people's."""
    async with db.session() as session:
        member = await session.get(Member, user_id)
        return {
            "member": _row(member) if member is not None else None,
            "rsvps": await _rows(session, sm_select(Rsvp).where(col(Rsvp.member_id) == user_id)),
            "drafts": await _drafts(session, user_id),
            "survey_responses": await _responses(session, user_id),
            "questions_asked": await _questions(session, user_id),
            "deliveries": await _deliveries(session, user_id),
            "audit_entries": await _audit(session, user_id),
            "tickets": await _tickets(session, user_id),
            **await _other_tables(session, user_id),
        }


async def _rows(session: AsyncSession, query: Any, skip: tuple[str, ...] = ()) -> list[Any]:
    return [_row(row, skip=skip) for row in (await session.exec(query)).all()]


async def _drafts(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    query = sm_select(KeyValue).where(col(KeyValue.key).like(f"draft:%:{user_id}"))
    return [
        {"flow": row.key.split(":")[1], "value": row.value, "updated_at": _plain(row.updated_at)}
        for row in (await session.exec(query)).all()
    ]


async def _responses(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    """Their own responses, and the answers they gave in their institution's."""
    query = sm_select(Response).where(col(Response.member_id) == user_id)
    found = []
    for response in (await session.exec(query)).all():
        answers = sm_select(Answer).where(col(Answer.response_id) == response.id)
        if response.institution_id is not None:
            answers = answers.where(col(Answer.answered_by) == user_id)
        found.append(_row(response) | {"answers": await _rows(session, answers)})
    return found


async def _questions(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    query = (
        sm_select(UnansweredQuestion.text, UnansweredAsker.asked_at)
        .join(UnansweredAsker, col(UnansweredAsker.question_id) == UnansweredQuestion.id)
        .where(col(UnansweredAsker.member_id) == user_id)
    )
    return [{"text": t, "asked_at": _plain(at)} for t, at in (await session.exec(query)).all()]


async def _deliveries(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    query = sm_select(Delivery).where(col(Delivery.member_id) == user_id)
    skip = ("claimed_by", "claimed_at", "key", "priority")
    return await _rows(session, query.order_by(col(Delivery.id)), skip)


async def _audit(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    """Entries they made, and entries about them (without the name of who made those)."""
    query = sm_select(AuditLog).where(
        or_(col(AuditLog.actor_id) == user_id, col(AuditLog.target) == str(user_id))
    )
    entries = []
    for entry in (await session.exec(query.order_by(col(AuditLog.id)))).all():
        row = _row(entry)
        if entry.actor_id != user_id:
            row.pop("actor_id"), row.pop("actor_name")
        entries.append(row)
    return entries


async def _tickets(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    """Their questions to the organizers, with the conversation (organizers' answers too:
    they were written to this person)."""
    tickets = (await session.exec(sm_select(Ticket).where(col(Ticket.member_id) == user_id))).all()
    found = []
    for ticket in tickets:
        notes = await _rows(
            session,
            sm_select(TicketNote).where(col(TicketNote.ticket_id) == ticket.id),
            skip=("author_id",),
        )
        found.append({**_row(ticket, skip=("answered_by",)), "conversation": notes})
    return found


async def _other_tables(session: AsyncSession, user_id: int) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in EXPLICIT:
            continue
        rows = await _table_rows(session, table, user_id)
        if rows:
            found[table.name] = rows
    return found


async def _table_rows(session: AsyncSession, table: Table, user_id: int) -> list[Any]:
    columns = [table.c[name] for name in PERSON_COLUMNS if name in table.c]
    if not columns:
        return []
    result = await session.execute(select(table).where(or_(*(c == user_id for c in columns))))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


# ---------------------------------------------------------------- /privacy
async def get_notice(db: Database, language: str) -> str | None:
    """The admins' text of the privacy notice in ``language``; None: the built-in one."""
    async with db.session() as session:
        row = await session.get(KeyValue, NOTICE_KEY.format(language=language))
        if row is None or not isinstance(row.value, dict):
            return None
        text = row.value.get("text")
        return str(text) if text else None


async def set_notice(db: Database, language: str, text: str | None) -> None:
    """Replace the notice in ``language``; ``None`` goes back to the built-in text."""
    key = NOTICE_KEY.format(language=language)
    async with db.session() as session:
        row = await session.get(KeyValue, key)
        if text is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(KeyValue(key=key, value={"text": text}, updated_at=utcnow()))
        else:
            row.value, row.updated_at = {"text": text}, utcnow()


# ---------------------------------------------------------------- retention
@dataclass(frozen=True)
class Pruned:
    deliveries: int
    questions: int


async def prune(db: Database, now: datetime, days: int) -> Pruned:
    """Empty the payloads (and drop the chat) of finished deliveries older than ``days``;
    delete unanswered questions nobody asked in that time. Pending rows keep what they need."""
    cutoff = now - timedelta(days=days)
    async with db.session() as session:
        result = await session.exec(
            update(Delivery)
            .where(
                col(Delivery.created_at) < cutoff,
                col(Delivery.status).in_(FINAL),
                col(Delivery.chat_id) != 0,  # pruned (or erased) already
            )
            .values(payload={}, chat_id=0, last_error=None)
        )
        old = sm_select(UnansweredQuestion.id).where(col(UnansweredQuestion.last_asked_at) < cutoff)
        await session.exec(delete(UnansweredAsker).where(col(UnansweredAsker.question_id).in_(old)))
        questions = await session.exec(
            delete(UnansweredQuestion).where(col(UnansweredQuestion.last_asked_at) < cutoff)
        )
        return Pruned(int(result.rowcount or 0), int(questions.rowcount or 0))
