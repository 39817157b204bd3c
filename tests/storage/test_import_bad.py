"""A refused import writes nothing: every bad file of tests/unit/test_importer_bad.py, on
SQLite and PostgreSQL, in-line (the CLI) and in the worker process (/import)."""

from __future__ import annotations

from sqlmodel import func, select

from bot.importer.load import run_import
from storage.db import Database
from storage.models import AuditLog, Course, Event, Faq, Institution, Question, Survey
from tests.unit.test_importer_bad import BAD_FILES

TABLES = (Institution, Course, Event, Faq, Survey, Question, AuditLog)


async def rows(db: Database) -> dict[str, int]:
    async with db.session() as session:
        return {
            table.__name__: int((await session.exec(select(func.count()).select_from(table))).one())
            for table in TABLES
        }


async def test_bad_files_write_nothing(db: Database) -> None:
    empty = await rows(db)
    assert set(empty.values()) == {0}
    for index, (name, content, expected) in enumerate(BAD_FILES):
        outcome = await run_import(
            db,
            [(name, content)],
            default_language="es",
            default_timezone="America/Montevideo",
            off_loop=index == 0,
        )
        assert not outcome.ok and outcome.errors == [expected], name
        assert await rows(db) == empty, name
