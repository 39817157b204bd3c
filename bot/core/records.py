"""The clean records of the network data file: what the importer produces and storage writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

DEFAULT_REMINDERS = (24 * 60, 60)
SECTIONS = ("institutions", "courses", "events", "faq", "surveys", "topics")

# ------------------------------------------------------------------ clean records
Texts = dict[str, str]


@dataclass
class InstitutionRecord:
    id: str
    acronym: str
    name: Texts
    country: str
    timezone: str
    languages: list[str]


@dataclass
class CourseRecord:
    id: str
    title: Texts
    summary: Texts
    topics: list[str]
    modality: str
    pace: str
    languages: list[str]
    starts: date | None
    ends: date | None
    hours: float | None
    enroll_by: date | None
    enroll_url: str | None
    cost: Texts | None
    certificate: bool | None
    provider: str | None
    # topic slug -> the topic as the file wrote it ("Big data" -> big-data): its label when
    # the file's ``topics:`` section gives none.
    topic_names: dict[str, str] = field(default_factory=dict)


@dataclass
class EventRecord:
    id: str
    title: Texts
    description: Texts | None
    kind: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC; exclusive end (the day after the last day for all-day events)
    all_day: bool
    timezone: str
    platform: str | None
    join_url: str | None
    location: str | None
    audience: list[str]
    reminders: list[int] | None  # minutes before the start; None = the bot's default
    status: str
    feedback_survey: str | None


@dataclass
class FaqRecord:
    id: str
    question: Texts
    answer: Texts
    keywords: dict[str, list[str]] | None


@dataclass
class QuestionRecord:
    id: str
    kind: str
    text: Texts
    options: list[dict[str, Any]] | None
    min_value: float | None
    max_value: float | None
    unit: str | None
    max_length: int | None
    required: bool
    show_if: dict[str, Any] | None


@dataclass
class SurveyRecord:
    id: str
    title: Texts
    intro: Texts | None
    respondent: str
    audience: list[str]
    opens_at: datetime | None
    closes_at: datetime | None
    timezone: str
    remind_before: int | None  # minutes before closing
    questions: list[QuestionRecord]
    auto_open: bool = True  # opens by itself at opens_at; False: the file says status: draft


@dataclass
class TopicRecord:
    """A label per language for a topic of the courses (the ``topics:`` section)."""

    id: str
    text: Texts


@dataclass
class NetworkData:
    institutions: list[InstitutionRecord] = field(default_factory=list)
    courses: list[CourseRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    faq: list[FaqRecord] = field(default_factory=list)
    surveys: list[SurveyRecord] = field(default_factory=list)
    topics: list[TopicRecord] = field(default_factory=list)
    sections: set[str] = field(default_factory=set)  # sections the files contained

    def count(self) -> int:
        return sum(len(getattr(self, s)) for s in SECTIONS)


# ------------------------------------------------------------------ raw shapes (pydantic)
