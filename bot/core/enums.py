"""Roles and the statuses of everything that has one (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    member = "member"
    organizer = "organizer"
    admin = "admin"

    @property
    def rank(self) -> int:
        return {"member": 0, "organizer": 1, "admin": 2}[self.value]


class EventStatus(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class RsvpStatus(StrEnum):
    yes = "yes"
    maybe = "maybe"
    no = "no"
    none = "none"  # muted only


class SurveyStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class ResponseStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"


class BroadcastStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    sending = "sending"
    done = "done"
    cancelled = "cancelled"


class DeliveryStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    blocked = "blocked"
    cancelled = "cancelled"  # the broadcast was cancelled before this row went out


class TicketStatus(StrEnum):
    """A question handed to the organizers: waiting, answered (the member may write back,
    which opens it again) or closed (dismissed, or closed by an organizer)."""

    open = "open"
    answered = "answered"
    closed = "closed"
