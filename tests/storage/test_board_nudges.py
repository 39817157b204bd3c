"""The survey board's nudge on SQLite and PostgreSQL: only institutions that have not
started, each at most once per 12 hours, in the outbox and the audit log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.importer.load import run_import
from storage import surveys as store
from storage.board_nudges import nudge_institutions
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, get_member, update_member
from storage.models import AuditLog, Delivery
from storage.surveys import SurveyProblem
from tests.helpers import seed_institutions

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SURVEY = b"""
version: 1
surveys:
  - id: inst
    title: {es: "Encuesta institucional"}
    respondent: institution
    audience: all
    closes: 2026-12-10T18:00
    timezone: America/Montevideo
    questions:
      - {id: staff, kind: number, text: Docentes, min: 0}
"""
# member -> confirmed institution (None: not a focal point)
MEMBERS = {101: "inefop", 102: "inefop", 103: "utu", 104: "senai", 105: None}


def render(*_: Any) -> dict[str, Any]:
    return {"parts": ["reminder"]}


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await database.upgrade()
    await seed_institutions(database)
    outcome = await run_import(
        database, [("s.yaml", SURVEY)], default_language="es", default_timezone="UTC"
    )
    assert outcome.ok, outcome.errors
    for user_id, institution in MEMBERS.items():
        who = TelegramIdentity(user_id, user_id, f"M{user_id}", None, None, "es")
        await ensure_member(database, who, default_timezone="UTC", admin_ids=())
        await update_member(
            database, user_id, institution_id=institution, verified_institution_id=institution
        )
    await store.launch(database, "inst", NOW, render, actor_id=1, actor_name="test")
    yield database
    await database.dispose()


async def nudged_members(db: Database) -> list[int | None]:
    async with db.session() as session:
        rows = await session.exec(
            select(Delivery.member_id).where(col(Delivery.key).contains(":nudge:board"))
        )
        return sorted(rows.all(), key=lambda m: m or 0)


async def nudge(db: Database, at: datetime, institutions: list[str] | None = None) -> Any:
    return await nudge_institutions(
        db, "inst", at, render, institutions=institutions, actor_id=1, actor_name="Org"
    )


async def test_only_not_started_institutions_once_per_12_hours(db: Database) -> None:
    survey, _ = await store.get_survey(db, "inst") or (None, None)
    focal = await get_member(db, 101)
    assert survey is not None and focal is not None
    await store.start_response(db, survey, focal, NOW)  # inefop has started

    first = await nudge(db, NOW)
    assert (first.queued, first.reminded, first.started) == (2, ["senai", "utu"], ["inefop"])
    assert await nudged_members(db) == [103, 104]
    again = await nudge(db, NOW + timedelta(hours=11))
    assert again.queued == 0 and again.recent == ["senai", "utu"] and again.reminded == []
    later = await nudge(db, NOW + timedelta(hours=12, minutes=1), ["utu", "fundae", "inefop"])
    assert later.reminded == ["utu"] and later.unknown == ["fundae"] and later.started == ["inefop"]
    assert await nudged_members(db) == [103, 103, 104]
    async with db.session() as session:
        targets = (
            await session.exec(
                select(AuditLog.target).where(col(AuditLog.action) == "nudge institution")
            )
        ).all()
    assert sorted(str(t) for t in targets) == ["inst/senai", "inst/utu", "inst/utu"]


async def test_closed_or_unknown_survey_changes_nothing(db: Database) -> None:
    closed = await nudge(db, datetime(2026, 12, 11, tzinfo=UTC))
    assert closed.problem is SurveyProblem.closed
    missing = await nudge_institutions(
        db, "nope", NOW, render, institutions=None, actor_id=1, actor_name="Org"
    )
    assert missing.problem is SurveyProblem.unknown
    assert await nudged_members(db) == []
