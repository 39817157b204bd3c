"""Surveys that open by themselves at their ``opens`` time (the data file's surveys, unless
it says ``status: draft``), and how many members /launch would invite."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import col, select

from bot.core.enums import SurveyStatus
from storage.db import Database
from storage.models import Survey
from storage.outbox import enqueue
from storage.surveys import RenderInvite, audience_members
from storage.surveys.launching import invitation_drafts


async def open_due(db: Database, now: datetime, render: RenderInvite) -> list[tuple[str, int]]:
    """Open the drafts whose ``opens`` has come (unless the file held them as drafts) and
    queue their invitations: (survey id, invited). Each survey is claimed by one conditional
    update, so two processes never both open it; the invitations' outbox keys are the same
    as /launch's, so a launch at the same moment does not invite anyone twice."""
    async with db.session() as session:
        due = (
            await session.exec(
                select(Survey.id).where(
                    col(Survey.status) == SurveyStatus.draft,
                    col(Survey.auto_open).is_(True),
                    col(Survey.launched_at).is_(None),
                    col(Survey.opens_at).is_not(None),
                    col(Survey.opens_at) <= now,
                    or_(col(Survey.closes_at).is_(None), col(Survey.closes_at) > now),
                )
            )
        ).all()
    opened = []
    for survey_id in due:
        async with db.session() as session:
            claimed = await session.exec(
                update(Survey)
                .where(
                    col(Survey.id) == survey_id,
                    col(Survey.status) == SurveyStatus.draft,
                    col(Survey.launched_at).is_(None),
                )
                .values(status=SurveyStatus.open, launched_at=now)
            )
            if not claimed.rowcount:
                continue
            survey = await session.get(Survey, survey_id)
            assert survey is not None
            members = await audience_members(session, survey)
            drafts = invitation_drafts(survey, members, "invite", render, now)
            opened.append((survey_id, await enqueue(session, drafts, now)))
    return opened


async def audience_count(db: Database, survey_id: str) -> int:
    """How many members /launch would invite now."""
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        return 0 if survey is None else len(await audience_members(session, survey))
