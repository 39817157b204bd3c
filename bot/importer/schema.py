"""The raw shape of the network data file (pydantic), before the checks."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_RECORDS = 20_000
MAX_ERRORS = 200
MAX_DEPTH = 20  # levels of nesting; the deepest legal path (a survey option's text) has 8
MAX_CELL_CHARS = 10_000  # one CSV cell; the longest text field allows 4,000
MAX_CHECK_SECONDS = 120  # reading and checking the files of one /import, in a worker process
QUESTION_KINDS = ("single", "multiple", "scale", "yesno", "number", "date", "text")


class NetworkFileError(ValueError):
    """The files cannot be imported; ``errors`` lists every problem as ``path: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, str_strip_whitespace=True)


TextIn = str | dict[str, Any]
Stamp = str | date  # JSON/CSV give strings; a YAML bare date may come as a string too


class InstitutionIn(_Raw):
    id: str
    acronym: str = Field(min_length=1, max_length=40)
    name: TextIn
    country: str
    timezone: str
    languages: list[str] = []


class CourseIn(_Raw):
    id: str
    title: TextIn
    summary: TextIn | None = None
    topics: list[str | int | float] = []
    modality: Literal["online", "blended", "in-person"] = "online"
    pace: Literal["tutored", "self-paced"] = "tutored"
    languages: list[str] = []
    starts: Stamp | None = None
    ends: Stamp | None = None
    hours: float | None = Field(default=None, ge=0, le=10_000)
    enroll_by: Stamp | None = None
    enroll_url: str | None = None
    cost: TextIn | None = None
    certificate: bool | None = None
    provider: str | None = Field(default=None, max_length=200)


class EventIn(_Raw):
    id: str
    title: TextIn
    description: TextIn | None = None
    kind: Literal["videoconference", "webinar", "meeting", "workshop"] = "videoconference"
    starts: Stamp
    ends: Stamp | None = None
    duration: int | str | None = Field(default=None, union_mode="left_to_right")
    timezone: str
    platform: str | None = Field(default=None, max_length=60)
    join_url: str | None = None
    location: str | None = Field(default=None, max_length=200)
    audience: str | list[str] = "all"
    reminders: list[str] | None = None
    status: Literal["scheduled", "postponed", "cancelled"] = "scheduled"
    feedback_survey: str | None = None


class FaqIn(_Raw):
    id: str
    question: TextIn
    answer: TextIn
    keywords: dict[str, list[str]] | None = None


class OptionIn(_Raw):
    id: str
    text: TextIn


class ShowIfIn(_Raw):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    question: str
    in_: list[str | int | bool] = Field(alias="in")


class QuestionIn(_Raw):
    id: str
    kind: Literal["single", "multiple", "scale", "yesno", "number", "date", "text"]
    text: TextIn
    options: list[OptionIn] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = Field(default=None, max_length=20)
    max_length: int | None = Field(default=None, ge=1, le=4000)
    required: bool = True
    show_if: ShowIfIn | None = None


class SurveyIn(_Raw):
    id: str
    title: TextIn
    intro: TextIn | None = None
    respondent: Literal["member", "institution"] = "member"
    audience: str | list[str] = "all"
    opens: Stamp | None = None
    closes: Stamp | None = None
    timezone: str = ""
    remind_before: str | None = None
    # scheduled: opens by itself at ``opens``; draft: waits for /launch
    status: Literal["scheduled", "draft"] = "scheduled"
    questions: list[QuestionIn] = Field(min_length=1, max_length=60)


class TopicIn(_Raw):
    id: str
    text: TextIn


MODELS: dict[str, type[_Raw]] = {
    "institutions": InstitutionIn,
    "courses": CourseIn,
    "events": EventIn,
    "faq": FaqIn,
    "surveys": SurveyIn,
    "topics": TopicIn,
}
