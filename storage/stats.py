"""Member statistics for organizers (/stats)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select

from storage.db import Database
from storage.models import Institution, Member


@dataclass(frozen=True)
class MemberStats:
    total: int
    active: int
    opted_out: int
    blocked: int
    by_country: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_institution: list[tuple[str, int]]
    by_role: list[tuple[str, int]]


async def member_stats(db: Database) -> MemberStats:
    async with db.session() as session:

        async def grouped(column: object) -> list[tuple[str, int]]:
            query = select(column, func.count()).group_by(column)  # type: ignore[call-overload]
            rows = (await session.exec(query)).all()
            return sorted(((str(k or "-"), int(n)) for k, n in rows), key=lambda r: (-r[1], r[0]))

        total = int((await session.exec(select(func.count()).select_from(Member))).one())
        opted = int(
            (
                await session.exec(
                    select(func.count()).select_from(Member).where(col(Member.opted_out).is_(True))
                )
            ).one()
        )
        blocked = int(
            (
                await session.exec(
                    select(func.count()).select_from(Member).where(col(Member.blocked).is_(True))
                )
            ).one()
        )
        active = int(
            (
                await session.exec(
                    select(func.count())
                    .select_from(Member)
                    .where(col(Member.opted_out).is_(False), col(Member.blocked).is_(False))
                )
            ).one()
        )
        by_institution_rows = (
            await session.exec(
                select(Institution.acronym, func.count())
                .join(Member, col(Member.institution_id) == col(Institution.id))
                .group_by(col(Institution.acronym))
            )
        ).all()
        return MemberStats(
            total=total,
            active=active,
            opted_out=opted,
            blocked=blocked,
            by_country=await grouped(Member.country),
            by_language=await grouped(Member.language),
            by_institution=sorted(
                ((a, int(n)) for a, n in by_institution_rows), key=lambda r: (-r[1], r[0])
            ),
            by_role=await grouped(Member.role),
        )
