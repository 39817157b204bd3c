"""Buttons of /broadcast and /broadcasts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from bot.render.callbacks.base import CallbackData

Language = Literal["es", "pt", "en"]
AudienceKind = Literal["all", "country", "language", "role", "group"]
StepAction = Literal["more", "audience", "preview", "send", "schedule", "cancel"]
TEXT_LANGUAGES: tuple[Language, ...] = get_args(Language)


@dataclass(frozen=True)
class BroadcastStep(CallbackData, prefix="bc"):
    """A step of the draft: ``bc:more``, ``bc:audience``, ``bc:preview``, ``bc:send`` …"""

    action: StepAction


@dataclass(frozen=True)
class TextLanguage(CallbackData, prefix="bcl"):
    """The language of the text just sent: ``bcl:es``."""

    language: Language


@dataclass(frozen=True)
class AudienceToggle(CallbackData, prefix="bca"):
    """Add or remove one audience selector: ``bca:country:UY``; ``bca:all:`` is everyone."""

    kind: AudienceKind
    value: str | None = None

    @property
    def selector(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}:{self.value or ''}"


@dataclass(frozen=True)
class AudienceRegion(CallbackData, prefix="bcg"):
    """Show the country toggles of one region (``bcg:005``); ``bcg:`` back to the regions."""

    region: str | None = None


@dataclass(frozen=True)
class StopBroadcast(CallbackData, prefix="bcx"):
    """Cancel a scheduled announcement: ``bcx:12`` asks first (:class:`StopConfirmed`)."""

    broadcast_id: int


@dataclass(frozen=True)
class StopConfirmed(CallbackData, prefix="bcy"):
    """Yes, cancel it (``bcy:12:1``), or keep it (``bcy:12:0``)."""

    broadcast_id: int
    cancel: bool


@dataclass(frozen=True)
class ReplaceText(CallbackData, prefix="bcr"):
    """The language chosen already has a text: replace it with the new one (``bcr:es``)."""

    language: Language
