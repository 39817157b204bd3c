"""The buttons of surveys and quick polls.

Answering buttons carry the response, the question's position and, for a choice, the
option's position: ``sv:a:<response>:<question>:<choice>``. The data only says what was
pressed; the handler checks every part against the database (whose response, which
question is askable now, which choice exists) before changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.ids import SLUG
from bot.render.callbacks.base import CallbackData

PollKind = Literal["single", "multiple", "yesno", "scale"]
POLL_KINDS: tuple[PollKind, ...] = ("single", "multiple", "yesno", "scale")
CLOSE_DAYS = (1, 3, 7)


def _check_position(*numbers: int) -> None:
    if any(n < 0 for n in numbers):
        raise ValueError("positions are not negative")


# ------------------------------------------------------------------ answering
@dataclass(frozen=True)
class OpenSurvey(CallbackData, prefix="sv:go"):
    """▶ Answer: start or go on answering a survey."""

    survey_id: str

    def __post_init__(self) -> None:
        if not SLUG.match(self.survey_id):
            raise ValueError(f"not a survey id: {self.survey_id!r}")


@dataclass(frozen=True)
class OnQuestion:
    """The fields of a button about one question of one response."""

    response_id: int
    index: int

    def __post_init__(self) -> None:
        _check_position(self.response_id, self.index)


@dataclass(frozen=True)
class WithChoice(OnQuestion):
    choice: int

    def __post_init__(self) -> None:
        _check_position(self.response_id, self.index, self.choice)


@dataclass(frozen=True)
class Choose(WithChoice, CallbackData, prefix="sv:a"):
    """One option of a single-choice, scale or yes/no question."""


@dataclass(frozen=True)
class Toggle(WithChoice, CallbackData, prefix="sv:t"):
    """Tick or untick an option of a multiple-choice question."""


@dataclass(frozen=True)
class Done(OnQuestion, CallbackData, prefix="sv:d"):
    """Done with a multiple-choice question."""


@dataclass(frozen=True)
class Skip(OnQuestion, CallbackData, prefix="sv:s"):
    """Leave an optional question unanswered."""


@dataclass(frozen=True)
class Keep(OnQuestion, CallbackData, prefix="sv:k"):
    """Keep the typed answer given before and go on."""


@dataclass(frozen=True)
class Back(OnQuestion, CallbackData, prefix="sv:b"):
    """Back to the question before."""


@dataclass(frozen=True)
class Edit(OnQuestion, CallbackData, prefix="sv:e"):
    """From the summary, change one answer."""


@dataclass(frozen=True)
class Send(CallbackData, prefix="sv:ok"):
    """Send the answers (or save the changes to answers sent before)."""

    response_id: int

    def __post_init__(self) -> None:
        _check_position(self.response_id)


@dataclass(frozen=True)
class LaunchConfirmed(CallbackData, prefix="sv:launch"):
    """The answer to "Open this survey and invite N members?" (/launch)."""

    survey_id: str
    confirmed: bool

    def __post_init__(self) -> None:
        if not SLUG.match(self.survey_id):
            raise ValueError(f"not a survey id: {self.survey_id!r}")


SURVEY_BUTTONS: tuple[type[CallbackData], ...] = (
    OpenSurvey,
    Choose,
    Toggle,
    Done,
    Skip,
    Keep,
    Back,
    Edit,
    Send,
)


# ------------------------------------------------------------------ the quick poll
@dataclass(frozen=True)
class PollKindChosen(CallbackData, prefix="np:kind"):
    kind: PollKind


@dataclass(frozen=True)
class PollCloses(CallbackData, prefix="np:close"):
    """Close in this many days (one of :data:`CLOSE_DAYS`)."""

    days: int

    def __post_init__(self) -> None:
        if self.days not in CLOSE_DAYS:
            raise ValueError(f"no button closes in {self.days} days")


@dataclass(frozen=True)
class PollEveryone(CallbackData, prefix="np:aud"):
    """The whole network answers."""


@dataclass(frozen=True)
class PollSend(CallbackData, prefix="np:send"):
    pass


@dataclass(frozen=True)
class PollCancel(CallbackData, prefix="np:cancel"):
    pass


POLL_BUTTONS: tuple[type[CallbackData], ...] = (
    PollKindChosen,
    PollCloses,
    PollEveryone,
    PollSend,
    PollCancel,
)
