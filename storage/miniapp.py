"""What the Mini App's read endpoints need beyond the chat's storage functions: RSVPs of
many events at once, every institution's status on a survey, and delivery counts and
failure reasons of broadcasts. Each is a few aggregate queries, never a row per answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import ResponseStatus
from storage.audience import audience_query
from storage.db import Database
from storage.models import Delivery, Institution, Member, Response, Rsvp, Survey

FAILURE_REASON_CHARS = 120


# ---------------------------------------------------------------- events
async def rsvp_counts(db: Database, event_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """``{event id: {"yes": n, "maybe": n, "no": n}}`` (muted-only rows left out)."""
    counts: dict[str, dict[str, int]] = {e: {"yes": 0, "maybe": 0, "no": 0} for e in event_ids}
    if not event_ids:
        return counts
    async with db.session() as session:
        rows = await session.exec(
            select(Rsvp.event_id, Rsvp.status, func.count())
            .where(col(Rsvp.event_id).in_(list(event_ids)), col(Rsvp.status) != "none")
            .group_by(col(Rsvp.event_id), col(Rsvp.status))
        )
        for event_id, status, count in rows.all():
            if status in counts[event_id]:
                counts[event_id][status] = int(count)
    return counts


async def member_rsvps(db: Database, member_id: int, event_ids: Sequence[str]) -> dict[str, str]:
    """The member's answer per event (``yes|maybe|no``); events without one left out."""
    if not event_ids:
        return {}
    async with db.session() as session:
        rows = await session.exec(
            select(Rsvp.event_id, Rsvp.status).where(
                col(Rsvp.member_id) == member_id,
                col(Rsvp.event_id).in_(list(event_ids)),
                col(Rsvp.status) != "none",
            )
        )
        return dict(rows.all())


# ---------------------------------------------------------------- surveys
async def response_of(db: Database, survey_id: str, respondent_key: str) -> Response | None:
    """The response of one respondent (``member:<id>`` / ``institution:<id>``), if any."""
    async with db.session() as session:
        found = await session.exec(
            select(Response).where(
                col(Response.survey_id) == survey_id,
                col(Response.respondent_key) == respondent_key,
            )
        )
        return found.first()


# ---------------------------------------------------------------- survey board
@dataclass(frozen=True)
class InstitutionStatus:
    institution: Institution
    status: str  # answered | partial | not_started
    last_activity: datetime | None


@dataclass(frozen=True)
class SurveyCounts:
    """One survey on the board: submitted responses, institutions, response rate."""

    survey: Survey
    responses: int
    invited: int
    institutions: int

    @property
    def rate(self) -> float:
        return response_rate(self.responses, self.invited)


def response_rate(responses: int, invited: int) -> float:
    """Responses over invited, at most 1: someone who answered may have left the audience
    since (blocked the bot, a new audience), and nobody invited is no rate at all (0)."""
    return round(min(responses / invited, 1.0), 4) if invited > 0 else 0.0


async def survey_stamp(db: Database, survey_id: str) -> tuple[object, ...] | None:
    """Changes whenever the survey or any response to it changes (an answer, a submit, an
    erasure): the board's cached figures are good while it stays the same."""
    async with db.session() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None:
            return None
        row = (
            await session.exec(
                select(func.count(), func.max(Response.updated_at)).where(
                    col(Response.survey_id) == survey_id
                )
            )
        ).one()
        return (survey.updated_at, survey.status, int(row[0]), row[1])


async def _audience_by_institution(db: Database, survey: Survey) -> dict[str, int]:
    """Institution id -> invited members of it (confirmed focal points only)."""
    inside = audience_query(survey.audience).subquery()
    institution = inside.c.verified_institution_id
    async with db.session() as session:
        connection = await session.connection()
        rows = await connection.execute(
            select(institution, func.count())
            .select_from(inside)
            .where(institution.is_not(None))
            .group_by(institution)
        )
        return {str(i): int(n) for i, n in rows.all()}


async def _responses_by_institution(
    db: Database, survey: Survey
) -> dict[str, tuple[int, int, datetime | None]]:
    """Institution id -> (submitted, started, last activity) of the survey's responses."""
    submitted = func.sum(case((col(Response.status) == ResponseStatus.submitted, 1), else_=0))
    if survey.respondent == "institution":
        key = col(Response.institution_id)
        query = select(key, submitted, func.count(), func.max(Response.updated_at))
    else:
        key = col(Member.verified_institution_id)
        query = select(key, submitted, func.count(), func.max(Response.updated_at)).join(
            Member, col(Member.user_id) == col(Response.member_id)
        )
    query = query.where(col(Response.survey_id) == survey.id, key.is_not(None)).group_by(key)
    async with db.session() as session:
        connection = await session.connection()
        rows = (await connection.execute(query)).all()
    return {str(i): (int(s or 0), int(n), at) for i, s, n, at in rows}


def _status(survey: Survey, invited: int, submitted: int, started: int) -> str:
    """An institution survey is answered once its one response is sent; a member survey
    once every invited member of the institution sent theirs."""
    if submitted and (survey.respondent == "institution" or submitted >= invited):
        return "answered"
    return "partial" if started else "not_started"


async def institution_statuses(db: Database, survey: Survey) -> list[InstitutionStatus]:
    """Every institution in the survey's audience (or with a response), with its status."""
    invited = await _audience_by_institution(db, survey)
    responses = await _responses_by_institution(db, survey)
    async with db.session() as session:
        ids = sorted(set(invited) | set(responses))
        rows = await session.exec(select(Institution).where(col(Institution.id).in_(ids)))
        institutions = {i.id: i for i in rows.all()}
    found = []
    for institution_id in ids:
        institution = institutions.get(institution_id)
        if institution is None:
            continue
        submitted, started, last = responses.get(institution_id, (0, 0, None))
        status = _status(survey, invited.get(institution_id, 0), submitted, started)
        found.append(InstitutionStatus(institution, status, last))
    return sorted(found, key=lambda s: (s.institution.country, s.institution.acronym))


async def board_surveys(db: Database) -> list[SurveyCounts]:
    """Every survey but drafts, newest first, with its counts."""
    async with db.session() as session:
        surveys = (
            await session.exec(
                select(Survey)
                .where(col(Survey.status) != "draft")
                .order_by(col(Survey.updated_at).desc())
            )
        ).all()
        counted = []
        for survey in surveys:
            counted.append(await _survey_counts(session, survey))
        return counted


async def _survey_counts(session: AsyncSession, survey: Survey) -> SurveyCounts:
    submitted = (
        await session.exec(
            select(func.count()).where(
                col(Response.survey_id) == survey.id,
                col(Response.status) == ResponseStatus.submitted,
            )
        )
    ).one()
    institutions = (
        await session.exec(
            select(func.count(func.distinct(Response.institution_id))).where(
                col(Response.survey_id) == survey.id, col(Response.institution_id).is_not(None)
            )
        )
    ).one()
    inside = audience_query(survey.audience).subquery()
    connection = await session.connection()
    if survey.respondent == "institution":
        invited_query = select(func.count(func.distinct(inside.c.verified_institution_id)))
    else:
        invited_query = select(func.count()).select_from(inside)
    invited = (await connection.execute(invited_query.select_from(inside))).scalar_one()
    return SurveyCounts(survey, int(submitted), int(invited), int(institutions))


# ---------------------------------------------------------------- broadcasts
@dataclass(frozen=True)
class DeliveryCounts:
    queued: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    failures: tuple[tuple[str, int], ...] = ()


QUEUED = ("pending", "sending")
COUNTED = ("queued", "sent", "blocked", "failed")


async def broadcast_deliveries(
    db: Database, broadcast_ids: Sequence[int]
) -> dict[int, DeliveryCounts]:
    """Per broadcast: queued / sent / blocked / failed, and why the failed ones failed
    (the outbox's last error, cut short, most frequent first)."""
    if not broadcast_ids:
        return {}
    ids = list(broadcast_ids)
    async with db.session() as session:
        statuses = (
            await session.exec(
                select(Delivery.broadcast_id, Delivery.status, func.count())
                .where(col(Delivery.broadcast_id).in_(ids))
                .group_by(col(Delivery.broadcast_id), col(Delivery.status))
            )
        ).all()
        reasons = (
            await session.exec(
                select(Delivery.broadcast_id, Delivery.last_error, func.count())
                .where(col(Delivery.broadcast_id).in_(ids), col(Delivery.status) == "failed")
                .group_by(col(Delivery.broadcast_id), col(Delivery.last_error))
            )
        ).all()
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("queued", "sent", "blocked", "failed"), 0)
    )
    for broadcast_id, status, n in statuses:
        name = "queued" if status in QUEUED else status
        if broadcast_id is not None and name in counts[broadcast_id]:
            counts[broadcast_id][name] += int(n)
    why: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for broadcast_id, error, n in reasons:
        if broadcast_id is not None:
            why[broadcast_id].append(((error or "?")[:FAILURE_REASON_CHARS], int(n)))
    return {
        b: DeliveryCounts(
            **counts[b], failures=tuple(sorted(why[b], key=lambda item: (-item[1], item[0])))
        )
        for b in ids
    }
