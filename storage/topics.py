"""Labels of the course topics: what the ``topics:`` section of the network data file gives
per language, and the topic as the file first wrote it in a course (its fallback label).

Kept as one small map in :class:`storage.models.KeyValue` (no table of their own: a network
has some dozens of topics, read whole for each list of courses)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.records import TopicRecord
from storage.db import Database
from storage.models import KeyValue

KEY = "topic-labels"
WRITTEN = "*"  # the key of the form written in a course, beside es/pt/en
Labels = dict[str, dict[str, str]]


async def topic_labels(db: Database) -> Labels:
    """slug -> {language: label, "*": as written}."""
    async with db.session() as session:
        row = await session.get(KeyValue, KEY)
        return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


async def _save(session: AsyncSession, labels: Labels, now: datetime) -> None:
    row = await session.get(KeyValue, KEY)
    if row is None:
        session.add(KeyValue(key=KEY, value=labels, updated_at=now))
    elif row.value != labels:
        row.value = labels
        row.updated_at = now


async def _current(session: AsyncSession) -> Labels:
    row = await session.get(KeyValue, KEY)
    value = row.value if row is not None and isinstance(row.value, dict) else {}
    return {slug: dict(texts) for slug, texts in value.items()}


async def remember_written(session: AsyncSession, names: dict[str, str], now: datetime) -> None:
    """The topics as the courses wrote them (a new writing replaces the old one)."""
    if not names:
        return
    labels = await _current(session)
    for slug, written in names.items():
        labels.setdefault(slug, {})[WRITTEN] = written
    await _save(session, labels, now)


async def import_topics(
    session: AsyncSession, records: list[TopicRecord], now: datetime, prune: bool
) -> tuple[int, int, int, int]:
    """(created, updated, unchanged, deleted) of the labels per language."""
    labels = await _current(session)
    created = updated = unchanged = deleted = 0
    for record in records:
        old = labels.get(record.id, {})
        texts = {k: v for k, v in old.items() if k == WRITTEN} | record.text
        if not {k: v for k, v in old.items() if k != WRITTEN}:
            created += 1
        elif texts != old:
            updated += 1
        else:
            unchanged += 1
        labels[record.id] = texts
    if prune:
        keep = {r.id for r in records}
        for slug in [s for s in labels if s not in keep]:
            deleted += 1
            del labels[slug]
    await _save(session, labels, now)
    return created, updated, unchanged, deleted


def labels_to_file(labels: Labels) -> list[dict[str, object]]:
    """The ``topics:`` section of an export (labels given per language only)."""
    return [
        {"id": slug, "text": {k: v for k, v in texts.items() if k != WRITTEN}}
        for slug, texts in sorted(labels.items())
        if any(k != WRITTEN for k in texts)
    ]
