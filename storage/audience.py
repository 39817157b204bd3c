"""Audience selectors (see shared/specs/network-data.md): ``all`` or ``kind:value`` items;
items of different kinds are ANDed, items of one kind ORed. Institutions and countries
count confirmed memberships only (``storage.memberships``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from bot.core.audience import _grouped
from storage.db import Database
from storage.memberships import CLAIMED
from storage.models import Institution, Member, Membership, Role, Rsvp


def in_countries(countries: Sequence[str]) -> ColumnElement[bool]:
    """Whether a member counts in these countries: a confirmed focal point where their
    institution is; someone with no institution where they said; someone whose institution
    is only claimed (or was rejected) nowhere, since a claim grants nothing and the country
    it set is the claim's. The one rule for every ``country:`` audience (cards, links,
    answers, the Mini App, reminders, broadcasts, surveys)."""
    in_institution_country = select(Institution.id).where(col(Institution.country).in_(countries))
    verified = col(Member.verified_institution_id)
    unclaimed = col(Member.institution_id).is_(None)
    return (verified.is_not(None) & verified.in_(in_institution_country)) | (
        verified.is_(None) & unclaimed & col(Member.country).in_(countries)
    )


def audience_query(
    selectors: Sequence[str], *, reachable_only: bool = True
) -> SelectOfScalar[Member]:
    """Members matched by the selectors (opted-out and blocked members left out)."""
    query = select(Member)
    if reachable_only:
        query = query.where(col(Member.opted_out).is_(False), col(Member.blocked).is_(False))
    groups = _grouped(selectors)
    groups.pop("group", None)
    if "country" in groups:
        query = query.where(in_countries(groups["country"]))
    if "institution" in groups:  # confirmed memberships only: a claim grants nothing
        query = query.where(col(Member.verified_institution_id).in_(groups["institution"]))
    if "language" in groups:
        query = query.where(col(Member.language).in_(groups["language"]))
    if "role" in groups:
        roles = [Role(r).value for r in groups["role"]]
        query = query.where(col(Member.role).in_(roles))
    if "event" in groups:
        attending = select(Rsvp.member_id).where(
            col(Rsvp.event_id).in_(groups["event"]), col(Rsvp.status) == "yes"
        )
        query = query.where(col(Member.user_id).in_(attending))
    return query.order_by(col(Member.user_id))


def waiting_query(selectors: Sequence[str]) -> SelectOfScalar[Member] | None:
    """Members the selectors would match if their claim to an institution were confirmed:
    a broadcast to an institution or a country leaves them out until an organizer decides
    (``/pending``), and whoever sends it should know. None: the selectors name no
    institution or country, so they leave nobody out for a claim."""
    groups = _grouped(selectors)
    if "institution" not in groups and "country" not in groups:
        return None
    institutions = select(Institution.id)
    if "country" in groups:
        institutions = institutions.where(col(Institution.country).in_(groups["country"]))
    if "institution" in groups:
        institutions = institutions.where(col(Institution.id).in_(groups["institution"]))
    claimed = select(Membership.member_id).where(
        col(Membership.status) == CLAIMED, col(Membership.institution_id).in_(institutions)
    )
    others = [s for s in selectors if not s.startswith(("institution:", "country:"))]
    return audience_query(others).where(
        col(Member.verified_institution_id).is_(None), col(Member.user_id).in_(claimed)
    )


async def resolve_audience(db: Database, selectors: Sequence[str]) -> list[Member]:
    async with db.session() as session:
        return list((await session.exec(audience_query(selectors))).all())


async def count_audience(db: Database, selectors: Sequence[str]) -> int:
    return len(await resolve_audience(db, selectors))


async def unknown_references(db: Database, selectors: Sequence[str]) -> list[str]:
    """Selectors naming an institution or event that does not exist."""
    from storage.models import Event

    groups = _grouped(selectors)
    missing: list[str] = []
    async with db.session() as session:
        for value in groups.get("institution", []):
            if await session.get(Institution, value) is None:
                missing.append(f"institution:{value}")
        for value in groups.get("event", []):
            if await session.get(Event, value) is None:
                missing.append(f"event:{value}")
    return missing


async def in_audience(session: AsyncSession, member_id: int, selectors: Sequence[str]) -> bool:
    """Whether one member is inside an audience: the one answer cards, RSVP, .ics, deep
    links and surveys ask. Opted-out or blocked members still count (they chose not to get
    messages, not to lose access); the query is :func:`audience_query`'s, so a reminder and a
    card never disagree on who is in."""
    query = audience_query(selectors, reachable_only=False).where(col(Member.user_id) == member_id)
    return (await session.exec(query.limit(1))).first() is not None
