"""Callback data of the event buttons: RSVP, calendar file, the event card, /newevent,
/editevent and /cancelevent.

Byte budget (Telegram: 64): an event id goes in through :mod:`bot.render.callbacks.slugs`
(at most 57 characters), so the longest layout, ``rv:<id>:<answer>``, takes 62 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.core.enums import RsvpStatus
from bot.render.callbacks.base import CallbackData
from bot.render.callbacks.slugs import SlugFields


class RsvpAnswer(StrEnum):
    """The one-letter code of each RSVP status in a button (named as :class:`RsvpStatus`).

    ``none`` is "mute": no more reminders, whatever the answer was.
    """

    yes = "y"
    maybe = "m"
    no = "n"
    none = "x"

    @property
    def status(self) -> RsvpStatus:
        return RsvpStatus[self.name]

    @classmethod
    def of(cls, status: RsvpStatus) -> RsvpAnswer:
        return cls[status.name]


@dataclass(frozen=True)
class RsvpPressed(SlugFields, CallbackData, prefix="rv"):
    """Will attend, maybe, can't, or mute (``RsvpAnswer.none``) this event."""

    SLUG_FIELDS = ("event_id",)
    event_id: str
    answer: RsvpAnswer


@dataclass(frozen=True)
class CalendarPressed(SlugFields, CallbackData, prefix="ics"):
    """Send the event's .ics file."""

    SLUG_FIELDS = ("event_id",)
    event_id: str


@dataclass(frozen=True)
class EventPressed(SlugFields, CallbackData, prefix="ev"):
    """Show the event's card (from the /events list)."""

    SLUG_FIELDS = ("event_id",)
    event_id: str


@dataclass(frozen=True)
class EventPage(CallbackData, prefix="evp"):
    """One page of /events (``past``: /events past)."""

    page: int
    past: bool


@dataclass(frozen=True)
class GroupEventPage(CallbackData, prefix="evg"):
    """One page of /events in a group: every member reads along, so a tap turns the page in
    the language the list was asked in (and the events' own times), not the tapper's."""

    page: int
    past: bool
    language: Literal["es", "pt", "en"]


@dataclass(frozen=True)
class CancelEventPressed(SlugFields, CallbackData, prefix="ce"):
    """The answer to "Cancel this event?"."""

    SLUG_FIELDS = ("event_id",)
    event_id: str
    confirmed: bool


# ------------------------------------------------------------------ the /newevent draft
class DraftAction(StrEnum):
    """Buttons of the event draft that carry no value."""

    cancel = "cancel"
    more = "more"  # another title language
    next = "next"  # titles done
    all_day = "allday"
    zone = "zone"  # keep the proposed zone
    no_link = "nolink"
    create = "create"


@dataclass(frozen=True)
class DraftPressed(CallbackData, prefix="ne"):
    action: DraftAction


@dataclass(frozen=True)
class TitleLanguagePicked(CallbackData, prefix="nel"):
    language: Literal["es", "pt", "en"]


@dataclass(frozen=True)
class DurationPicked(CallbackData, prefix="ned"):
    """A length in minutes (timed events) or days (all-day events)."""

    amount: int
    days: bool


@dataclass(frozen=True)
class PlatformPicked(CallbackData, prefix="nep"):
    """A platform, ``-`` in person, ``?`` another one (typed next)."""

    platform: Literal["Zoom", "Webex", "Teams", "Meet", "-", "?"]


@dataclass(frozen=True)
class AudiencePicked(CallbackData, prefix="nea"):
    audience: Literal["all", "rsvp"]


@dataclass(frozen=True)
class RemindersPicked(CallbackData, prefix="ner"):
    offsets: Literal["24h,1h", "1h", "0m"]


EditField = Literal["time", "title", "link", "place", "reminders", "audience"]


@dataclass(frozen=True)
class EditFieldPicked(CallbackData, prefix="ee"):
    """What /editevent changes."""

    field: EditField
