"""The network file's records as the store's column values, shared by import and export."""

from __future__ import annotations

from typing import Any

from bot.core.records import (
    CourseRecord,
    EventRecord,
    FaqRecord,
    InstitutionRecord,
    SurveyRecord,
)
from storage.models import Faq, Institution


def institution_values(r: InstitutionRecord | Institution) -> dict[str, Any]:
    return {
        "acronym": r.acronym,
        "name": r.name,
        "country": r.country,
        "timezone": r.timezone,
        "languages": r.languages,
    }


def course_values(r: CourseRecord) -> dict[str, Any]:
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


def event_values(r: EventRecord) -> dict[str, Any]:
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


def faq_values(r: FaqRecord | Faq) -> dict[str, Any]:
    return {"question": r.question, "answer": r.answer, "keywords": r.keywords}


def survey_values(r: SurveyRecord) -> dict[str, Any]:
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


def question_rows(r: SurveyRecord) -> list[dict[str, Any]]:
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


def differs(row: Any, values: dict[str, Any]) -> bool:
    return any(getattr(row, key) != value for key, value in values.items())
