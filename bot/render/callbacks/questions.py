"""Buttons under an answer: another candidate (``qa:``) or a listing (``ql:``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.render.callbacks.base import CallbackData


class HitKind(StrEnum):
    """The kind of record, one letter in the data; the member name is the answerer's kind."""

    course = "c"
    event = "e"
    faq = "f"


class IntentCode(StrEnum):
    """What was asked, one character in the data; the member name is the answerer's intent."""

    when = "w"
    time = "t"
    link = "l"
    enroll = "n"
    deadline = "d"
    cost = "$"
    certificate = "x"
    topic = "o"
    next_event = "v"
    what_is = "i"
    where = "p"
    duration = "h"
    languages = "g"
    faq = "f"
    platform = "m"
    modality = "y"
    pace = "r"
    provider = "b"
    timezone = "z"
    reminders = "a"

    @classmethod
    def of(cls, intent: str | None) -> IntentCode:
        """The code of an intent name; unknown intents are answered as FAQ."""
        return cls.__members__.get(intent or "", cls.faq)


@dataclass(frozen=True)
class OtherAnswer(CallbackData, prefix="qa"):
    """The answer for another candidate record: ``qa:c:w:big-data``."""

    kind: HitKind
    intent: IntentCode
    record_id: str


@dataclass(frozen=True)
class ListRecords(CallbackData, prefix="ql"):
    """List the courses or the events: ``ql:courses``."""

    what: Literal["courses", "events"]
