"""What the answerer learns from the organizers: FAQ entries made from answered tickets,
other phrasings of a record's question, and members' helpful / not helpful votes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.models import (
    AnswerFeedback,
    Faq,
    LearnedFaq,
    Phrasing,
    Ticket,
    UnansweredAsker,
    UnansweredQuestion,
)
from storage.questions import question_key


async def _forget_unanswered(session: AsyncSession, text: str) -> None:
    """The unanswered question ``text`` (and who asked it): it has an answer now."""
    key = question_key(text)
    ids = select(UnansweredQuestion.id).where(col(UnansweredQuestion.normalized) == key)
    await session.exec(delete(UnansweredAsker).where(col(UnansweredAsker.question_id).in_(ids)))
    await session.exec(delete(UnansweredQuestion).where(col(UnansweredQuestion.normalized) == key))


def learned_id(ticket_id: int) -> str:
    return f"asked-{ticket_id}"


# ------------------------------------------------------------------ FAQ from tickets
async def faq_from_ticket(
    db: Database,
    ticket_id: int,
    by: int,
    now: datetime,
    *,
    question: str | None = None,
    answer: str | None = None,
) -> LearnedFaq | None:
    """The ticket's question and answer (or the organizer's corrected ones) as an FAQ entry
    in the ticket's language only (made again, the entry keeps its other languages). None
    when the ticket has no answer yet."""
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or not ticket.answer or not ticket.question:
            return None
        faq = await session.get(LearnedFaq, learned_id(ticket_id))
        if faq is None:
            faq = LearnedFaq(id=learned_id(ticket_id), ticket_id=ticket_id, created_by=by)
            session.add(faq)
        faq.question = {**faq.question, ticket.language: question or ticket.question}
        faq.answer = {**faq.answer, ticket.language: answer or ticket.answer}
        faq.updated_at = now
        ticket.faq_id = faq.id
        # The question is answered now: it leaves the unanswered list.
        await _forget_unanswered(session, ticket.question)
        if question and question != ticket.question:
            await _forget_unanswered(session, question)
        return faq


async def set_faq_language(
    db: Database, faq_id: str, language: str, question: str, answer: str, now: datetime
) -> LearnedFaq | None:
    """Add or replace one language of a learned FAQ entry."""
    async with db.session() as session:
        faq = await session.get(LearnedFaq, faq_id)
        if faq is None:
            return None
        faq.question = {**faq.question, language: question}
        faq.answer = {**faq.answer, language: answer}
        faq.updated_at = now
        return faq


async def learned_faqs(db: Database) -> list[LearnedFaq]:
    async with db.session() as session:
        return list((await session.exec(select(LearnedFaq).order_by(col(LearnedFaq.id)))).all())


async def missing_languages(db: Database, languages: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Learned FAQ entries and the languages they still lack."""
    found = []
    for faq in await learned_faqs(db):
        lacking = [lang for lang in languages if not faq.answer.get(lang)]
        if lacking:
            found.append((faq.id, lacking))
    return found


# ------------------------------------------------------------------ phrasings
async def add_phrasing(
    db: Database, kind: str, record_id: str, language: str, text: str, by: int, now: datetime
) -> bool:
    """Another phrasing of a record's question; False when it was there already."""
    try:
        async with db.session() as session:
            session.add(
                Phrasing(
                    kind=kind,
                    record_id=record_id,
                    language=language,
                    text=text[:300],
                    created_by=by,
                    updated_at=now,
                )
            )
            await _forget_unanswered(session, text)
    except IntegrityError:
        return False
    return True


async def all_phrasings(db: Database) -> list[Phrasing]:
    async with db.session() as session:
        return list((await session.exec(select(Phrasing).order_by(col(Phrasing.id)))).all())


# ------------------------------------------------------------------ for the answerer
LEARNED = (LearnedFaq, Phrasing)  # the tables of what the answerer learned


async def learning_stamp(db: Database) -> tuple[object, ...]:
    """Changes when a learned FAQ entry or a phrasing is added or changed."""
    parts = [
        select(aggregate).select_from(model).scalar_subquery()
        for model in LEARNED
        for aggregate in (func.count(), func.max(model.updated_at))
    ]
    async with db.session() as session:
        return tuple((await session.exec(select(*parts))).one())


def as_faq(learned: LearnedFaq) -> Faq:
    """A learned entry in the shape the answerer indexes (never stored as a Faq row)."""
    return Faq(
        id=learned.id,
        question=dict(learned.question),
        answer=dict(learned.answer),
        keywords=None,
        updated_at=learned.updated_at,
    )


# ------------------------------------------------------------------ feedback
async def record_feedback(
    db: Database,
    member_id: int,
    kind: str,
    record_id: str,
    intent: str,
    helpful: bool,
    now: datetime,
) -> None:
    """One vote per member and answer; pressing the other button changes it."""
    async with db.session() as session:
        query = select(AnswerFeedback).where(
            col(AnswerFeedback.member_id) == member_id,
            col(AnswerFeedback.kind) == kind,
            col(AnswerFeedback.record_id) == record_id,
            col(AnswerFeedback.intent) == intent,
        )
        row = (await session.exec(query)).first()
        if row is None:
            row = AnswerFeedback(
                member_id=member_id, kind=kind, record_id=record_id, intent=intent, at=now
            )
            session.add(row)
        row.helpful, row.at = helpful, now


@dataclass(frozen=True)
class Votes:
    key: str  # "faq:visa" or the intent name
    helpful: int
    unhelpful: int


async def feedback_counts(db: Database) -> tuple[list[Votes], list[Votes]]:
    """Votes per FAQ entry and per intent, most voted first."""
    yes = func.sum(case((col(AnswerFeedback.helpful).is_(True), 1), else_=0))
    no = func.sum(case((col(AnswerFeedback.helpful).is_(False), 1), else_=0))
    async with db.session() as session:
        per_record = (
            await session.exec(
                select(AnswerFeedback.record_id, yes, no)
                .where(col(AnswerFeedback.kind) == "faq")
                .group_by(col(AnswerFeedback.record_id))
            )
        ).all()
        per_intent = (
            await session.exec(
                select(AnswerFeedback.intent, yes, no).group_by(col(AnswerFeedback.intent))
            )
        ).all()

    def votes(rows: Sequence[tuple[str, int, int]]) -> list[Votes]:
        found = [Votes(str(k), int(y or 0), int(n or 0)) for k, y, n in rows]
        return sorted(found, key=lambda v: (-(v.helpful + v.unhelpful), v.key))

    return votes(per_record), votes(per_intent)
