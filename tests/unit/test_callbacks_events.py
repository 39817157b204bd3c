"""The callback data of the event and catalog buttons: round trips, forged data, the budget."""

from __future__ import annotations

import dataclasses
import random
import typing
from typing import Any, get_args

import pytest

from bot.core.enums import RsvpStatus
from bot.core.i18n import LANGUAGES
from bot.render.callbacks import CallbackData, CallbackTooLong
from bot.render.callbacks.catalog import (
    CourseFilterPressed,
    CourseFilters,
    CoursePage,
    CoursePressed,
    CourseStatus,
    Language,
    Modality,
)
from bot.render.callbacks.events import (
    AudiencePicked,
    CalendarPressed,
    CancelEventPressed,
    DraftAction,
    DraftPressed,
    DurationPicked,
    EditFieldPicked,
    EventPressed,
    PlatformPicked,
    RemindersPicked,
    RsvpAnswer,
    RsvpPressed,
    TitleLanguagePicked,
)
from bot.render.callbacks.slugs import VERBATIM_MAX, from_ref, to_ref
from bot.render.cards import MODALITIES, STATUSES
from handlers.events.draft import DAY_CHOICES, DURATIONS, PLATFORMS

LONGEST_ID = "a" * 63 + "z"  # a slug has at most 64 characters
TWENTY_THREE_DIGITS = "12345678901234567890123"

# One ordinary and one longest instance of every class.
SAMPLES: list[CallbackData] = [
    RsvpPressed("vc-cert", RsvpAnswer.yes),
    RsvpPressed(LONGEST_ID, RsvpAnswer.none),
    CalendarPressed("vc-2020-03-26"),
    CalendarPressed(LONGEST_ID),
    EventPressed("tc-47"),
    EventPressed(LONGEST_ID),
    CancelEventPressed("vc-cert", confirmed=False),
    CancelEventPressed(LONGEST_ID, confirmed=True),
    DraftPressed(DraftAction.cancel),
    DraftPressed(DraftAction.no_link),
    TitleLanguagePicked("pt"),
    DurationPicked(90, days=False),
    DurationPicked(3, days=True),
    PlatformPicked("Webex"),
    PlatformPicked("?"),
    AudiencePicked("rsvp"),
    RemindersPicked("24h,1h"),
    EditFieldPicked("reminders"),
    CoursePage(0, None, None, None, None),
    CoursePage(10_000, "t" * 30, "in-person", "pt", "finished"),
    CourseFilterPressed("l", "big-data", None, "es", None),
    CourseFilterPressed("s", "t" * 30, "in-person", "pt", "finished"),
    CoursePressed("big-data-2022"),
    CoursePressed(LONGEST_ID),
]
CLASSES = sorted({type(s) for s in SAMPLES}, key=lambda c: c.PREFIX)
FIRST_OF_EACH = list({type(s): s for s in reversed(SAMPLES)}.values())


def _slug_fields(cls: type[CallbackData]) -> tuple[str, ...]:
    return tuple(getattr(cls, "SLUG_FIELDS", ()))


@pytest.mark.parametrize("sample", SAMPLES, ids=repr)
def test_round_trip_within_64_bytes(sample: CallbackData) -> None:
    data = sample.pack()
    assert len(data.encode()) <= 64
    assert type(sample).parse(data) == sample
    assert sum(other.parse(data) is not None for other in CLASSES) == 1  # no prefix overlaps


def test_every_class_is_sampled() -> None:
    assert len(CLASSES) == 14


def _forgeries(sample: CallbackData) -> list[tuple[str, str]]:
    """(description, data) that must not parse as ``sample``'s class."""
    cls = type(sample)
    prefix, *parts = sample.pack().split(":")
    forged = [
        ("empty", ""),
        ("prefix only", prefix),
        ("extra part", sample.pack() + ":x"),
        ("missing part", ":".join([prefix, *parts[:-1]])),
        ("wrong prefix", ":".join(["zz", *parts])),
        ("prefix of another class", ":".join(["rv" if prefix != "rv" else "ics", *parts])),
        ("catalog forgery", "cl:²:,,,"),
    ]
    names = [f.name for f in dataclasses.fields(cls)]
    hints = typing.get_type_hints(cls)
    for index, name in enumerate(names):
        optional = type(None) in get_args(hints[name])
        values = ["²", "¿", "a" * 65, "-lead", "Upper"]
        if not optional:
            values.append("")
        if name not in _slug_fields(cls):
            values.append(TWENTY_THREE_DIGITS)
        for value in values:
            changed = [*parts]
            changed[index] = value
            forged.append((f"{name}={value!r}", ":".join([prefix, *changed])))
    return forged


@pytest.mark.parametrize("sample", FIRST_OF_EACH, ids=repr)
def test_forged_data_parses_to_none(sample: CallbackData) -> None:
    cls = type(sample)
    for description, data in _forgeries(sample):
        assert cls.parse(data) is None, description
    assert cls.parse(None) is None


def test_a_23_digit_id_is_a_slug_and_goes_to_the_lookup() -> None:
    """Ids are slugs, so 23 digits are a well-formed id (that no event has): the handler
    looks it up and refuses the button; in a number field they are past 64 bits."""
    assert EventPressed.parse(f"ev:{TWENTY_THREE_DIGITS}") == EventPressed(TWENTY_THREE_DIGITS)
    assert CoursePage.parse(f"cl:{TWENTY_THREE_DIGITS}::::") is None
    assert DurationPicked.parse(f"ned:{TWENTY_THREE_DIGITS}:0") is None


def test_old_layouts_are_refused() -> None:
    assert RsvpPressed.parse("rv:y:vc-cert") is None
    assert CancelEventPressed.parse("ce:yes:vc-cert") is None
    assert CoursePage.parse("cl:9:,,zz-not-a-language!,") is None
    assert CoursePage.parse("cl:0:,,,") is None
    assert DraftPressed.parse("ne:dur:30") is None


def test_over_64_bytes_fails_loudly() -> None:
    with pytest.raises(CallbackTooLong):
        CoursePage(10_000, "t" * 64, "in-person", "pt", "finished").pack()
    with pytest.raises(CallbackTooLong):
        CourseFilterPressed("t", "t" * 57, "online", None, None).pack()
    with pytest.raises(ValueError, match="not a slug"):
        RsvpPressed("Not:a-slug", RsvpAnswer.yes).pack()


def test_long_ids_are_shortened_once_and_canonically() -> None:
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
    for length in range(1, 65):
        for _ in range(20):
            slug = rng.choice("az09") + "".join(rng.choice(alphabet) for _ in range(length - 1))
            ref = to_ref(slug)
            assert from_ref(ref) == slug and len(ref) <= 57
            assert (ref == slug) == (length <= VERBATIM_MAX)
    long_one = "b" * (VERBATIM_MAX + 1)
    assert from_ref(long_one) is None  # a long id only in its short form
    assert from_ref(to_ref(long_one) + "0") is None  # a leading zero: not canonical
    assert from_ref("~" + "A" * 10) is None  # decodes to a short id: not canonical
    assert from_ref("~") is None and from_ref("~²") is None


def test_one_rsvp_mapping() -> None:
    assert {a.status for a in RsvpAnswer} == set(RsvpStatus)
    for status in RsvpStatus:
        assert RsvpAnswer.of(status).status is status
    assert RsvpPressed("e", RsvpAnswer.of(RsvpStatus.maybe)).pack() == "rv:e:m"


def test_literals_match_what_the_buttons_offer() -> None:
    assert get_args(Language) == LANGUAGES
    assert get_args(typing.get_type_hints(TitleLanguagePicked)["language"]) == LANGUAGES
    assert set(get_args(Modality)) == set(MODALITIES)
    assert set(get_args(CourseStatus)) == set(STATUSES)
    platforms: Any = get_args(typing.get_type_hints(PlatformPicked)["platform"])
    assert set(platforms) == {*PLATFORMS, "-", "?"}
    assert all(DurationPicked(n, days=False).pack() for n in DURATIONS)
    assert all(DurationPicked(n, days=True).pack() for n in DAY_CHOICES)
    filters = CourseFilters("big-data", "online", "es", "open")
    assert CoursePage.of(2, filters).filters == filters
    assert CourseFilterPressed.of("m", filters).filters == filters
