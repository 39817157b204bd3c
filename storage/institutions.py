"""Institutions of the network (VTIs), as imported from the network data file."""

from __future__ import annotations

from sqlmodel import col, select

from bot.core.text import fold_words
from storage.db import Database
from storage.models import Institution


async def list_institutions(db: Database, country: str | None = None) -> list[Institution]:
    async with db.session() as session:
        query = select(Institution).order_by(col(Institution.acronym))
        if country:
            query = query.where(col(Institution.country) == country.upper())
        return list((await session.exec(query)).all())


async def get_institution(db: Database, institution_id: str) -> Institution | None:
    async with db.session() as session:
        return await session.get(Institution, institution_id)


async def network_countries(db: Database) -> list[str]:
    """ISO codes of the countries that have at least one institution."""
    async with db.session() as session:
        result = await session.exec(select(Institution.country).distinct())
        return sorted({c for c in result.all() if c})


async def find_institutions(db: Database, text: str) -> list[Institution]:
    """Institutions whose id, acronym or name matches what a person typed (accent-blind).

    An exact id or acronym wins; otherwise every institution whose name contains the text.
    """
    wanted = fold_words(text)
    if not wanted:
        return []
    institutions = await list_institutions(db)
    exact = [i for i in institutions if wanted in (fold_words(i.id), fold_words(i.acronym))]
    if exact:
        return exact
    return [
        i
        for i in institutions
        if any(wanted in fold_words(name) for name in (i.name or {}).values())
    ]
