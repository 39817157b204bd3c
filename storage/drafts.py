"""Work in progress of a person (a broadcast being composed, ...), kept in the database so a
restart or another process does not lose it."""

from __future__ import annotations

from typing import Any

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
