"""Reading the store back as a network data file: export → import changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.core.timeparse import format_duration_code
from storage.db import Database
from storage.models import Course, Event, Faq, Institution, Question, Survey
from storage.network.columns import faq_values, institution_values
from storage.topics import labels_to_file, topic_labels


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
        "institutions": [{"id": i.id, **institution_values(i)} for i in institutions],
        "courses": [_course_to_file(c) for c in courses],
        "events": [event_to_file(e) for e in events],
        "faq": [_drop_empty({"id": f.id, **faq_values(f)}) for f in faqs],
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
