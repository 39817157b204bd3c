"""Questions the answerer could not answer, kept for the organizers (``/unanswered``)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete, select

from bot.core.text import fold
from storage.db import Database
from storage.models import UnansweredAsker, UnansweredQuestion


def question_key(text: str) -> str:
    """Same question, same key: accents, case, punctuation and spacing do not matter."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())[:300]


async def record_unanswered(
    db: Database, text: str, language: str, now: datetime, asked_by: int | None = None
) -> int:
    """Count one more asking of this question; returns how often it was asked.

    ``asked_by`` (the member) is kept beside it so that erasing that person can remove it.
    """
    key = question_key(text)
    async with db.session() as session:
        row = (
            await session.exec(
                select(UnansweredQuestion).where(col(UnansweredQuestion.normalized) == key)
            )
        ).first()
        if row is None:
            row = UnansweredQuestion(
                normalized=key, text=text[:1000], language=language, last_asked_at=now
            )
            session.add(row)
        else:
            row.count += 1
            row.last_asked_at = now
        await session.flush()
        if asked_by is not None and row.id is not None:
            asker = await session.get(UnansweredAsker, (row.id, asked_by))
            if asker is None:
                session.add(UnansweredAsker(question_id=row.id, member_id=asked_by, asked_at=now))
            else:
                asker.asked_at = now
        return row.count


async def list_unanswered(db: Database, limit: int = 20) -> list[UnansweredQuestion]:
    """Most asked first, then most recent. The same question kept twice (two first askings
    at the same moment) is one entry with both counts."""
    async with db.session() as session:
        result = await session.exec(
            select(UnansweredQuestion)
            .order_by(
                col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_asked_at).desc()
            )
            .limit(max(limit * 10, 500))
        )
        rows = list(result.all())
    merged: dict[str, UnansweredQuestion] = {}
    for row in rows:
        first = merged.setdefault(row.normalized, row)
        if first is not row:
            first.count += row.count
            first.last_asked_at = max(first.last_asked_at, row.last_asked_at)
    found = sorted(merged.values(), key=lambda r: (-r.count, -r.last_asked_at.timestamp()))
    return found[:limit]


async def clear_unanswered(db: Database, ids: list[int]) -> int:
    async with db.session() as session:
        await session.exec(delete(UnansweredAsker).where(col(UnansweredAsker.question_id).in_(ids)))
        result = await session.exec(
            delete(UnansweredQuestion).where(col(UnansweredQuestion.id).in_(ids))
        )
        return int(result.rowcount or 0)


async def asked_by(db: Database, question_id: int, member_id: int) -> UnansweredQuestion | None:
    """The unanswered question ``question_id`` if ``member_id`` asked it (else None)."""
    async with db.session() as session:
        if await session.get(UnansweredAsker, (question_id, member_id)) is None:
            return None
        return await session.get(UnansweredQuestion, question_id)


async def question_id_of(db: Database, text: str) -> int | None:
    """The id of the unanswered question ``text`` is kept as."""
    async with db.session() as session:
        query = select(UnansweredQuestion.id).where(
            col(UnansweredQuestion.normalized) == question_key(text)
        )
        return (await session.exec(query)).first()


async def get_unanswered(db: Database, question_id: int) -> UnansweredQuestion | None:
    async with db.session() as session:
        return await session.get(UnansweredQuestion, question_id)
