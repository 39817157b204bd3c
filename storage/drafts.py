"""Work in progress of a person (a broadcast being composed, ...), kept in the database so a
restart or another process does not lose it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.db import Database
from storage.models import KeyValue
from storage.types import utcnow


def _key(kind: str, user_id: int) -> str:
    return f"draft:{kind}:{user_id}"


async def get_draft(db: Database, kind: str, user_id: int) -> dict[str, Any] | None:
    async with db.session() as session:
        row = await session.get(KeyValue, _key(kind, user_id))
        return dict(row.value) if row is not None and isinstance(row.value, dict) else None


async def save_draft(db: Database, kind: str, user_id: int, value: dict[str, Any]) -> None:
    async with db.session() as session:
        row = await session.get(KeyValue, _key(kind, user_id))
        if row is None:
            session.add(KeyValue(key=_key(kind, user_id), value=value, updated_at=utcnow()))
        else:
            row.value = dict(value)
            row.updated_at = utcnow()


async def delete_draft(db: Database, kind: str, user_id: int) -> None:
    async with db.session() as session:
        row = await session.get(KeyValue, _key(kind, user_id))
        if row is not None:
            await session.delete(row)


async def drafts_of(
    db: Database, user_id: int, kinds: Sequence[str]
) -> list[tuple[str, dict[str, Any], datetime]]:
    """The member's drafts of these kinds, most recently touched first (one query)."""
    keys = {_key(kind, user_id): kind for kind in kinds}
    if not keys:
        return []
    async with db.session() as session:
        rows = await session.exec(select(KeyValue).where(col(KeyValue.key).in_(list(keys))))
        found = [
            (keys[row.key], dict(row.value), row.updated_at)
            for row in rows
            if isinstance(row.value, dict)
        ]
    return sorted(found, key=lambda item: item[2], reverse=True)


async def delete_drafts(db: Database, user_id: int, kinds: Sequence[str]) -> list[str]:
    """Delete the member's drafts of these kinds; the kinds that existed."""
    keys = {_key(kind, user_id): kind for kind in kinds}
    async with db.session() as session:
        rows = list(await session.exec(select(KeyValue).where(col(KeyValue.key).in_(list(keys)))))
        for row in rows:
            await session.delete(row)
        return [keys[row.key] for row in rows]
