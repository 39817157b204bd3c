"""Reminders an organizer sends from the survey board to the institutions that have not
started a survey: one per institution at most every :data:`NUDGE_COOLDOWN`.

An institution of a survey is the confirmed institution of a member of its audience; it
has *started* when any response to the survey belongs to it (the institution's own, or one
of its focal points' in a per-member survey). The reminders go through the outbox like
``/nudge``'s; each institution reminded gets an audit entry, which is also the cool-down's
record (so two processes agree on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import audience_query
from storage.audit import add_entry
from storage.db import Database
from storage.models import AuditLog, Institution, Member, Response, Survey
from storage.outbox import PRIORITY_SURVEY, drafts_for, enqueue
from storage.surveys import RenderInvite, SurveyProblem, is_open

NUDGE_COOLDOWN = timedelta(hours=12)
ACTION = "nudge institution"


@dataclass
class InstitutionNudge:
    """What a board nudge did: messages queued, institutions reminded and skipped."""

    queued: int = 0
    reminded: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # reminded less than 12 h ago
    started: list[str] = field(default_factory=list)  # asked for, but already started
    unknown: list[str] = field(default_factory=list)  # no such institution in the survey
    problem: SurveyProblem | None = None


def _target(survey_id: str, institution_id: str) -> str:
    return f"{survey_id}/{institution_id}"[:200]


async def survey_institutions(session: AsyncSession, survey: Survey) -> set[str]:
    """The confirmed institutions of the survey's audience (that exist)."""
    query = audience_query(survey.audience, reachable_only=False)
    members = (await session.exec(query)).all()
    ids = {m.verified_institution_id for m in members if m.verified_institution_id}
    if not ids:
        return set()
    found = await session.exec(select(Institution.id).where(col(Institution.id).in_(ids)))
    return set(found.all())


async def started_institutions(session: AsyncSession, survey_id: str) -> set[str]:
    """Institutions with any response (in progress or submitted) to the survey."""
    own = await session.exec(
        select(Response.institution_id).where(
            col(Response.survey_id) == survey_id, col(Response.institution_id).is_not(None)
        )
    )
    by_members = await session.exec(
        select(Member.verified_institution_id)
        .join(Response, col(Response.member_id) == col(Member.user_id))
        .where(
            col(Response.survey_id) == survey_id, col(Member.verified_institution_id).is_not(None)
        )
    )
    return {i for i in [*own.all(), *by_members.all()] if i}


async def _recently_nudged(
    session: AsyncSession, survey_id: str, institutions: Sequence[str], now: datetime
) -> set[str]:
    targets = {_target(survey_id, i): i for i in institutions}
    if not targets:
        return set()
    rows = await session.exec(
        select(AuditLog.target).where(
            col(AuditLog.action) == ACTION,
            col(AuditLog.target).in_(list(targets)),
            col(AuditLog.at) > now - NUDGE_COOLDOWN,
        )
    )
    return {targets[t] for t in rows.all() if t in targets}


async def nudge_institutions(
    db: Database,
    survey_id: str,
    now: datetime,
    render: RenderInvite,
    *,
    institutions: Sequence[str] | None,
    actor_id: int,
    actor_name: str,
) -> InstitutionNudge:
    """Remind the focal points of the not-started institutions (all, or those asked for)."""
    outcome = InstitutionNudge()
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None:
            return InstitutionNudge(problem=SurveyProblem.unknown)
        if not is_open(survey, now):
            return InstitutionNudge(problem=SurveyProblem.closed)
        known = await survey_institutions(session, survey)
        started = await started_institutions(session, survey_id)
        asked = list(dict.fromkeys(institutions)) if institutions is not None else sorted(known)
        outcome.unknown = [i for i in asked if i not in known]
        outcome.started = [i for i in asked if i in known and i in started]
        waiting = [i for i in asked if i in known and i not in started]
        recent = await _recently_nudged(session, survey_id, waiting, now)
        outcome.recent = [i for i in waiting if i in recent]
        outcome.reminded = [i for i in waiting if i not in recent]
        if not outcome.reminded:
            return outcome
        members = (
            await session.exec(
                audience_query(survey.audience).where(
                    col(Member.verified_institution_id).in_(outcome.reminded)
                )
            )
        ).all()
        stamp = now.strftime("%Y%m%d%H%M")
        drafts = drafts_for(
            members,
            key=lambda m: f"survey:{survey.id}:nudge:board{stamp}:{m.user_id}",
            kind="survey",
            payload=lambda m: render(m, survey, "nudge", now),
            priority=PRIORITY_SURVEY,
            survey_id=survey.id,
        )
        outcome.queued = await enqueue(session, drafts, now)
        for institution_id in outcome.reminded:
            entry = add_entry(
                session,
                actor_id=actor_id,
                actor_name=actor_name,
                action=ACTION,
                target=_target(survey_id, institution_id),
                details={
                    "reminded": sum(m.verified_institution_id == institution_id for m in members)
                },
            )
            entry.at = now
        return outcome


def _count(members: Sequence[Member], institution_id: str) -> int:
    return sum(m.verified_institution_id == institution_id for m in members)
