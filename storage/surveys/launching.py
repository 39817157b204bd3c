"""Launching surveys and reminding through the outbox, inviting attendees, closing when due."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import ResponseStatus, SurveyStatus
from storage.audit import add_entry
from storage.db import Database
from storage.models import Member, Response, Survey
from storage.outbox import PRIORITY_SURVEY, DeliveryDraft, drafts_for, enqueue
from storage.surveys.definitions import (
    SurveyProblem,
    audience_members,
    is_open,
    respondent_key,
)

DEFAULT_NUDGE_MINUTES = 24 * 60
RenderInvite = Callable[[Member, Survey, str, datetime], dict[str, Any]]


@dataclass(frozen=True)
class Queued:
    """What a launch or nudge did: how many messages it queued, or why it could not."""

    count: int = 0
    problem: SurveyProblem | None = None


async def launch(
    db: Database,
    survey_id: str,
    now: datetime,
    render: RenderInvite,
    *,
    actor_id: int,
    actor_name: str,
) -> Queued:
    """Open the survey and invite its audience: how many were invited, or the problem."""
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None:
            return Queued(problem=SurveyProblem.unknown)
        if survey.closes_at is not None and survey.closes_at <= now:
            return Queued(problem=SurveyProblem.closed)
        survey.status = SurveyStatus.open
        survey.launched_at = survey.launched_at or now
        members = await audience_members(session, survey)
        not_before = survey.opens_at if survey.opens_at and survey.opens_at > now else None
        drafts = invitation_drafts(survey, members, "invite", render, now, not_before=not_before)
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="launch survey",
            target=survey_id,
            details={"invited": len(drafts)},
        )
        return Queued(await enqueue(session, drafts, now))


def invitation_drafts(
    survey: Survey,
    members: Sequence[Member],
    tag: str,
    render: RenderInvite,
    now: datetime,
    *,
    variant: str = "invite",
    not_before: datetime | None = None,
) -> list[DeliveryDraft]:
    """Invitations (or reminders, ``variant="nudge"``) keyed ``survey:<id>:<tag>:<member>``."""
    return drafts_for(
        members,
        key=lambda m: f"survey:{survey.id}:{tag}:{m.user_id}",
        kind="survey",
        payload=lambda m: render(m, survey, variant, now),
        priority=PRIORITY_SURVEY,
        survey_id=survey.id,
        not_before=not_before,
    )


async def not_answered(session: AsyncSession, survey: Survey) -> list[Member]:
    """Audience members whose response (their own, or their institution's) is not submitted."""
    submitted = select(Response.respondent_key).where(
        col(Response.survey_id) == survey.id, col(Response.status) == ResponseStatus.submitted
    )
    done = set((await session.exec(submitted)).all())
    return [
        m for m in await audience_members(session, survey) if respondent_key(survey, m) not in done
    ]


async def nudge(
    db: Database,
    survey_id: str,
    now: datetime,
    render: RenderInvite,
    *,
    tag: str,
    actor_id: int | None = None,
) -> Queued:
    """Remind those who have not answered; ``tag`` makes the keys (a second /nudge later is a
    second reminder, a double tap is not)."""
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None:
            return Queued(problem=SurveyProblem.unknown)
        if not is_open(survey, now):
            return Queued(problem=SurveyProblem.closed)
        drafts = invitation_drafts(
            survey,
            await not_answered(session, survey),
            f"nudge:{tag}",
            render,
            now,
            variant="nudge",
        )
        if actor_id is not None:
            add_entry(
                session,
                actor_id=actor_id,
                action="nudge survey",
                target=survey_id,
                details={"reminded": len(drafts)},
            )
        return Queued(await enqueue(session, drafts, now))


async def claim_due_nudges(db: Database, now: datetime) -> list[str]:
    """Open surveys whose automatic reminder is due; each claimed by one process only."""
    async with db.session() as session:
        candidates = (
            await session.exec(
                select(Survey).where(
                    col(Survey.status) == SurveyStatus.open,
                    col(Survey.closes_at).is_not(None),
                    col(Survey.nudged_at).is_(None),
                    col(Survey.closes_at) > now,
                )
            )
        ).all()
    claimed = []
    for survey in candidates:
        assert survey.closes_at is not None
        before = timedelta(
            minutes=survey.remind_before
            if survey.remind_before is not None
            else DEFAULT_NUDGE_MINUTES
        )
        if survey.closes_at - before > now or (
            survey.launched_at and survey.launched_at > survey.closes_at - before
        ):
            continue  # not yet; or launched so late that the invitation is reminder enough
        async with db.session() as session:
            result = await session.exec(
                update(Survey)
                .where(col(Survey.id) == survey.id, col(Survey.nudged_at).is_(None))
                .values(nudged_at=now)
            )
            if result.rowcount:
                claimed.append(survey.id)
    return claimed


async def close_due(db: Database, now: datetime) -> list[str]:
    async with db.session() as session:
        due = list(
            (
                await session.exec(
                    select(Survey.id).where(
                        col(Survey.status) == SurveyStatus.open, col(Survey.closes_at) <= now
                    )
                )
            ).all()
        )
        if due:
            await session.exec(
                update(Survey).where(col(Survey.id).in_(due)).values(status=SurveyStatus.closed)
            )
        return due


async def invite_members(
    db: Database,
    survey_id: str,
    member_ids: Sequence[int],
    now: datetime,
    render: RenderInvite,
    *,
    tag: str,
) -> int:
    """Invite some members (an event's attendees to its feedback survey)."""
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None or not member_ids:
            return 0
        if survey.status != SurveyStatus.open:
            survey.status = SurveyStatus.open
            survey.launched_at = survey.launched_at or now
        members = (
            await session.exec(
                select(Member).where(
                    col(Member.user_id).in_(list(member_ids)),
                    col(Member.opted_out).is_(False),
                    col(Member.blocked).is_(False),
                )
            )
        ).all()
        drafts = invitation_drafts(survey, members, tag, render, now)
        return await enqueue(session, drafts, now)
