"""The product's data model (sqlmodel).

Texts that exist in several languages are JSON maps ``{"es": ..., "pt": ..., "en": ...}``.
Every time is stored in UTC (:class:`UTCDateTime`); events keep their IANA zone beside it.
Telegram ids are 64-bit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from bot.core.enums import Role
from storage.types import UTCDateTime, utcnow

Texts = dict[str, str]


def _json(default: Any = None, nullable: bool = True) -> Any:
    factory = (lambda: None) if default is None else (lambda: type(default)(default))
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=nullable))


def _utc(nullable: bool = True, index: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=index))
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Institution(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    acronym: str = Field(max_length=40)
    name: Texts = _json({})
    country: str = Field(max_length=2, index=True)
    timezone: str = Field(max_length=64)
    languages: list[str] = _json([])
    updated_at: datetime = _utc(nullable=False)


class Member(SQLModel, table=True):
    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    last_name: str | None = Field(default=None, max_length=128)
    username: str | None = Field(default=None, max_length=64)
    language: str = Field(default="es", max_length=2)
    timezone: str = Field(default="America/Montevideo", max_length=64)
    country: str | None = Field(default=None, max_length=2, index=True)
    institution_id: str | None = Field(default=None, foreign_key="institution.id", index=True)
    institution_other: str | None = Field(default=None, max_length=120)
    # The institution an organizer or an invitation confirmed (None, or institution_id):
    # only this one lets the member answer or read for the institution (storage.memberships).
    verified_institution_id: str | None = Field(default=None, max_length=64, index=True)
    role: str = Field(default=Role.member.value, max_length=16)
    opted_out: bool = False
    blocked: bool = False
    reminders_enabled: bool = True
    onboarded: bool = False
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False)


class Course(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    title: Texts = _json({})
    summary: Texts = _json({})
    topics: list[str] = _json([])
    modality: str = Field(default="online", max_length=16)
    pace: str = Field(default="tutored", max_length=16)
    languages: list[str] = _json([])
    starts: date | None = None
    ends: date | None = None
    hours: float | None = None
    enroll_by: date | None = None
    enroll_url: str | None = Field(default=None, max_length=500)
    cost: Texts | None = _json()
    certificate: bool | None = None
    provider: str | None = Field(default=None, max_length=200)
    updated_at: datetime = _utc(nullable=False)


class Event(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    title: Texts = _json({})
    description: Texts | None = _json()
    kind: str = Field(default="videoconference", max_length=20)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    all_day: bool = False
    timezone: str = Field(max_length=64)
    platform: str | None = Field(default=None, max_length=60)
    join_url: str | None = Field(default=None, max_length=500)
    location: str | None = Field(default=None, max_length=200)
    audience: list[str] = _json(["all"])
    attendees_only: bool = False
    reminders: list[int] | None = _json()  # minutes before the start; None = bot default
    status: str = Field(default="scheduled", max_length=16)
    feedback_survey_id: str | None = Field(default=None, max_length=64)
    revision: int = 1  # bumped when the time changes, so reminders can be re-derived
    # What members were last told: a move (revision) or a cancellation they have not heard
    # of yet is announced once by whichever process sees it first.
    notified_revision: int = 1
    notified_status: str = Field(default="scheduled", max_length=16)
    previous_start: datetime | None = _utc()  # the start members knew, until a move is told
    previous_all_day: bool | None = None  # and whether it was a day or a time then
    updated_at: datetime = _utc(nullable=False)


class Rsvp(SQLModel, table=True):
    event_id: str = Field(foreign_key="event.id", primary_key=True, max_length=64)
    member_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    status: str = Field(default="yes", max_length=8)  # yes | maybe | no | none (muted only)
    muted: bool = False
    updated_at: datetime = _utc(nullable=False)


class ReminderRun(SQLModel, table=True):
    """One reminder slot of one event revision, done (sent or skipped) exactly once.

    ``slot`` is the offset in minutes before the start ("60"), or for date-only events
    "day:<zone>" (09:00 the day before in that zone). The primary key is the claim: two
    processes that both see a slot due cannot both insert it.
    """

    event_id: str = Field(primary_key=True, max_length=64)
    revision: int = Field(primary_key=True)
    slot: str = Field(primary_key=True, max_length=80)
    status: str = Field(max_length=10)  # sent | skipped
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    done_at: datetime = _utc(nullable=False)
    recipients: int = 0
    note: str | None = Field(default=None, max_length=200)


class Faq(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    question: Texts = _json({})
    answer: Texts = _json({})
    keywords: dict[str, list[str]] | None = _json()
    updated_at: datetime = _utc(nullable=False)


class Survey(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    title: Texts = _json({})
    intro: Texts | None = _json()
    respondent: str = Field(default="member", max_length=16)  # member | institution
    audience: list[str] = _json(["all"])
    opens_at: datetime | None = _utc()
    closes_at: datetime | None = _utc()
    timezone: str = Field(default="America/Montevideo", max_length=64)
    remind_before: int | None = None  # minutes before closing to remind who has not answered
    status: str = Field(default="draft", max_length=16)  # draft | open | closed
    launched_at: datetime | None = _utc()
    nudged_at: datetime | None = _utc()  # the automatic reminder before closing went out
    # Opens by itself at opens_at (invitations then) unless the data file says status: draft.
    auto_open: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    updated_at: datetime = _utc(nullable=False)


class Question(SQLModel, table=True):
    survey_id: str = Field(foreign_key="survey.id", primary_key=True, max_length=64)
    id: str = Field(primary_key=True, max_length=64)
    position: int = 0
    kind: str = Field(max_length=16)  # single | multiple | scale | yesno | number | date | text
    text: Texts = _json({})
    options: list[dict[str, Any]] | None = _json()
    min_value: float | None = None
    max_value: float | None = None
    unit: str | None = Field(default=None, max_length=20)
    max_length: int | None = None
    required: bool = True
    show_if: dict[str, Any] | None = _json()


class Response(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("survey_id", "respondent_key"),)
    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(foreign_key="survey.id", index=True, max_length=64)
    respondent_key: str = Field(max_length=80)  # "member:<id>" or "institution:<id>"
    member_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    institution_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default="in_progress", max_length=16)  # in_progress | submitted
    current_question: str | None = Field(default=None, max_length=64)
    started_at: datetime = _utc(nullable=False)
    submitted_at: datetime | None = _utc()
    updated_at: datetime = _utc(nullable=False)


class Answer(SQLModel, table=True):
    response_id: int = Field(foreign_key="response.id", primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    value: Any = _json()
    answered_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    answered_at: datetime = _utc(nullable=False)


class Broadcast(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    texts: Texts = _json({})
    audience: list[str] = _json(["all"])
    attachment_kind: str | None = Field(default=None, max_length=16)  # document | photo
    attachment_file_id: str | None = Field(default=None, max_length=200)
    attachment_name: str | None = Field(default=None, max_length=200)
    status: str = Field(default="draft", max_length=16)  # draft|scheduled|sending|done|cancelled
    scheduled_at: datetime | None = _utc(index=True)
    recipients: int = 0
    progress_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    progress_message_id: int | None = None
    created_at: datetime = _utc(nullable=False)
    finished_at: datetime | None = _utc()


class Delivery(SQLModel, table=True):
    """One outgoing message in the durable outbox (see ``bot/delivery.py``)."""

    __table_args__ = (Index("ix_delivery_due", "status", "priority", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)  # idempotency key, e.g. "reminder:ev:60:42"
    kind: str = Field(max_length=16)  # broadcast | reminder | survey | notice
    broadcast_id: int | None = Field(default=None, foreign_key="broadcast.id", index=True)
    event_id: str | None = Field(default=None, max_length=64, index=True)
    survey_id: str | None = Field(default=None, max_length=64, index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    member_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    language: str = Field(default="es", max_length=2)
    payload: dict[str, Any] = _json({})
    priority: int = 10
    status: str = Field(default="pending", max_length=10)  # pending|sending|sent|failed|blocked
    attempts: int = 0
    next_attempt_at: datetime = _utc(nullable=False)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = _utc()
    telegram_message_id: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _utc(nullable=False)
    sent_at: datetime | None = _utc()
    # Parts of a multi-part message already delivered: a retry resumes at the next one.
    parts_sent: int = 0
    # When sending was first tried: retries go on for OUTBOX_GIVE_UP_AFTER from here.
    first_attempt_at: datetime | None = _utc()
    # Sends that timed out (maybe delivered): only one careful retry after one.
    timeouts: int = 0


class SeenUpdate(SQLModel, table=True):
    """Webhook update ids received lately, so one posted twice (or to two processes) is
    handled once; rows older than a day are pruned."""

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    received_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )


class ChatGroup(SQLModel, table=True):
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    title: str = Field(default="", max_length=200)
    registered_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    active: bool = True
    created_at: datetime = _utc(nullable=False)


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    actor_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    actor_name: str | None = Field(default=None, max_length=200)
    action: str = Field(max_length=40)
    target: str | None = Field(default=None, max_length=200)
    details: dict[str, Any] | None = _json()


class UnansweredQuestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    normalized: str = Field(max_length=300, index=True)
    text: str = Field(max_length=1000)
    language: str = Field(default="es", max_length=2)
    count: int = 1
    last_asked_at: datetime = _utc(nullable=False)


class KeyValue(SQLModel, table=True):
    """Small shared state between processes (e.g. the last reminder sweep)."""

    key: str = Field(primary_key=True, max_length=80)
    value: Any = _json()
    updated_at: datetime = _utc(nullable=False)


class UnansweredAsker(SQLModel, table=True):
    """Who asked an unanswered question, so that erasing a person can take their asking
    (and, when nobody else asked it, the text they typed) away."""

    question_id: int = Field(foreign_key="unansweredquestion.id", primary_key=True)
    member_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    asked_at: datetime = _utc(nullable=False)


class ErasedUser(SQLModel, table=True):
    """A tombstone: someone erased their data. Only a salted one-way hash of the Telegram
    user id is kept (the salt is in KeyValue), so the bot can stay silent toward them until
    they send /start again, without keeping who they were."""

    user_hash: str = Field(primary_key=True, max_length=64)
    erased_at: datetime = _utc(nullable=False)


class Membership(SQLModel, table=True):
    """A member's claim to belong to an institution, and what became of it.

    ``status``: claimed (waiting for an organizer) | confirmed | rejected. Confirmed is
    mirrored in ``Member.verified_institution_id``; both change in one transaction.
    """

    member_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    institution_id: str = Field(max_length=64, index=True)
    status: str = Field(default="claimed", max_length=10, index=True)
    via: str = Field(default="self", max_length=10)  # self | invite | migration
    claimed_at: datetime = _utc(nullable=False)
    decided_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    decided_by_name: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = _utc()


class InstitutionInvite(SQLModel, table=True):
    """An invitation link of one institution: whoever opens it is confirmed at once.

    Only the SHA-256 of the code is kept; the code itself is shown once to the organizer.
    """

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    institution_id: str = Field(max_length=64, index=True)
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = _utc(nullable=False)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = _utc()
    revoked_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    uses: int = 0


class SendReplica(SQLModel, table=True):
    """A running bot process that sends: its share of Telegram's limit is the total divided
    among the rows seen recently (bot.messaging.shared_budget). Times are Unix seconds."""

    worker: str = Field(primary_key=True, max_length=120)
    joined_at: float
    seen_at: float = Field(index=True)


class ChatSendMark(SQLModel, table=True):
    """Until when one chat is taken by a send of some replica (per-chat limits for all)."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    until: float = Field(index=True)


class LeaderLease(SQLModel, table=True):
    """A role that one process holds at a time (the getUpdates poller), renewed while alive."""

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=120)
    expires_at: float


class Ticket(SQLModel, table=True):
    """A member's question handed to the organizers (``storage.tickets``).

    ``revision`` grows with every change of state: a change is written only if the row is
    still at the revision its writer read (compare and set), so two organizers answering at
    once cannot both win. Erasure empties the personal parts and sets ``erased``."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    member_name: str = Field(default="", max_length=200)
    institution: str = Field(default="", max_length=200)
    language: str = Field(default="es", max_length=2)
    question: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=10, index=True)
    revision: int = 0
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    answered_by_name: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = _utc()
    faq_id: str | None = Field(default=None, max_length=64)
    erased: bool = False
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False)


class TicketPost(SQLModel, table=True):
    """A message of the organizers' inbox that stands for a ticket: a reply to it answers
    the ticket. ``thread_id`` is the forum topic of the ticket, when the inbox is a forum."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    message_id: int = Field(primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    thread_id: int | None = None


class TicketNote(SQLModel, table=True):
    """One message of a ticket's conversation (the member's, or an organizer's)."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    author: str = Field(max_length=10)  # member | organizer
    author_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    author_name: str | None = Field(default=None, max_length=200)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime = _utc(nullable=False)


class LearnedFaq(SQLModel, table=True):
    """An FAQ entry an organizer made from an answered ticket; the answerer indexes these
    with the data file's FAQ (an /import does not remove them)."""

    id: str = Field(primary_key=True, max_length=64)
    question: Texts = _json({})
    answer: Texts = _json({})
    ticket_id: int | None = Field(default=None, index=True)
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    updated_at: datetime = _utc(nullable=False)


class Phrasing(SQLModel, table=True):
    """Another way to ask for a record (an FAQ entry or a course), accepted by an organizer
    from the unanswered questions; indexed like the record's own question or title."""

    __table_args__ = (UniqueConstraint("kind", "record_id", "language", "text"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)  # faq | course
    record_id: str = Field(max_length=64, index=True)
    language: str = Field(default="es", max_length=2)
    text: str = Field(max_length=300)
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    updated_at: datetime = _utc(nullable=False)


class AnswerFeedback(SQLModel, table=True):
    """A member's helpful / not helpful on one automatic answer (one vote per member and
    answer; a second press changes it)."""

    __table_args__ = (UniqueConstraint("member_id", "kind", "record_id", "intent"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    kind: str = Field(max_length=8)  # faq | course | event
    record_id: str = Field(max_length=64, index=True)
    intent: str = Field(default="faq", max_length=20)
    helpful: bool = True
    at: datetime = _utc(nullable=False)
