"""Surveys and their questions: read, create, list; their audience, open window, respondent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import SurveyStatus
from storage.audience import audience_query
from storage.audience import in_audience as member_in_audience
from storage.audit import add_entry
from storage.db import Database
from storage.models import Member, Question, Survey


class SurveyProblem(StrEnum):
    """Why a survey (or a response to it) could not be changed."""

    unknown = "unknown"  # no such survey
    gone = "gone"  # no such response
    closed = "closed"  # not open for answers (closed, or not launched)


def is_open(survey: Survey, now: datetime) -> bool:
    if survey.status != SurveyStatus.open:
        return False
    if survey.opens_at is not None and now < survey.opens_at:
        return False
    return survey.closes_at is None or now < survey.closes_at


def respondent_key(survey: Survey, member: Member) -> str | None:
    """``member:<id>``, or ``institution:<id>`` for one-per-institution surveys (None when
    the member is not a confirmed focal point: a claim grants nothing)."""
    if survey.respondent == "institution":
        verified = member.verified_institution_id
        return f"institution:{verified}" if verified else None
    return f"member:{member.user_id}"


async def get_survey(db: Database, survey_id: str) -> tuple[Survey, list[Question]] | None:
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None:
            return None
        return survey, await questions_of(session, survey_id)


async def questions_of(session: AsyncSession, survey_id: str) -> list[Question]:
    """A survey's questions, in their order."""
    rows = await session.exec(
        select(Question)
        .where(col(Question.survey_id) == survey_id)
        .order_by(col(Question.position))
    )
    return list(rows.all())


async def in_audience(session: AsyncSession, survey: Survey, member_id: int) -> bool:
    return await member_in_audience(session, member_id, survey.audience)


async def audience_members(session: AsyncSession, survey: Survey) -> list[Member]:
    return list((await session.exec(audience_query(survey.audience))).all())


async def create_survey(
    db: Database, survey: Survey, questions: Sequence[Question], *, actor_id: int, actor_name: str
) -> Survey:
    async with db.session() as session:
        session.add(survey)
        await session.flush()
        for question in questions:
            session.add(question)
        add_entry(
            session, actor_id=actor_id, actor_name=actor_name, action="new survey", target=survey.id
        )
        return survey


async def list_surveys(db: Database) -> list[Survey]:
    async with db.session() as session:
        rows = await session.exec(select(Survey).order_by(col(Survey.updated_at).desc()))
        return list(rows.all())
