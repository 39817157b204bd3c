"""Responses kept answer by answer, one per member or institution: start, answer, submit."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, delete, func, or_, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import ResponseStatus, SurveyStatus
from storage.db import Database, upsert_insert
from storage.models import Answer, Member, Question, Response, Survey
from storage.one_trip import Prepared, sqlite_driver
from storage.surveys.definitions import (
    SurveyProblem,
    in_audience,
    is_open,
    questions_of,
    respondent_key,
)


@dataclass
class MemberSurvey:
    survey: Survey
    response: Response | None
    questions: list[Question]
    answers: dict[str, Any]


async def surveys_for(db: Database, member: Member, now: datetime) -> list[MemberSurvey]:
    """Open surveys the member may answer, with the answers given so far."""
    async with db.session() as session:
        surveys = (
            await session.exec(select(Survey).where(col(Survey.status) == SurveyStatus.open))
        ).all()
        found = []
        for survey in surveys:
            if not is_open(survey, now) or not await in_audience(session, survey, member.user_id):
                continue
            key = respondent_key(survey, member)
            response = None
            answers: dict[str, Any] = {}
            if key is not None:
                response = await _response_of(session, survey.id, key)
            if response is not None:
                rows = await session.exec(
                    select(Answer.question_id, Answer.value).where(
                        col(Answer.response_id) == response.id
                    )
                )
                answers = dict(rows.all())
            found.append(
                MemberSurvey(survey, response, await questions_of(session, survey.id), answers)
            )
        return found


async def _response_of(session: AsyncSession, survey_id: str, key: str) -> Response | None:
    """The response of one respondent (a member, or an institution) to a survey."""
    found = await session.exec(
        select(Response).where(
            col(Response.survey_id) == survey_id, col(Response.respondent_key) == key
        )
    )
    return found.first()


async def start_response(db: Database, survey: Survey, member: Member, now: datetime) -> Response:
    """The member's (or their institution's) response, created on first answer; safe when
    two focal points of one institution start at the same moment."""
    key = respondent_key(survey, member)
    if key is None:
        raise ValueError("no institution")
    for _ in range(2):
        try:
            async with db.session() as session:
                existing = await _response_of(session, survey.id, key)
                if existing is not None:
                    return existing
                response = Response(
                    survey_id=survey.id,
                    respondent_key=key,
                    member_id=member.user_id,
                    institution_id=member.verified_institution_id
                    if survey.respondent == "institution"
                    else None,
                    started_at=now,
                    updated_at=now,
                )
                session.add(response)
                await session.flush()
                return response
        except IntegrityError:
            continue  # the other focal point created it first: read theirs
    raise RuntimeError("could not create the response")


@dataclass
class ResponseState:
    survey: Survey
    questions: list[Question]
    response: Response
    answers: dict[str, Any]
    answered_by: dict[str, tuple[int | None, datetime]]


def _question_count(survey: type[Survey] = Survey) -> Any:
    """A scalar subquery: how many questions the survey has (part of the cache stamp)."""
    return (
        select(func.count())
        .select_from(Question)
        .where(col(Question.survey_id) == col(survey.id))
        .scalar_subquery()
    )


async def _response_and_survey(
    session: AsyncSession, response_id: int
) -> tuple[Response, Survey, int] | None:
    """A response with its survey and its survey's question count, in one query."""
    found = await session.exec(
        select(Response, Survey, _question_count())
        .join(Survey, col(Survey.id) == col(Response.survey_id))
        .where(col(Response.id) == response_id)
    )
    row = found.first()
    return (row[0], row[1], int(row[2])) if row is not None else None


async def _survey_questions(
    db: Database, session: AsyncSession, survey: Survey, count: int
) -> list[Question]:
    """The questions of a survey, read once per version of the survey in this process.

    Questions only change with the survey (the importer and the polls set its
    ``updated_at``), so the survey's stamp and question count, read with the response,
    tell whether the copy kept here is still the one in the database — also when another
    bot process changed it. The copies are detached and never changed by their readers.
    """
    key = ("survey-questions", survey.id, survey.updated_at, count)
    kept = db.memo.get(key)
    if kept is None:
        kept = tuple(await questions_of(session, survey.id))
        db.remember(key, kept)
    return list(kept)


async def response_state(db: Database, response_id: int) -> ResponseState | None:
    async with db.session() as session:
        found = await _response_and_survey(session, response_id)
        if found is None:
            return None
        response, survey, count = found
        questions = await _survey_questions(db, session, survey, count)
        # Plain rows, not Answer objects: up to one per question on every tap.
        rows = (
            await session.exec(
                select(
                    Answer.question_id, Answer.value, Answer.answered_by, Answer.answered_at
                ).where(col(Answer.response_id) == response_id)
            )
        ).all()
        return ResponseState(
            survey,
            questions,
            response,
            {question: value for question, value, _, _ in rows},
            {question: (by, at) for question, _, by, at in rows},
        )


async def may_answer(db: Database, response: Response, member: Member) -> bool:
    """The member's own response, or their institution's."""
    if response.respondent_key == f"member:{member.user_id}":
        return True
    verified = member.verified_institution_id
    return bool(verified and response.respondent_key == f"institution:{verified}")


def _survey_open_at(now: datetime | BindParameter[Any]) -> Any:
    """SQL for :func:`is_open` of the response's survey at ``now``, so that the write that
    stores an answer is also the check that the survey still takes it."""
    return (
        select(Survey.id)
        .where(
            col(Survey.id) == col(Response.survey_id),
            col(Survey.status) == SurveyStatus.open,
            or_(col(Survey.opens_at).is_(None), col(Survey.opens_at) <= now),
            or_(col(Survey.closes_at).is_(None), col(Survey.closes_at) > now),
        )
        .exists()
    )


def _answer_upsert(session: AsyncSession, row: dict[str, Any]) -> Any:
    """Insert the answer, or change the stored one; who answered and when change only when
    the value does (a second tap on the same option keeps the first answerer)."""
    return _upsert_statement(upsert_insert(session, Answer).values(row))


def _upsert_statement(statement: Any) -> Any:
    """``statement`` (an insert of an answer) changing the stored answer on conflict."""
    changed = cast(col(Answer.value), Text) != cast(statement.excluded.value, Text)
    return statement.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "answered_by": statement.excluded.answered_by,
            "answered_at": statement.excluded.answered_at,
        },
        where=changed,
    )


# The response moved on to ``current`` at ``now``, only while its survey is open
_MOVE = Prepared(
    update(Response)
    .where(col(Response.id) == bindparam("rid"), _survey_open_at(bindparam("now")))
    .values(current_question=bindparam("current"), updated_at=bindparam("now"))
)


async def save_answer(
    db: Database,
    response_id: int,
    question_id: str,
    value: Any,
    *,
    member_id: int,
    now: datetime,
    current: str | None,
    drop: Sequence[str] = (),
) -> SurveyProblem | None:
    """Store one answer (or clear it with ``value=None``) and where the member is now, in one
    transaction; answers made hidden by this one are dropped. Returns the problem, if any.

    Two or three statements: the response's row is moved only while its survey is open
    (nothing is written otherwise), then the answer is upserted, so two focal points of one
    institution answering the same question at once both succeed, the later one winning.
    """
    values = {"rid": response_id, "now": now, "current": current}
    async with db.session() as session:
        on_sqlite = await sqlite_driver(session) if value is not None and not drop else None
        if on_sqlite is not None:
            driver, dialect = on_sqlite
            values |= {"qid": question_id, "value": value, "by": member_id}
            return await driver.run_transaction(
                lambda connection: _store_answer(connection, dialect, values)
            )
        moved = await session.exec(_MOVE.statement, params=values)
        if not moved.rowcount:
            gone = await session.get(Response, response_id) is None
            return SurveyProblem.gone if gone else SurveyProblem.closed
        if value is None:
            drop = [question_id, *drop]
        else:
            row = {
                "response_id": response_id,
                "question_id": question_id,
                "value": value,
                "answered_by": member_id,
                "answered_at": now,
            }
            await session.exec(_answer_upsert(session, row))
        if drop:
            await session.exec(
                delete(Answer).where(
                    col(Answer.response_id) == response_id, col(Answer.question_id).in_(list(drop))
                )
            )
        return None


# save_answer's two statements on SQLite, run in one trip (see storage.one_trip)
_UPSERT = Prepared(
    _upsert_statement(
        sqlite_insert(Answer).values(
            response_id=bindparam("rid"),
            question_id=bindparam("qid"),
            value=bindparam("value", type_=Answer.__table__.c.value.type),  # type: ignore[attr-defined]
            answered_by=bindparam("by"),
            answered_at=bindparam("now"),
        )
    )
)
_EXISTS = Prepared(select(Response.id).where(col(Response.id) == bindparam("rid")))


def _store_answer(
    connection: sqlite3.Connection, dialect: Dialect, values: dict[str, Any]
) -> SurveyProblem | None:
    """On the driver thread: :func:`save_answer`'s statements for one answer."""
    if not connection.execute(*_MOVE.bind(dialect, **values)).rowcount:
        found = connection.execute(*_EXISTS.bind(dialect, rid=values["rid"])).fetchone()
        return SurveyProblem.closed if found else SurveyProblem.gone
    connection.execute(*_UPSERT.bind(dialect, **values))
    return None


async def set_current(
    db: Database, response_id: int, question_id: str | None, now: datetime
) -> None:
    async with db.session() as session:
        await session.exec(
            update(Response)
            .where(col(Response.id) == response_id)
            .values(current_question=question_id, updated_at=now)
        )


async def submit(db: Database, response_id: int, now: datetime) -> SurveyProblem | None:
    async with db.session() as session:
        response = await session.get(Response, response_id)
        if response is None:
            return SurveyProblem.gone
        survey = await session.get(Survey, response.survey_id)
        if survey is None or not is_open(survey, now):
            return SurveyProblem.closed
        response.status = ResponseStatus.submitted
        response.submitted_at = response.submitted_at or now
        response.updated_at = now
        response.current_question = None
        return None
