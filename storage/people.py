"""People tools for admins: find a member by @username, list members with filters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.db import Database
from storage.models import Member

USERNAME_CHARS = 64


async def member_by_username(db: Database, username: str) -> Member | None:
    """The member whose Telegram @username is ``username`` (with or without the @, any
    case): only people who have talked to the bot are known."""
    name = username.removeprefix("@").strip().lower()
    if not name or len(name) > USERNAME_CHARS:
        return None
    async with db.session() as session:
        query = select(Member).where(func.lower(col(Member.username)) == name)
        return (await session.exec(query.order_by(col(Member.user_id)).limit(1))).first()


@dataclass(frozen=True)
class MemberFilter:
    institution: str | None = None
    country: str | None = None  # ISO code, upper case
    role: str | None = None


def _filtered(wanted: MemberFilter) -> SelectOfScalar[Member]:
    query = select(Member)
    if wanted.institution:
        query = query.where(col(Member.institution_id) == wanted.institution)
    if wanted.country:
        query = query.where(col(Member.country) == wanted.country)
    if wanted.role:
        query = query.where(col(Member.role) == wanted.role)
    return query


async def list_members(
    db: Database, wanted: MemberFilter, *, offset: int, limit: int
) -> tuple[list[Member], int]:
    """One page of the members matching ``wanted`` (by name, then id) and how many match."""
    query = _filtered(wanted)
    async with db.session() as session:
        total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
        page = query.order_by(func.lower(col(Member.first_name)), col(Member.user_id))
        rows = (await session.exec(page.offset(offset).limit(limit))).all()
        return list(rows), int(total)
