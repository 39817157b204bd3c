"""Buttons of the organizers' tickets (``tk:...``) and of the answers' feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.render.callbacks.base import CallbackData
from bot.render.callbacks.questions import HitKind, IntentCode


@dataclass(frozen=True)
class AskOrganizers(CallbackData, prefix="tk:ask"):
    """Hand an unanswered question (its ``UnansweredQuestion`` id) to the organizers."""

    question_id: int


@dataclass(frozen=True)
class TypeQuestion(CallbackData, prefix="tk:type"):
    """After "not helpful": the member types the question for the organizers."""


@dataclass(frozen=True)
class NeverMind(CallbackData, prefix="tk:nm"):
    """Drop the question the member was about to type for the organizers."""


@dataclass(frozen=True)
class TicketAction(CallbackData, prefix="tk:do"):
    """An organizer's button under a ticket: answer, not for us, make FAQ, reopen."""

    action: Literal["answer", "dismiss", "faq", "reopen"]
    ticket_id: int


@dataclass(frozen=True)
class AcceptPhrasing(CallbackData, prefix="tk:alt"):
    """Attach an unanswered question to a record as another way to ask for it."""

    question_id: int
    kind: HitKind
    record_id: str


@dataclass(frozen=True)
class Feedback(CallbackData, prefix="tk:fb"):
    """Helpful (1) or not (0), on an automatic answer about one record and intent."""

    helpful: bool
    kind: HitKind
    intent: IntentCode
    record_id: str


@dataclass(frozen=True)
class FaqStep(CallbackData, prefix="tk:fq"):
    """In the Make FAQ preview: keep the question or answer as shown, publish, or cancel."""

    action: Literal["keep", "publish", "cancel"]
    ticket_id: int
