"""The callback data of surveys and quick polls: round trips, the wire format that buttons
already sent keep using, and forged or stale data that must read as None."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from bot.render.callbacks import CallbackData, CallbackTooLong
from bot.render.callbacks import surveys as cb

EXAMPLES: list[CallbackData] = [
    cb.OpenSurvey("skills-2026"),
    cb.Choose(12, 0, 2),
    cb.Toggle(12, 1, 0),
    cb.Done(12, 1),
    cb.Skip(12, 6),
    cb.Keep(12, 4),
    cb.Back(12, 3),
    cb.Edit(12, 5),
    cb.Send(12),
    cb.PollKindChosen("multiple"),
    cb.PollCloses(7),
    cb.PollEveryone(),
    cb.PollSend(),
    cb.PollCancel(),
]
ALL_CLASSES = {type(e) for e in EXAMPLES}
WIRE = {
    "sv:go:skills-2026",
    "sv:a:12:0:2",
    "sv:t:12:1:0",
    "sv:d:12:1",
    "sv:s:12:6",
    "sv:k:12:4",
    "sv:b:12:3",
    "sv:e:12:5",
    "sv:ok:12",
    "np:kind:multiple",
    "np:close:7",
    "np:aud",
    "np:send",
    "np:cancel",
}


def test_every_class_has_an_example() -> None:
    assert set(cb.SURVEY_BUTTONS) | set(cb.POLL_BUTTONS) == ALL_CLASSES


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: type(d).__name__)
def test_round_trip(data: CallbackData) -> None:
    packed = data.pack()
    assert type(data).parse(packed) == data
    assert re.match(type(data).pattern(), packed)


def test_the_wire_format_of_buttons_already_sent() -> None:
    assert {e.pack() for e in EXAMPLES} == WIRE


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: type(d).__name__)
def test_only_its_own_class_reads_it(data: CallbackData) -> None:
    packed = data.pack()
    others = [c for c in ALL_CLASSES if c is not type(data)]
    assert [c for c in others if c.parse(packed) is not None] == []
    assert [c for c in others if re.match(c.pattern(), packed)] == []


NUMBER_FORGERIES = ("", "1" * 23, "²", "٣", "-1", " 1", "1.0", "0x1", "x", "1_0")
SLUG_FORGERIES = ("", "²", "٣", "ú", "Skills", " a", "a b", "-a", "a" * 65)


def _forgeries(data: CallbackData) -> list[str]:
    packed = data.pack()
    prefix = type(data).PREFIX
    fields = packed[len(prefix) :]
    forged = [
        "",
        prefix[:-1] + "x" + fields,  # wrong prefix
        "zz" + packed[2:],  # wrong family
        packed + ":1",  # extra part
        packed + ":",  # extra empty part
        prefix.upper() + fields,
    ]
    if fields:
        parts = fields[1:].split(":")
        forged.append(prefix)  # parts missing
        forged.append(prefix + ":" + ":".join(parts[:-1]) if len(parts) > 1 else prefix + ":")
        slug = isinstance(data, cb.OpenSurvey)
        bads = SLUG_FORGERIES if slug else NUMBER_FORGERIES
        for i in range(len(parts)):
            for bad in bads:
                changed = [*parts[:i], bad, *parts[i + 1 :]]
                forged.append(prefix + ":" + ":".join(changed))
    return forged


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: type(d).__name__)
def test_forged_data_reads_as_none(data: CallbackData) -> None:
    accepted = [f for f in _forgeries(data) if type(data).parse(f) is not None]
    assert accepted == []


@pytest.mark.parametrize("cls", sorted(ALL_CLASSES, key=lambda c: c.PREFIX))
def test_empty_and_missing_data(cls: type[CallbackData]) -> None:
    assert cls.parse("") is None
    assert cls.parse(None) is None
    assert cls.parse(":") is None


def test_ids_and_positions_are_checked() -> None:
    assert cb.OpenSurvey.parse("sv:go:Skills") is None  # not a survey id
    assert cb.OpenSurvey.parse("sv:go:") is None
    assert cb.OpenSurvey.parse("sv:go:../x") is None
    assert cb.Choose.parse("sv:a:12:-1:0") is None
    assert cb.Choose.parse(f"sv:a:{2**63}:0:0") is None  # past 64 bits
    assert cb.Choose.parse(f"sv:a:{2**63 - 1}:0:0") == cb.Choose(2**63 - 1, 0, 0)
    assert cb.PollCloses.parse("np:close:2") is None  # no such button
    assert cb.PollKindChosen.parse("np:kind:text") is None
    with pytest.raises(ValueError):
        cb.OpenSurvey("Not a slug")
    with pytest.raises(ValueError):
        cb.PollCloses(30)


def test_over_64_bytes_raises() -> None:
    with pytest.raises(CallbackTooLong):
        cb.OpenSurvey("a" * 60).pack()
    with pytest.raises(CallbackTooLong):
        cb.OpenSurvey("a" * 59).pack()
    assert len(cb.OpenSurvey("a" * 58).pack()) == 64
    assert cb.OpenSurvey.parse("sv:go:" + "a" * 59) is None  # 65 bytes: never a real button


def test_the_largest_numbers_still_fit() -> None:
    """Ids and positions are 64-bit: no answer button can outgrow Telegram's limit."""
    top = 2**63 - 1
    for data in (cb.Choose(top, top, top), cb.Toggle(top, top, top), cb.Edit(top, top)):
        assert len(data.pack().encode()) <= 64


def test_overlapping_prefixes_are_refused() -> None:
    with pytest.raises(TypeError, match="overlap"):

        @dataclass(frozen=True)
        class Everything(CallbackData, prefix="sv"):  # would read "sv:go:x" too
            action: str

    with pytest.raises(TypeError, match="overlap"):

        @dataclass(frozen=True)
        class Deeper(CallbackData, prefix="sv:go:deeper"):
            survey_id: str

    with pytest.raises(TypeError):

        @dataclass(frozen=True)
        class Hollow(CallbackData, prefix="sv::x"):
            pass
