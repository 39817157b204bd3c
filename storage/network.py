"""Writing the network data file into the store (one transaction), and reading it back.

:func:`import_network` upserts by id the records :func:`bot.network_file.parse_network_files`
checked, counts per section what was created, updated and left unchanged, and with
``prune`` removes what the file's sections no longer mention. :func:`export_network` writes
the same format back, so export → import round-trips with everything unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
from bot.core.timeparse import format_duration_code
from storage.audience import unknown_references
from storage.audit import add_entry
from storage.db import Database
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
from storage.topics import import_topics, labels_to_file, remember_written, topic_labels
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


# ------------------------------------------------------------------ record → columns
def _institution_values(r: InstitutionRecord | Institution) -> dict[str, Any]:
    return {
        "acronym": r.acronym,
        "name": r.name,
        "country": r.country,
        "timezone": r.timezone,
        "languages": r.languages,
    }


def _course_values(r: CourseRecord) -> dict[str, Any]:
    return {
        "title": r.title,
        "summary": r.summary,
        "topics": r.topics,
        "modality": r.modality,
        "pace": r.pace,
        "languages": r.languages,
        "starts": r.starts,
        "ends": r.ends,
        "hours": r.hours,
        "enroll_by": r.enroll_by,
        "enroll_url": r.enroll_url,
        "cost": r.cost,
        "certificate": r.certificate,
        "provider": r.provider,
    }


def _event_values(r: EventRecord) -> dict[str, Any]:
    return {
        "title": r.title,
        "description": r.description,
        "kind": r.kind,
        "starts_at": r.starts_at,
        "ends_at": r.ends_at,
        "all_day": r.all_day,
        "timezone": r.timezone,
        "platform": r.platform,
        "join_url": r.join_url,
        "location": r.location,
        "audience": r.audience,
        "attendees_only": r.audience == [f"event:{r.id}"],
        "reminders": r.reminders,
        "status": r.status,
        "feedback_survey_id": r.feedback_survey,
    }


def _faq_values(r: FaqRecord | Faq) -> dict[str, Any]:
    return {"question": r.question, "answer": r.answer, "keywords": r.keywords}


def _survey_values(r: SurveyRecord) -> dict[str, Any]:
    return {
        "title": r.title,
        "intro": r.intro,
        "respondent": r.respondent,
        "audience": r.audience,
        "opens_at": r.opens_at,
        "closes_at": r.closes_at,
        "timezone": r.timezone,
        "remind_before": r.remind_before,
        "auto_open": r.auto_open,
    }


def _question_rows(r: SurveyRecord) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "position": index,
            "kind": q.kind,
            "text": q.text,
            "options": q.options,
            "min_value": q.min_value,
            "max_value": q.max_value,
            "unit": q.unit,
            "max_length": q.max_length,
            "required": q.required,
            "show_if": q.show_if,
        }
        for index, q in enumerate(r.questions)
    ]


def _differs(row: Any, values: dict[str, Any]) -> bool:
    return any(getattr(row, key) != value for key, value in values.items())


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
        elif _differs(row, values):
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


async def _import_institutions(
    session: AsyncSession,
    records: list[InstitutionRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts, _existing = await _upsert_simple(
        session, Institution, records, _institution_values, now
    )
    await session.flush()
    if prune:
        stale = await _stale_ids(session, Institution, {r.id for r in records})
        if stale:
            await session.exec(
                update(Member)
                .where(col(Member.institution_id).in_(stale))
                .values(institution_id=None, verified_institution_id=None, updated_at=now)
            )
            await session.exec(delete(Institution).where(col(Institution.id).in_(stale)))
            counts.deleted = len(stale)
    return counts


async def _import_courses(
    session: AsyncSession,
    records: list[CourseRecord],
    now: datetime,
    prune: bool,
    _: ImportSummary,
) -> SectionSummary:
    counts, _existing = await _upsert_simple(session, Course, records, _course_values, now)
    await remember_written(session, {k: v for r in records for k, v in r.topic_names.items()}, now)
    if prune:
        stale = await _stale_ids(session, Course, {r.id for r in records})
        if stale:
            await session.exec(delete(Course).where(col(Course.id).in_(stale)))
            counts.deleted = len(stale)
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
        row.id: (row.starts_at, row.ends_at, row.status)
        for start in range(0, len(ids), 500)
        for row in (
            await session.exec(select(Event).where(col(Event.id).in_(ids[start : start + 500])))
        ).all()
    }
    counts, existing = await _upsert_simple(session, Event, records, _event_values, now)
    for record in records:
        old = before.get(record.id)
        if old is None:
            continue
        row = existing[record.id]
        if (old[0], old[1]) != (record.starts_at, record.ends_at):
            row.revision += 1
            summary.moved_events.append(record.id)
        if old[2] != "cancelled" and record.status == "cancelled":
            summary.cancelled_events.append(record.id)
    await session.flush()
    if prune:
        stale = await _stale_ids(session, Event, set(ids))
        if stale:
            await delete_events(session, stale)
            counts.deleted = len(stale)
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
    counts, _existing = await _upsert_simple(session, Faq, records, _faq_values, now)
    if prune:
        stale = await _stale_ids(session, Faq, {r.id for r in records})
        if stale:
            await session.exec(delete(Faq).where(col(Faq.id).in_(stale)))
            counts.deleted = len(stale)
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
        values = _survey_values(record)
        wanted = _question_rows(record)
        if survey is None:
            session.add(Survey(id=record.id, updated_at=now, **values))
            await session.flush()
            for row in wanted:
                session.add(Question(survey_id=record.id, **row))
            counts.created += 1
            continue
        current = {
            q.id: q
            for q in (
                await session.exec(select(Question).where(col(Question.survey_id) == record.id))
            ).all()
        }
        questions_differ = set(current) != {row["id"] for row in wanted} or any(
            _differs(current[row["id"]], row) for row in wanted
        )
        if not _differs(survey, values) and not questions_differ:
            counts.unchanged += 1
            continue
        for key, value in values.items():
            setattr(survey, key, value)
        survey.updated_at = now
        gone = [qid for qid in current if qid not in {row["id"] for row in wanted}]
        if gone:
            await session.exec(
                delete(Question).where(
                    col(Question.survey_id) == record.id, col(Question.id).in_(gone)
                )
            )
        for row in wanted:
            question = current.get(row["id"])
            if question is None:
                session.add(Question(survey_id=record.id, **row))
            else:
                for key, value in row.items():
                    setattr(question, key, value)
        counts.updated += 1
    await session.flush()
    if prune:
        stale = await _stale_ids(session, Survey, {r.id for r in records})
        if stale:
            await delete_surveys(session, stale)
            counts.deleted = len(stale)
    return counts


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


# ------------------------------------------------------------------ export
def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _stamp_text(moment: datetime, zone: str, all_day: bool, end: bool = False) -> str:
    local = _local(moment, zone)
    if all_day:
        day: date = local.date() - timedelta(days=1) if end else local.date()
        return day.isoformat()
    return local.isoformat(timespec="minutes")


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {}}


def event_to_file(event: Event) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "starts": _stamp_text(event.starts_at, event.timezone, event.all_day),
        "ends": _stamp_text(event.ends_at, event.timezone, event.all_day, end=True),
        "timezone": event.timezone,
        "platform": event.platform,
        "join_url": event.join_url,
        "location": event.location,
        "audience": "all" if event.audience == ["all"] else event.audience,
        "reminders": [format_duration_code(m) for m in event.reminders]
        if event.reminders is not None
        else None,
        "status": event.status,
        "feedback_survey": event.feedback_survey_id,
    }
    return _drop_empty(values)


def _survey_to_file(survey: Survey, questions: list[Question]) -> dict[str, Any]:
    def moment(value: datetime | None) -> str | None:
        if value is None:
            return None
        return _local(value, survey.timezone).isoformat(timespec="minutes")

    values: dict[str, Any] = {
        "id": survey.id,
        "title": survey.title,
        "intro": survey.intro,
        "respondent": survey.respondent,
        "audience": "all" if survey.audience == ["all"] else survey.audience,
        "opens": moment(survey.opens_at),
        "closes": moment(survey.closes_at),
        "timezone": survey.timezone,
        "remind_before": format_duration_code(survey.remind_before)
        if survey.remind_before is not None
        else None,
        "status": None if survey.auto_open else "draft",
        "questions": [_question_to_file(q) for q in questions],
    }
    return _drop_empty(values)


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _question_to_file(question: Question) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": question.id,
        "kind": question.kind,
        "text": question.text,
        "options": question.options,
        "min": _number(question.min_value),
        "max": _number(question.max_value),
        "unit": question.unit,
        "max_length": question.max_length,
        "show_if": question.show_if,
    }
    clean = _drop_empty(values)
    if not question.required:
        clean["required"] = False
    return clean


async def export_network(db: Database) -> dict[str, Any]:
    """Everything in the store in the network data file format (a dict for YAML/JSON)."""
    async with db.session() as session:
        institutions = (await session.exec(select(Institution).order_by(col(Institution.id)))).all()
        courses = (await session.exec(select(Course).order_by(col(Course.id)))).all()
        events = (await session.exec(select(Event).order_by(col(Event.starts_at)))).all()
        faqs = (await session.exec(select(Faq).order_by(col(Faq.id)))).all()
        surveys = (await session.exec(select(Survey).order_by(col(Survey.id)))).all()
        questions = (await session.exec(select(Question).order_by(col(Question.position)))).all()
    by_survey: dict[str, list[Question]] = {}
    for question in questions:
        by_survey.setdefault(question.survey_id, []).append(question)
    return {
        "version": 1,
        "institutions": [{"id": i.id, **_institution_values(i)} for i in institutions],
        "courses": [_course_to_file(c) for c in courses],
        "events": [event_to_file(e) for e in events],
        "faq": [_drop_empty({"id": f.id, **_faq_values(f)}) for f in faqs],
        "surveys": [_survey_to_file(s, by_survey.get(s.id, [])) for s in surveys],
        "topics": labels_to_file(await topic_labels(db)),
    }


def _course_to_file(row: Course) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": row.id,
        "title": row.title,
        "summary": row.summary,
        "topics": row.topics,
        "modality": row.modality,
        "pace": row.pace,
        "languages": row.languages,
        "starts": row.starts.isoformat() if row.starts else None,
        "ends": row.ends.isoformat() if row.ends else None,
        "hours": _number(row.hours),
        "enroll_by": row.enroll_by.isoformat() if row.enroll_by else None,
        "enroll_url": row.enroll_url,
        "cost": row.cost,
        "certificate": row.certificate,
        "provider": row.provider,
    }
    return _drop_empty(values)
