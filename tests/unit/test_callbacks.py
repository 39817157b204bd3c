"""The typed callback-data codec (bot/render/callbacks/base.py): round trips, forged data
read as None, and the programming errors that must fail loudly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import pytest

from bot.render.callbacks.base import MAX_BYTES, CallbackData, CallbackTooLong

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


class Colour(StrEnum):
    red = "red"
    green = "green"


@dataclass(frozen=True)
class Sample(CallbackData, prefix="zt"):
    name: str
    count: int
    flag: bool
    colour: Colour
    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class Maybe(CallbackData, prefix="ztm"):
    name: str | None
    count: int | None
    flag: bool | None
    colour: Colour | None
    answer: Literal["yes", "no"] | None


@dataclass(frozen=True)
class Rsvp(CallbackData, prefix="zrv"):
    event_id: str


@dataclass(frozen=True)
class RsvpExtra(CallbackData, prefix="zrvx"):
    event_id: str


def sample(**changes: object) -> Sample:
    values: dict[str, object] = {
        "name": "webinar-1",
        "count": 42,
        "flag": True,
        "colour": Colour.green,
        "answer": "no",
    }
    values.update(changes)
    return Sample(**values)  # type: ignore[arg-type]


# ------------------------------------------------------------------ round trips
def test_pack_writes_the_documented_layout_and_parse_reads_it_back() -> None:
    data = sample().pack()
    assert data == "zt:webinar-1:42:1:green:no"
    parsed = Sample.parse(data)
    assert parsed == sample()
    assert parsed is not None and parsed.colour is Colour.green and parsed.flag is True


@pytest.mark.parametrize(
    "changes",
    [
        {"count": 0},
        {"count": -7},
        {"count": INT64_MAX},
        {"count": INT64_MIN},
        {"flag": False},
        {"colour": Colour.red, "answer": "yes"},
        {"name": ""},  # a required str may be empty: it reads back as ""
        {"name": "São Paulo ñ"},  # non-ASCII text is fine in a str field
    ],
)
def test_round_trips(changes: dict[str, object]) -> None:
    value = sample(**changes)
    assert Sample.parse(value.pack()) == value


def test_optional_fields_pack_as_empty_parts() -> None:
    empty = Maybe(None, None, None, None, None)
    assert empty.pack() == "ztm:::::"
    assert Maybe.parse("ztm:::::") == empty
    full = Maybe("x", -3, False, Colour.red, "yes")
    assert full.pack() == "ztm:x:-3:0:red:yes"
    assert Maybe.parse(full.pack()) == full


# ------------------------------------------------------------------ forged data
GOOD = "zt:webinar-1:42:1:green:no"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zq:webinar-1:42:1:green:no",  # wrong prefix
        "ztm:webinar-1:42:1:green:no",  # another class's prefix
        "zt",  # prefix only
        "zt:webinar-1:42:1:green",  # a part short
        "zt:webinar-1:42:1:green:no:x",  # a part too many
        "zt:web:inar:42:1:green:no",  # a ':' smuggled into the str
        "zt:webinar-1:²:1:green:no",  # superscript two: a digit to str.isdigit, not to us
        "zt:webinar-1:4²:1:green:no",
        "zt:webinar-1:" + "9" * 23 + ":1:green:no",  # 23 digits
        "zt:webinar-1:" + "1" * 20 + ":1:green:no",  # 20 digits
        f"zt:webinar-1:{INT64_MAX + 1}:1:green:no",  # 19 digits, past int64
        f"zt:webinar-1:{INT64_MIN - 1}:1:green:no",
        "zt:webinar-1::1:green:no",  # empty required int
        "zt:webinar-1:+5:1:green:no",
        "zt:webinar-1: 5:1:green:no",
        "zt:webinar-1:5 :1:green:no",
        "zt:webinar-1:1_000:1:green:no",  # int() would take it
        "zt:webinar-1:0x10:1:green:no",
        "zt:webinar-1:4.0:1:green:no",
        "zt:webinar-1:42:2:green:no",  # bool is 0 or 1
        "zt:webinar-1:42:true:green:no",
        "zt:webinar-1:42::green:no",
        "zt:webinar-1:42:1:blue:no",  # not an enum member
        "zt:webinar-1:42:1:Green:no",
        "zt:webinar-1:42:1::no",
        "zt:webinar-1:42:1:green:maybe",  # not one of the Literal's choices
        "zt:webinar-1:42:1:green:",
        "zt:webinar-1:42:1:green:NO",
        "zt:" + "a" * MAX_BYTES + ":42:1:green:no",  # over 64 bytes
    ],
)
def test_forged_data_reads_as_none(data: str | None) -> None:
    assert Sample.parse(GOOD) is not None  # the template itself is good
    assert Sample.parse(data) is None


@pytest.mark.parametrize("digits", ["٣", "١٢", "１２", "۵"])  # Arabic-Indic, fullwidth, Persian
def test_non_ascii_decimal_digits_read_as_none(digits: str) -> None:
    assert Sample.parse(f"zt:webinar-1:{digits}:1:green:no") is None


def test_optional_fields_refuse_garbage_too() -> None:
    assert Maybe.parse("ztm::x:::") is None  # int
    assert Maybe.parse("ztm:::x::") is None  # bool
    assert Maybe.parse("ztm::::x:") is None  # enum
    assert Maybe.parse("ztm:::::x") is None  # Literal
    assert Maybe.parse("ztm::::") is None  # a part short


# ------------------------------------------------------------------ loud failures
def test_pack_counts_utf8_bytes_not_characters() -> None:
    ascii_name = sample(name="n" * 40).pack()
    assert len(ascii_name) == len(ascii_name.encode()) == 57
    with pytest.raises(CallbackTooLong):
        sample(name="ñ" * 40).pack()  # 40 characters but 80 bytes


def test_sixty_four_bytes_fit_and_sixty_five_do_not() -> None:
    fixed = len("zt::42:1:green:no")
    fits = sample(name="a" * (MAX_BYTES - fixed))
    assert len(fits.pack().encode()) == MAX_BYTES
    assert Sample.parse(fits.pack()) == fits
    with pytest.raises(CallbackTooLong):
        sample(name="a" * (MAX_BYTES - fixed + 1)).pack()
    two_byte = sample(name="a" * (MAX_BYTES - fixed - 2) + "é")  # 64 bytes with a 2-byte char
    assert Sample.parse(two_byte.pack()) == two_byte


def test_separator_in_a_str_field_raises() -> None:
    with pytest.raises(ValueError, match="contains ':'"):
        sample(name="a:b").pack()
    with pytest.raises(ValueError, match="contains ':'"):
        Maybe("a:b", None, None, None, None).pack()


def test_none_in_a_required_field_and_empty_optional_str_raise() -> None:
    with pytest.raises(ValueError, match="may not be None"):
        sample(count=None).pack()
    with pytest.raises(ValueError, match="read back as None"):
        Maybe("", None, None, None, None).pack()


def test_pack_refuses_ints_that_parse_would_refuse() -> None:
    with pytest.raises(ValueError):
        sample(count=INT64_MAX + 1).pack()


def test_duplicate_prefix_raises_type_error() -> None:
    with pytest.raises(TypeError, match="used twice"):

        @dataclass(frozen=True)
        class Impostor(CallbackData, prefix="zt"):
            name: str


@pytest.mark.parametrize("prefix", ["", ":a", "a:", "a::b"])
def test_a_prefix_is_required_and_has_no_separator(prefix: str) -> None:
    with pytest.raises(TypeError, match="prefix"):

        @dataclass(frozen=True)
        class Nameless(CallbackData, prefix=prefix):
            name: str


def test_unsupported_field_types_raise_type_error() -> None:
    @dataclass(frozen=True)
    class Floating(CallbackData, prefix="zt-float"):
        ratio: float

    with pytest.raises(TypeError, match="unsupported field type"):
        Floating(0.5).pack()

    @dataclass(frozen=True)
    class Either(CallbackData, prefix="zt-union"):
        value: int | str

    with pytest.raises(TypeError, match="unsupported field type"):
        Either.parse("zt-union:1")


def test_pattern_matches_only_its_own_prefix() -> None:
    own, longer = re.compile(Rsvp.pattern()), re.compile(RsvpExtra.pattern())
    assert own.match("zrv:webinar-1") and own.match("zrv")
    assert not own.match("zrvx:webinar-1")
    assert not own.match("xzrv:webinar-1")
    assert longer.match("zrvx:webinar-1") and not longer.match("zrv:webinar-1")
    assert Rsvp.parse("zrvx:webinar-1") is None
    assert RsvpExtra.parse("zrv:webinar-1") is None
