"""Callback data of the course list (pages, filters), the course card.

Byte budget (Telegram: 64): ``cl:<page>:<topic>:<modality>:<language>:<status>`` takes at
most 3 + 5 + 4 + 30 + 9 + 2 + 8 = 61 bytes with a page up to 10000 and a topic of up to
:data:`TOPIC_MAX` characters (longer topics are not offered as filters);
``cf:<dimension>:<topic>:<modality>:<language>:<status>:<choices page>`` at most
2 + 2 + 31 + 10 + 3 + 9 + 3 = 60 with a page of choices under :data:`CHOICE_PAGES`; a course
id goes in through :mod:`bot.render.callbacks.slugs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.render.callbacks.base import CallbackData
from bot.render.callbacks.slugs import SlugFields

TOPIC_MAX = 30
MAX_PAGE = 10_000
CHOICE_PAGES = 100  # pages of one filter's choices (8 a page: far more topics than a network has)
Modality = Literal["online", "blended", "in-person"]
Language = Literal["es", "pt", "en"]
CourseStatus = Literal["open", "upcoming", "running", "finished"]
Dimension = Literal["t", "m", "l", "s"]  # topic, modality, language, status


@dataclass(frozen=True)
class CourseFilters:
    """The filters of a course list (None: any)."""

    topic: str | None = None
    modality: Modality | None = None
    language: Language | None = None
    status: CourseStatus | None = None

    def active(self) -> list[str]:
        return [v for v in (self.topic, self.modality, self.language, self.status) if v]


@dataclass(frozen=True)
class CoursePage(SlugFields, CallbackData, prefix="cl"):
    """One page of the course list under these filters."""

    SLUG_FIELDS = ("topic",)
    page: int
    topic: str | None
    modality: Modality | None
    language: Language | None
    status: CourseStatus | None

    @classmethod
    def of(cls, page: int, filters: CourseFilters) -> CoursePage:
        return cls(page, filters.topic, filters.modality, filters.language, filters.status)

    @property
    def filters(self) -> CourseFilters:
        return CourseFilters(self.topic, self.modality, self.language, self.status)


@dataclass(frozen=True)
class CourseFilterPressed(SlugFields, CallbackData, prefix="cf"):
    """Show the choices of one filter (a page of them), keeping the others."""

    SLUG_FIELDS = ("topic",)
    dimension: Dimension
    topic: str | None
    modality: Modality | None
    language: Language | None
    status: CourseStatus | None
    page: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.page < CHOICE_PAGES:
            raise ValueError(f"page {self.page} of the choices is out of range")

    @classmethod
    def of(cls, dimension: Dimension, filters: CourseFilters, page: int = 0) -> CourseFilterPressed:
        f = filters
        return cls(dimension, f.topic, f.modality, f.language, f.status, page)

    @property
    def filters(self) -> CourseFilters:
        return CourseFilters(self.topic, self.modality, self.language, self.status)


@dataclass(frozen=True)
class CoursePressed(SlugFields, CallbackData, prefix="co"):
    """Show the course's card."""

    SLUG_FIELDS = ("course_id",)
    course_id: str
