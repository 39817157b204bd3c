"""Records by date: the days a course or an event is "on", and the walk through them in
date order that answers "the next videoconference", "what is on in October" or "the course
that starts next month" at the same cost with 100 records or 20,000."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.qa.dates import DateSpan
from bot.qa.documents import Hit
from bot.qa.index import Doc
from bot.qa.lexicon import AKIN_KINDS

MAX_EVENT_DAYS = 31  # an event lasts at most this long (the network file's rule)
ANCHORS = ("start", "end", "deadline")


def days_of(doc: Doc, anchor: str = "start") -> tuple[date | None, date | None]:
    """The days a record is "on": an event's days; for a course one day (a course "in
    October" is one that starts then): its start, its end (``anchor="end"``: "which course
    ends this month") or its enrolment deadline (``anchor="deadline"``)."""
    if doc.kind == "event":
        zone = ZoneInfo(doc.record.timezone)
        first = doc.record.starts_at.astimezone(zone).date()
        last = (doc.record.ends_at - timedelta(seconds=1)).astimezone(zone).date()
        return first, max(first, last)
    if doc.kind == "course":
        course = doc.record
        day = {"end": course.ends, "deadline": course.enroll_by}.get(anchor) or course.starts
        return day, day
    return None, None


def modality_of(event: Any) -> str:
    return "in-person" if event.location else "online"


class Timeline:
    """The events by start day and the courses by start, end and deadline day."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        for doc in docs:
            doc.days = {anchor: days_of(doc, anchor) for anchor in ANCHORS}
        self.events = sorted(
            (d for d in docs if d.kind == "event"),
            key=lambda d: (d.days["start"][0], d.record.starts_at),
        )
        self.event_days = [d.days["start"][0] for d in self.events]
        self.courses: dict[str, tuple[list[Doc], list[date]]] = {}
        for anchor in ANCHORS:
            dated = sorted(
                (d for d in docs if d.kind == "course" and d.days[anchor][0] is not None),
                key=lambda d, a=anchor: d.days[a][0],  # type: ignore[misc]
            )
            self.courses[anchor] = (dated, [d.days[anchor][0] for d in dated])

    def by_time(
        self,
        kind: str | None,
        event_kind: str | None,
        modality: str | None,
        span: DateSpan | None,
        now: datetime,
        latest: bool = False,
        anchor: str = "start",
        limit: int = 3,
    ) -> list[Hit]:
        """Records by date alone: the next events (or courses) of the kind, in the span; the
        next of an akin kind when none of the kind is coming ("the next webinar" when only
        videoconferences are)."""
        found = self._by_time(kind, event_kind, modality, span, now, latest, anchor, limit)
        akin = AKIN_KINDS.get(event_kind or "")
        if not found and akin is not None and span is None and not latest:
            found = self._by_time(kind, akin, modality, span, now, latest, anchor, limit)
        return found

    def _by_time(
        self,
        kind: str | None,
        event_kind: str | None,
        modality: str | None,
        span: DateSpan | None,
        now: datetime,
        latest: bool,
        anchor: str,
        limit: int,
    ) -> list[Hit]:
        found: list[Doc] = []
        if kind in (None, "event"):

            def event_fits(doc: Doc) -> bool:
                event = doc.record
                return (
                    event.status != "cancelled"
                    and (event_kind is None or event.kind == event_kind)
                    and (modality is None or modality_of(event) == modality)
                    and (span is not None or event.ends_at >= now)
                )

            found = walk(
                self.events,
                self.event_days,
                "start",
                event_fits,
                span,
                now.date(),
                latest,
                reach=MAX_EVENT_DAYS,
                limit=limit,
            )
        if kind == "course" or (kind is None and not found):
            docs, days = self.courses[anchor]
            found = walk(docs, days, anchor, lambda _doc: True, span, now.date(), latest, 0, limit)
        return [Hit(doc, 0.5, 0.6) for doc in found]


def walk(
    docs: Sequence[Doc],
    days: Sequence[date],
    anchor: str,
    fits: Callable[[Doc], bool],
    span: DateSpan | None,
    today: date,
    latest: bool,
    reach: int,
    limit: int = 3,
) -> list[Doc]:
    """Up to ``limit`` records in date order: in the span (the last ones with ``latest``),
    or the next ones from today; a span without a year ("in October") gives the next
    occurrence first, then past ones, latest first."""

    def inside(doc: Doc) -> bool:
        first, last = doc.days[anchor]
        return span is None or (
            first is not None and last is not None and span.overlaps(first, last)
        )

    start = bisect.bisect_left(
        days,
        (span.first if span is not None and not span.loose else today) - timedelta(days=reach),
    )
    if span is not None and not span.loose:
        chosen = []
        for position in range(start, len(docs)):
            if days[position] > span.last:
                break
            if fits(docs[position]) and inside(docs[position]):
                chosen.append(docs[position])
        return chosen[::-1][:limit] if latest else chosen[:limit]
    ahead = []
    for position in range(start, len(docs)):
        doc = docs[position]
        if fits(doc) and inside(doc):
            ahead.append(doc)
            if len(ahead) == limit:
                break
    if span is None or len(ahead) == limit:
        return ahead
    behind = []
    for position in range(start - 1, -1, -1):
        if fits(docs[position]) and inside(docs[position]):
            behind.append(docs[position])
            if len(ahead) + len(behind) == limit:
                break
    return ahead + behind
