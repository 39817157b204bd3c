"""Erasure on SQLite and PostgreSQL: nothing the person typed or was called survives, in
any table or (SQLite) in the bytes of the database, WAL and shared-memory files."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Text, cast, func
from sqlmodel import SQLModel, col, select

from storage import drafts, erasure, privacy
from storage.audit import record
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, get_member
from storage.models import (
    Answer,
    AuditLog,
    Broadcast,
    Delivery,
    Event,
    Question,
    Response,
    Rsvp,
    Survey,
    UnansweredQuestion,
)
from storage.questions import record_unanswered

ERIN = 4242
OTHER = 4343
SURNAME = "Quillfeatherstone"
PHRASE = "my email is zebra-ocelot-17"
SURVEY_TEXT = "marmalade-kangaroo answer"
SIGNED = f"Our centre trains 300 welders. Signed, Erin {SURNAME}"
SECRETS = (SURNAME, PHRASE, SURVEY_TEXT, "zebra-ocelot-17", "marmalade-kangaroo")
NOW = datetime(2030, 5, 1, 12, tzinfo=UTC)
# Column names that can point to a person: erasure must list each one it finds; "..._by"
# counts when it holds an id (``created_by``), not a date or a worker (``enroll_by``).
PERSONAL = re.compile(r"(user_id|chat_id|member_id|actor_id|actor_name|target|respondent_key)$")


def personal(column: Column[Any]) -> bool:
    by_person = column.name.endswith("_by") and isinstance(column.type, Integer)
    return by_person or PERSONAL.search(column.name) is not None


async def seed_person(db: Database) -> None:
    """Erin, with something in every place a person leaves traces; and Otto, who stays."""
    await ensure_member(
        db, TelegramIdentity(ERIN, ERIN, "Erin", SURNAME, "erinq"), default_timezone="UTC"
    )
    await ensure_member(
        db, TelegramIdentity(OTHER, OTHER, "Otto", "Keeper"), default_timezone="UTC"
    )
    await drafts.save_draft(db, "broadcast", ERIN, {"texts": {"es": f"Hola de {SURNAME}"}})
    await drafts.save_draft(db, "event", ERIN, {"title": SURNAME})
    await record_unanswered(db, PHRASE, "en", NOW, asked_by=ERIN)
    await record(db, actor_id=ERIN, actor_name=f"Erin {SURNAME}", action="grant", target="1")
    await record(db, actor_id=OTHER, actor_name="Otto", action="grant", target=str(ERIN))
    async with db.session() as session:
        session.add(Event(id="e1", title={"en": "E"}, starts_at=NOW, ends_at=NOW, timezone="UTC"))
        for sid, respondent in (("s-own", "member"), ("s-inst", "institution")):
            session.add(Survey(id=sid, title={"en": sid}, respondent=respondent, created_by=ERIN))
        session.add(Broadcast(created_by=ERIN, texts={"es": "anuncio"}, progress_chat_id=ERIN))
    async with db.session() as session:
        for sid in ("s-own", "s-inst"):
            session.add(Question(survey_id=sid, id="t", kind="text", text={"en": "Tell"}))
            session.add(Question(survey_id=sid, id="n", kind="number", text={"en": "How many"}))
    async with db.session() as session:
        session.add(Rsvp(event_id="e1", member_id=ERIN))
        own = Response(survey_id="s-own", respondent_key=f"member:{ERIN}", member_id=ERIN)
        inst = Response(
            survey_id="s-inst",
            respondent_key="institution:utu",
            member_id=ERIN,
            institution_id="utu",
        )
        session.add_all([own, inst])
        await session.flush()
        assert own.id is not None and inst.id is not None
        session.add(
            Answer(response_id=own.id, question_id="t", value=SURVEY_TEXT, answered_by=ERIN)
        )
        session.add(Answer(response_id=inst.id, question_id="t", value=SIGNED, answered_by=ERIN))
        session.add(Answer(response_id=inst.id, question_id="n", value=300, answered_by=ERIN))
        for status in ("pending", "sending", "sent"):
            session.add(
                Delivery(
                    key=f"survey:s-own:{status}:{ERIN}",
                    kind="survey",
                    chat_id=ERIN,
                    member_id=ERIN,
                    status=status,
                    payload={"text": f"Dear Erin {SURNAME}"},
                )
            )
        session.add(Delivery(key="x:other", kind="notice", chat_id=OTHER, member_id=OTHER))


async def text_hits(db: Database, needle: str) -> list[str]:
    """Every text and JSON column of every table, searched with SQL (PostgreSQL and SQLite)."""
    hits = []
    async with db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                query = select(func.count()).where(cast(column, Text).contains(needle))
                if (await session.exec(query.select_from(table))).one():
                    hits.append(f"{table.name}.{column.name}")
    return hits


def file_hits(url: str, needle: str) -> list[str]:
    path = Path(url.split(":///", 1)[1])
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return [f.name for f in files if f.exists() and needle.encode() in f.read_bytes()]


async def test_erasure_leaves_nothing_personal(db: Database) -> None:
    await seed_person(db)
    assert await text_hits(db, SURNAME)  # the search does see it before
    await db.checkpoint()  # some of it in the main file, more in the WAL below
    await record_unanswered(db, PHRASE, "en", NOW + timedelta(minutes=1), asked_by=ERIN)

    done = await erasure.erase_member(db, ERIN)

    assert done.member and done.rows["delivery"] == 3
    for secret in SECRETS:
        assert await text_hits(db, secret) == [], secret
        if db.is_sqlite:
            assert file_hits(db.url, secret) == [], secret
    assert await get_member(db, ERIN) is None and await get_member(db, OTHER) is not None
    assert await erasure.is_erased(db, ERIN) and not await erasure.is_erased(db, OTHER)
    async with db.session() as session:
        rows = (await session.exec(select(Delivery))).all()
        statuses = {d.key: d.status for d in rows}
        assert statuses.pop("x:other") == "pending"
        assert sorted(statuses.values()) == ["cancelled", "cancelled", "sent"]
        assert all(d.chat_id == 0 and d.payload == {} for d in rows if d.key != "x:other")
        assert all(str(ERIN) not in d.key for d in rows)
        assert (await session.exec(select(Rsvp))).first() is None
        answers = (await session.exec(select(Answer))).all()
        assert {(a.question_id, a.value, a.answered_by) for a in answers} == {
            ("t", None, None),
            ("n", 300, None),
        }
        inst = (await session.exec(select(Response))).one()
        assert inst.institution_id == "utu" and inst.member_id is None
        entries = (await session.exec(select(AuditLog).order_by(col(AuditLog.id)))).all()
        assert [e.action for e in entries] == ["grant", "grant"]
        marker = erasure.anonymous_marker(await erasure.user_hash(db, ERIN))
        assert (entries[0].actor_id, entries[0].actor_name) == (None, marker)
        assert (entries[1].actor_name, entries[1].target) == ("Otto", marker)
        assert (await session.exec(select(Broadcast))).one().created_by == 0
        assert (await session.exec(select(UnansweredQuestion))).first() is None
    assert await drafts.get_draft(db, "broadcast", ERIN) is None


async def test_erasure_twice_and_of_nobody(db: Database) -> None:
    await seed_person(db)
    assert (await erasure.erase_member(db, ERIN)).member
    again = await erasure.erase_member(db, ERIN)  # a double tap: nothing left, no error
    assert not again.member and set(again.rows.values()) == {0}
    assert not (await erasure.erase_member(db, 77)).member
    assert await erasure.clear_tombstone(db, ERIN) and not await erasure.is_erased(db, ERIN)
    assert not await erasure.clear_tombstone(db, ERIN)


async def test_a_question_others_asked_keeps_only_its_normal_form(db: Database) -> None:
    await record_unanswered(db, "Where is the COURSE list?", "en", NOW, asked_by=ERIN)
    await record_unanswered(db, "where is the course list", "en", NOW, asked_by=OTHER)
    await erasure.erase_member(db, ERIN)
    async with db.session() as session:
        question = (await session.exec(select(UnansweredQuestion))).one()
    assert (question.text, question.count) == ("where is the course list", 1)


async def test_export_has_the_member_and_no_one_else(db: Database) -> None:
    await seed_person(db)
    data = await privacy.export_member(db, ERIN)
    assert data["member"]["last_name"] == SURNAME
    assert [d["flow"] for d in sorted(data["drafts"], key=lambda d: d["flow"])] == [
        "broadcast",
        "event",
    ]
    assert [q["text"] for q in data["questions_asked"]] == [PHRASE]
    assert len(data["deliveries"]) == 3 and "key" not in data["deliveries"][0]
    answers = [a["value"] for r in data["survey_responses"] for a in r["answers"]]
    assert sorted(map(str, answers)) == sorted([SURVEY_TEXT, SIGNED, "300"])
    about = [e for e in data["audit_entries"] if e.get("target") == str(ERIN)]
    assert about and "actor_name" not in about[0]  # who granted it is Otto's data
    assert "Otto" not in str(data) and "Keeper" not in str(data)
    nothing = await privacy.export_member(db, 99)
    assert nothing["member"] is None and nothing["rsvps"] == [] and nothing["deliveries"] == []


async def test_retention_prunes_old_contents_only(db: Database) -> None:
    await ensure_member(db, TelegramIdentity(ERIN, ERIN, "Erin"), default_timezone="UTC")
    old, recent = NOW - timedelta(days=100), NOW - timedelta(days=10)
    async with db.session() as session:
        for key, status, at in (
            ("old-sent", "sent", old),
            ("old-pending", "pending", old),
            ("new-sent", "sent", recent),
        ):
            session.add(
                Delivery(
                    key=key,
                    kind="notice",
                    chat_id=ERIN,
                    member_id=ERIN,
                    status=status,
                    payload={"text": "hello"},
                    created_at=at,
                )
            )
    await record_unanswered(db, "old question text", "en", old, asked_by=ERIN)
    await record_unanswered(db, "recent question text", "en", recent, asked_by=ERIN)
    pruned = await privacy.prune(db, NOW, 90)
    assert (pruned.deliveries, pruned.questions) == (1, 1)
    async with db.session() as session:
        rows = {d.key: d for d in (await session.exec(select(Delivery)))}
        texts = [q.text for q in (await session.exec(select(UnansweredQuestion)))]
    assert (rows["old-sent"].payload, rows["old-sent"].chat_id) == ({}, 0)
    assert rows["old-pending"].payload == {"text": "hello"} and rows["old-pending"].chat_id == ERIN
    assert rows["new-sent"].payload == {"text": "hello"}
    assert texts == ["recent question text"]
    assert await privacy.prune(db, NOW, 90) == privacy.Pruned(0, 0)


def test_every_personal_column_is_handled_by_erasure() -> None:
    """A new table (or column) that can name a person fails here until erasure handles it."""
    missing = [
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if personal(column) and column.name not in erasure.HANDLED.get(table.name, frozenset())
    ]
    assert missing == [], f"storage/erasure.py does not erase: {missing}"
    stale = [
        f"{name}.{column}"
        for name, columns in erasure.HANDLED.items()
        for column in columns
        if name not in SQLModel.metadata.tables or column not in SQLModel.metadata.tables[name].c
    ]
    assert stale == []
