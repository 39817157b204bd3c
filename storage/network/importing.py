"""Writing the network data file into the store in one transaction: upsert, count, prune."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.records import (
    CourseRecord,
    EventRecord,
    FaqRecord,
    InstitutionRecord,
    NetworkData,
    SurveyRecord,
    TopicRecord,
)
from storage.audience import unknown_references
from storage.audit import add_entry
from storage.db import Database
from storage.events import remember_previous_start
from storage.models import (
    Answer,
    Course,
    Delivery,
    Event,
    Faq,
    Institution,
    Member,
    Question,
    Response,
    Rsvp,
    Survey,
)
from storage.network.columns import (
    course_values,
    differs,
    event_values,
    faq_values,
    institution_values,
    question_rows,
    survey_values,
)
from storage.topics import import_topics, remember_written
from storage.types import utcnow

SECTION_ORDER = ("institutions", "courses", "events", "faq", "surveys", "topics")


@dataclass
class SectionSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportSummary:
    sections: dict[str, SectionSummary] = field(default_factory=dict)
    moved_events: list[str] = field(default_factory=list)  # start or end changed
    cancelled_events: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: asdict(summary) for name, summary in self.sections.items()}


class ReferenceError_(ValueError):
    """The file names things (institutions, events, surveys) that exist nowhere."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# ------------------------------------------------------------------ import
async def check_references(db: Database, data: NetworkData) -> list[str]:
    """Audience selectors and feedback surveys must name things in the file or the store."""
    in_file = {
        "institution": {r.id for r in data.institutions},
        "event": {r.id for r in data.events},
        "survey": {r.id for r in data.surveys},
    }
    errors: list[str] = []
    items: list[tuple[str, Sequence[str]]] = [
        (f"events[{i}].audience", r.audience) for i, r in enumerate(data.events)
    ]
    items += [(f"surveys[{i}].audience", r.audience) for i, r in enumerate(data.surveys)]
    for path, selectors in items:
        local = [
            s
            for s in selectors
            if not (
                (s.startswith("institution:") and s[12:] in in_file["institution"])
                or (s.startswith("event:") and s[6:] in in_file["event"])
            )
        ]
        for missing in await unknown_references(db, local):
            errors.append(f"{path}: {missing} does not exist")
    async with db.session() as session:
        for index, event in enumerate(data.events):
            survey_id = event.feedback_survey
            if (
                survey_id
                and survey_id not in in_file["survey"]
                and await session.get(Survey, survey_id) is None
            ):
                errors.append(
                    f"events[{index}].feedback_survey: survey '{survey_id}' does not exist"
                )
    return errors


async def import_network(
    db: Database,
    data: NetworkData,
    *,
    prune: bool = False,
    actor_id: int | None = None,
    actor_name: str | None = None,
) -> ImportSummary:
    """Upsert everything in one transaction; raises :class:`ReferenceError_` and writes
    nothing when the file names institutions, events or surveys that exist nowhere."""
    errors = await check_references(db, data)
    if errors:
        raise ReferenceError_(errors)
    summary = ImportSummary()
    now = utcnow()
    async with db.session() as session:
        for section in SECTION_ORDER:
            if section not in data.sections:
                continue
            records = getattr(data, section)
            summary.sections[section] = await _IMPORTERS[section](
                session, records, now, prune, summary
            )
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="import",
            target=", ".join(s for s in SECTION_ORDER if s in data.sections),
            details={"summary": summary.as_dict(), "prune": prune},
        )
    return summary


async def _upsert_simple(
    session: AsyncSession,
    model: Any,
    records: Sequence[Any],
    values_of: Any,
    now: datetime,
) -> tuple[SectionSummary, dict[str, Any]]:
    counts = SectionSummary()
    ids = [r.id for r in records]
    existing = {
        row.id: row
        for start in range(0, len(ids), 500)
        for row in (
            await session.exec(select(model).where(col(model.id).in_(ids[start : start + 500])))
        ).all()
    }
    for record in records:
        values = values_of(record)
        row = existing.get(record.id)
        if row is None:
            session.add(model(id=record.id, updated_at=now, **values))
            counts.created += 1
        elif differs(row, values):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts, existing


async def _stale_ids(session: AsyncSession, model: Any, keep: set[str]) -> list[str]:
    rows = (await session.exec(select(model.id))).all()
    return [row for row in rows if row not in keep]


Remover = Callable[[AsyncSession, list[str]], Awaitable[None]]


async def _prune(
    session: AsyncSession,
    model: Any,
    records: Sequence[Any],
    counts: SectionSummary,
    remove: Remover | None = None,
) -> None:
    """Delete the rows of ``model`` the file no longer has; ``remove`` deletes them with
    what hangs on them (RSVPs, responses, members' links)."""
    stale = await _stale_ids(session, model, {r.id for r in records})
    if not stale:
        return
    if remove is None:
        await session.exec(delete(model).where(col(model.id).in_(stale)))
    else:
        await remove(session, stale)
    counts.deleted = len(stale)


async def _import_institutions(
    session: AsyncSession,
    records: list[InstitutionRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts, _existing = await _upsert_simple(session, Institution, records, institution_values, now)
    await session.flush()

    async def unlink_and_delete(session: AsyncSession, stale: list[str]) -> None:
        await session.exec(
            update(Member)
            .where(col(Member.institution_id).in_(stale))
            .values(institution_id=None, verified_institution_id=None, updated_at=now)
        )
        await session.exec(delete(Institution).where(col(Institution.id).in_(stale)))

    if prune:
        await _prune(session, Institution, records, counts, unlink_and_delete)
    return counts


async def _import_courses(
    session: AsyncSession,
    records: list[CourseRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts, _existing = await _upsert_simple(session, Course, records, course_values, now)
    await remember_written(session, {k: v for r in records for k, v in r.topic_names.items()}, now)
    if prune:
        await _prune(session, Course, records, counts)
    return counts


async def _import_events(
    session: AsyncSession,
    records: list[EventRecord],
    now: datetime,
    prune: bool,
    summary: ImportSummary,
) -> SectionSummary:
    ids = [r.id for r in records]
    before = {
        row.id: (row.starts_at, row.ends_at, row.status, row.all_day)
        for start in range(0, len(ids), 500)
        for row in (
            await session.exec(select(Event).where(col(Event.id).in_(ids[start : start + 500])))
        ).all()
    }
    counts, existing = await _upsert_simple(session, Event, records, event_values, now)
    for record in records:
        old = before.get(record.id)
        if old is None:
            continue
        row = existing[record.id]
        if (old[0], old[1]) != (record.starts_at, record.ends_at):
            remember_previous_start(row, old[0], old[3])
            row.revision += 1
            summary.moved_events.append(record.id)
        if old[2] != "cancelled" and record.status == "cancelled":
            summary.cancelled_events.append(record.id)
    await session.flush()
    if prune:
        await _prune(session, Event, records, counts, delete_events)
    return counts


async def delete_events(session: AsyncSession, event_ids: list[str]) -> None:
    """Events and what hangs on them: RSVPs and messages not yet sent."""
    await session.exec(delete(Rsvp).where(col(Rsvp.event_id).in_(event_ids)))
    await session.exec(
        update(Delivery)
        .where(col(Delivery.event_id).in_(event_ids), col(Delivery.status) == "pending")
        .values(status="cancelled", last_error="event deleted")
    )
    await session.exec(delete(Event).where(col(Event.id).in_(event_ids)))


async def _import_faq(
    session: AsyncSession,
    records: list[FaqRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts, _existing = await _upsert_simple(session, Faq, records, faq_values, now)
    if prune:
        await _prune(session, Faq, records, counts)
    return counts


async def _import_surveys(
    session: AsyncSession,
    records: list[SurveyRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts = SectionSummary()
    for record in records:
        survey = await session.get(Survey, record.id)
        if survey is None:
            session.add(Survey(id=record.id, updated_at=now, **survey_values(record)))
            await session.flush()
            for row in question_rows(record):
                session.add(Question(survey_id=record.id, **row))
            counts.created += 1
        elif await _update_survey(session, survey, record, now):
            counts.updated += 1
        else:
            counts.unchanged += 1
    await session.flush()
    if prune:
        await _prune(session, Survey, records, counts, delete_surveys)
    return counts


async def _update_survey(
    session: AsyncSession, survey: Survey, record: SurveyRecord, now: datetime
) -> bool:
    """Bring a stored survey and its questions to the file's; False when nothing changed."""
    values, wanted = survey_values(record), question_rows(record)
    current = {
        q.id: q
        for q in (
            await session.exec(select(Question).where(col(Question.survey_id) == record.id))
        ).all()
    }
    wanted_ids = {row["id"] for row in wanted}
    questions_differ = set(current) != wanted_ids or any(
        differs(current[row["id"]], row) for row in wanted
    )
    if not differs(survey, values) and not questions_differ:
        return False
    for key, value in values.items():
        setattr(survey, key, value)
    survey.updated_at = now
    gone = [qid for qid in current if qid not in wanted_ids]
    if gone:
        await session.exec(
            delete(Question).where(col(Question.survey_id) == record.id, col(Question.id).in_(gone))
        )
    for row in wanted:
        question = current.get(row["id"])
        if question is None:
            session.add(Question(survey_id=record.id, **row))
        else:
            for key, value in row.items():
                setattr(question, key, value)
    return True


async def delete_surveys(session: AsyncSession, survey_ids: list[str]) -> None:
    responses = select(Response.id).where(col(Response.survey_id).in_(survey_ids))
    await session.exec(delete(Answer).where(col(Answer.response_id).in_(responses)))
    await session.exec(delete(Response).where(col(Response.survey_id).in_(survey_ids)))
    await session.exec(delete(Question).where(col(Question.survey_id).in_(survey_ids)))
    await session.exec(
        update(Delivery)
        .where(col(Delivery.survey_id).in_(survey_ids), col(Delivery.status) == "pending")
        .values(status="cancelled", last_error="survey deleted")
    )
    await session.exec(
        update(Event)
        .where(col(Event.feedback_survey_id).in_(survey_ids))
        .values(feedback_survey_id=None)
    )
    await session.exec(delete(Survey).where(col(Survey.id).in_(survey_ids)))


async def _import_topic_labels(
    session: AsyncSession,
    records: list[TopicRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    created, updated, unchanged, deleted = await import_topics(session, records, now, prune)
    return SectionSummary(created, updated, unchanged, deleted)


_IMPORTERS: dict[str, Any] = {
    "institutions": _import_institutions,
    "courses": _import_courses,
    "events": _import_events,
    "faq": _import_faq,
    "surveys": _import_surveys,
    "topics": _import_topic_labels,
}
