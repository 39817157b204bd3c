"""Survey storage on SQLite and on PostgreSQL: answers, results counted by the database,
and the export rows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.importer.load import run_import
from storage import surveys as store
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, update_member

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SURVEY = b"""
version: 1
surveys:
  - id: kinds
    title: {es: "Todas las preguntas", en: "Every question"}
    respondent: member
    audience: all
    closes: 2026-12-10T18:00
    timezone: America/Montevideo
    questions:
      - {id: mode, kind: single, text: Modo,
         options: [{id: online, text: En linea}, {id: classroom, text: Presencial}]}
      - {id: tools, kind: multiple, text: Herramientas,
         options: [{id: moodle, text: Moodle}, {id: zoom, text: Zoom}]}
      - {id: plan, kind: yesno, text: Plan}
      - {id: rating, kind: scale, text: Utilidad, min: 1, max: 5}
      - {id: share, kind: number, text: Porcentaje, min: 0, max: 100}
      - {id: since, kind: date, text: Desde}
      - {id: notes, kind: text, text: Notas, required: false}
"""
# (mode, tools, plan, rating, share, since, notes) of four members; the last never submits
ANSWERS = [
    ("online", ["moodle", "zoom"], "yes", 5, 40, "2024-03-01", "Muy útil"),
    ("online", ["zoom"], "no", 4, 12.5, "2025-01-15", 'Dijo "sí", con comillas'),
    ("classroom", [], "yes", 5, 0, "2024-03-01", "Muy útil"),
    ("classroom", ["moodle"], "no", 1, 100, "2020-06-30", "sin enviar"),
]
QUESTIONS = ("mode", "tools", "plan", "rating", "share", "since", "notes")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await database.upgrade()
    outcome = await run_import(
        database,
        [("s.yaml", SURVEY)],
        default_language="es",
        default_timezone="America/Montevideo",
    )
    assert outcome.ok, outcome.errors
    await store.launch(
        database, "kinds", NOW, lambda *_: {"text": "invitation"}, actor_id=1, actor_name="test"
    )
    yield database
    await database.dispose()


async def answer_all(db: Database) -> list[int]:
    found = await store.get_survey(db, "kinds")
    assert found is not None
    survey, _ = found
    response_ids = []
    for n, values in enumerate(ANSWERS):
        user_id = 7_000_000_001 + n
        who = TelegramIdentity(
            user_id=user_id, chat_id=user_id, first_name=f"Ana{n}", language="es"
        )
        member, _ = await ensure_member(db, who, default_timezone="America/Montevideo")
        member = await update_member(db, user_id, onboarded=True) or member
        response = await store.start_response(db, survey, member, NOW)
        assert response.id is not None
        for minute, (question, value) in enumerate(zip(QUESTIONS, values, strict=True)):
            problem = await store.save_answer(
                db,
                response.id,
                question,
                value if value != [] else None,
                member_id=user_id,
                now=NOW + timedelta(minutes=10 * n + minute),
                current=question,
            )
            assert problem is None
        if n < 3:
            assert await store.submit(db, response.id, NOW + timedelta(hours=1)) is None
        response_ids.append(response.id)
    return response_ids


async def test_results_count_submitted_answers_only(db: Database) -> None:
    await answer_all(db)
    result = await store.results(db, "kinds")
    assert result is not None
    assert (result.submitted, result.in_progress) == (3, 1)
    by_id = {item.question.id: item for item in result.per_question}
    assert dict(by_id["mode"].counts) == {"online": 2, "classroom": 1}
    assert dict(by_id["tools"].counts) == {"moodle": 1, "zoom": 2}
    assert by_id["tools"].answered == 2  # the empty choice was cleared, not stored
    assert dict(by_id["plan"].counts) == {"yes": 2, "no": 1}
    assert dict(by_id["rating"].counts) == {"5": 2, "4": 1}
    assert sorted(by_id["rating"].numbers) == [4.0, 5.0, 5.0]
    assert sorted(by_id["share"].numbers) == [0.0, 12.5, 40.0]
    assert sorted(by_id["since"].texts) == ["2024-03-01", "2024-03-01", "2025-01-15"]
    # the most recently answered text comes last (the results show the last three)
    assert by_id["notes"].texts[-1] == "Muy útil"
    assert sorted(by_id["notes"].texts) == sorted(
        ["Muy útil", "Muy útil", 'Dijo "sí", con comillas']
    )


async def test_export_has_every_response_with_raw_values(db: Database) -> None:
    response_ids = await answer_all(db)
    questions, rows = await store.export_rows(db, "kinds")
    assert [q.id for q in questions] == list(QUESTIONS)
    assert [row["response"] for row in rows] == response_ids
    assert [row["status"] for row in rows] == ["submitted"] * 3 + ["in_progress"]
    assert rows[0]["member"] == "Ana0"
    for row, values in zip(rows, ANSWERS, strict=True):
        expected = {q: v for q, v in zip(QUESTIONS, values, strict=True) if v != []}
        assert row["answers"] == expected


async def _started(db: Database, n: int = 0) -> tuple[int, int]:
    """A member (user id, response id) with a response to ``kinds`` just started."""
    found = await store.get_survey(db, "kinds")
    assert found is not None
    user_id = 7_000_000_101 + n
    who = TelegramIdentity(user_id=user_id, chat_id=user_id, first_name="Bea", language="es")
    member, _ = await ensure_member(db, who, default_timezone="America/Montevideo")
    response = await store.start_response(db, found[0], member, NOW)
    assert response.id is not None
    return user_id, response.id


async def test_an_answer_to_a_closed_survey_changes_nothing(db: Database) -> None:
    user_id, response_id = await _started(db)
    closes = datetime(2026, 12, 10, 21, 0, tzinfo=UTC)  # 18:00 in Montevideo
    assert (
        await store.save_answer(
            db, response_id, "mode", "online", member_id=user_id, now=NOW, current="tools"
        )
        is None
    )
    late = await store.save_answer(
        db, response_id, "mode", "classroom", member_id=user_id, now=closes, current="plan"
    )
    assert late is store.SurveyProblem.closed
    state = await store.response_state(db, response_id)
    assert state is not None
    assert state.answers == {"mode": "online"}
    assert state.response.current_question == "tools"
    gone = await store.save_answer(
        db, response_id + 99, "mode", "online", member_id=user_id, now=NOW, current=None
    )
    assert gone is store.SurveyProblem.gone


async def test_the_same_answer_again_keeps_who_gave_it_and_a_new_one_replaces_it(
    db: Database,
) -> None:
    user_id, response_id = await _started(db)
    later = NOW + timedelta(minutes=5)
    for value, at in (("online", NOW), ("online", later)):
        await store.save_answer(
            db, response_id, "mode", value, member_id=user_id, now=at, current=None
        )
    state = await store.response_state(db, response_id)
    assert state is not None
    assert state.answered_by["mode"] == (user_id, NOW)
    await store.save_answer(
        db, response_id, "mode", "classroom", member_id=user_id + 1, now=later, current=None
    )
    await store.save_answer(
        db, response_id, "tools", ["zoom"], member_id=user_id, now=later, current=None
    )
    await store.save_answer(
        db, response_id, "tools", ["zoom", "moodle"], member_id=user_id, now=later, current=None
    )
    state = await store.response_state(db, response_id)
    assert state is not None
    assert state.answers == {"mode": "classroom", "tools": ["zoom", "moodle"]}
    assert state.answered_by["mode"] == (user_id + 1, later)
    await store.save_answer(
        db,
        response_id,
        "tools",
        None,
        member_id=user_id,
        now=later,
        current=None,
        drop=["mode"],
    )
    state = await store.response_state(db, response_id)
    assert state is not None and state.answers == {}


async def test_two_answers_to_one_question_at_once_both_succeed(db: Database) -> None:
    user_id, response_id = await _started(db)
    problems = await asyncio.gather(
        *(
            store.save_answer(
                db, response_id, "mode", value, member_id=user_id + n, now=NOW, current=None
            )
            for n, value in enumerate(("online", "classroom", "online", "classroom"))
        )
    )
    assert problems == [None] * 4
    state = await store.response_state(db, response_id)
    assert state is not None
    assert state.answers["mode"] in ("online", "classroom")
