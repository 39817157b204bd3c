"""Courses, events and FAQ as the catalog features read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import SQLModel, col, func, select

from bot.core.i18n import pick_text  # noqa: F401  (re-exported for callers)
from storage.db import Database
from storage.models import Course, Event, Faq

COURSE_STATUSES = ("open", "upcoming", "running", "finished")


def course_status(course: Course, today: date) -> str:
    """open: enrolment still possible; upcoming: starts later; running; finished."""
    if course.ends and course.ends < today:
        return "finished"
    if course.starts and course.starts > today:
        if course.enroll_by is None or course.enroll_by >= today:
            return "open"
        return "upcoming"
    if course.starts and course.starts <= today:
        return "running"
    return "open" if course.enroll_by and course.enroll_by >= today else "upcoming"


@dataclass(frozen=True)
class CourseFilter:
    topic: str | None = None
    modality: str | None = None
    language: str | None = None
    status: str | None = None


STATUS_ORDER = {"open": 0, "upcoming": 1, "running": 2, "finished": 3}


async def list_courses(
    db: Database, today: date, filters: CourseFilter | None = None
) -> list[Course]:
    """Courses matching ``filters``: open and upcoming first, then running, then finished."""
    filters = filters or CourseFilter()
    async with db.session() as session:
        courses = list((await session.exec(select(Course))).all())
    chosen = [
        c
        for c in courses
        if (filters.topic is None or filters.topic in (c.topics or []))
        and (filters.modality is None or c.modality == filters.modality)
        and (filters.language is None or filters.language in (c.languages or []))
        and (filters.status is None or course_status(c, today) == filters.status)
    ]

    def order(course: Course) -> tuple[int, float]:
        status = course_status(course, today)
        start = course.starts.toordinal() if course.starts else 0
        return (STATUS_ORDER[status], -start if status == "finished" else start)

    return sorted(chosen, key=order)


async def course_facets(db: Database) -> dict[str, list[str]]:
    """The topics, modalities and languages that occur, for the filter buttons."""
    async with db.session() as session:
        courses = list((await session.exec(select(Course))).all())
    topics = sorted({t for c in courses for t in (c.topics or [])})
    modalities = sorted({c.modality for c in courses if c.modality})
    languages = sorted({lang for c in courses for lang in (c.languages or [])})
    return {"topic": topics, "modality": modalities, "language": languages}


async def get_course(db: Database, course_id: str) -> Course | None:
    async with db.session() as session:
        return await session.get(Course, course_id)


async def get_event(db: Database, event_id: str) -> Event | None:
    async with db.session() as session:
        return await session.get(Event, event_id)


async def list_events(
    db: Database, now: datetime, *, past: bool = False, limit: int = 50
) -> list[Event]:
    """Upcoming (or running) events soonest first; with ``past``, ended events latest first."""
    async with db.session() as session:
        query = select(Event).where(col(Event.status) != "cancelled")
        if past:
            query = query.where(col(Event.ends_at) < now).order_by(col(Event.starts_at).desc())
        else:
            query = query.where(col(Event.ends_at) >= now).order_by(col(Event.starts_at))
        return list((await session.exec(query.limit(limit))).all())


async def all_catalog(db: Database) -> tuple[Sequence[Course], Sequence[Event], Sequence[Faq]]:
    """Everything the question answerer indexes."""
    async with db.session() as session:
        courses = (await session.exec(select(Course))).all()
        events = (await session.exec(select(Event))).all()
        faqs = (await session.exec(select(Faq))).all()
        return list(courses), list(events), list(faqs)


async def catalog_stamp(db: Database, *more: type[SQLModel]) -> tuple[object, ...]:
    """Changes whenever a course, event or FAQ entry is added, changed or removed — by this
    process or another one sharing the database (the answerer rebuilds its index then).
    ``more`` tables (each with an ``updated_at``) count too, in the same query."""
    models: tuple[type[SQLModel], ...] = (Course, Event, Faq, *more)
    parts = [
        select(aggregate).select_from(model).scalar_subquery()
        for model in models
        for aggregate in (func.count(), func.max(model.updated_at))  # type: ignore[attr-defined]
    ]
    async with db.session() as session:  # one round trip: it runs for every question
        return tuple((await session.exec(select(*parts))).one())
