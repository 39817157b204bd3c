"""Callback data of broadcasts, onboarding, roles and questions: round trips, and forged or
stale data (wrong prefix, extra or missing parts, huge numbers, Unicode digits, empty)
read back as None, never as something a handler would act on."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.core.i18n import LANGUAGES
from bot.qa.lexicon import INTENT_PRIORITY
from bot.render.callbacks import CallbackData, CallbackTooLong, registered_prefixes
from bot.render.callbacks.broadcast import (
    TEXT_LANGUAGES,
    AudienceToggle,
    BroadcastStep,
    StopBroadcast,
    TextLanguage,
)
from bot.render.callbacks.onboarding import (
    CODES,
    CountryPicked,
    ForgetMe,
    InstitutionPicked,
    LanguagePicked,
    SettingsPressed,
    ZonePicked,
)
from bot.render.callbacks.questions import HitKind, IntentCode, ListRecords, OtherAnswer
from bot.render.callbacks.roles import AuditPage, GrantRole

SAMPLES: list[CallbackData] = [
    BroadcastStep("more"),
    BroadcastStep("cancel"),
    TextLanguage("pt"),
    AudienceToggle("country", "UY"),
    AudienceToggle("all"),
    StopBroadcast(12),
    GrantRole(3003, "admin"),
    AuditPage(2),
    OtherAnswer(HitKind.course, IntentCode.cost, "big-data"),
    ListRecords("events"),
    ForgetMe("yes"),
    SettingsPressed("optout"),
    LanguagePicked("ob", "es"),
    CountryPicked("sz", "MX"),
    InstitutionPicked("si", "utu"),
    InstitutionPicked("ob", None),
    ZonePicked("sz", "BR", 3),
]
IDS = [s.pack() for s in SAMPLES]


def checked_fields(data: CallbackData) -> list[int]:
    """Positions (after the prefix) of the fields that are not free strings."""
    fields = dataclasses.fields(data)
    return [i for i, f in enumerate(fields) if str(f.type) not in ("str", "str | None")]


@pytest.mark.parametrize("data", SAMPLES, ids=IDS)
def test_round_trip_and_pattern(data: CallbackData) -> None:
    packed = data.pack()
    assert type(data).parse(packed) == data
    assert re.match(type(data).pattern(), packed)
    assert len(packed.encode()) <= 64


@pytest.mark.parametrize("data", SAMPLES, ids=IDS)
def test_forged_data_is_none(data: CallbackData) -> None:
    kind = type(data)
    packed = data.pack()
    rest = packed[len(kind.PREFIX) :]
    assert kind.parse("zz" + rest) is None  # wrong prefix
    assert kind.parse(kind.PREFIX + "x" + rest) is None
    assert kind.parse(packed + ":extra") is None  # extra part
    assert kind.parse(packed.rsplit(":", 1)[0]) is None  # a part missing
    assert kind.parse("") is None
    assert kind.parse(None) is None
    assert kind.parse(packed + "x" * 64) is None  # over 64 bytes
    assert kind.parse(packed.upper() if packed != packed.upper() else packed.lower()) is None


@pytest.mark.parametrize("data", SAMPLES, ids=IDS)
def test_forged_values_of_checked_fields_are_none(data: CallbackData) -> None:
    kind = type(data)
    parts = data.pack().split(":")
    for index in checked_fields(data):
        for forged in ("²", "1" * 23, "-" + "9" * 20, "", "NaN", " 1"):
            changed = [*parts]
            changed[index + 1] = forged
            parsed = kind.parse(":".join(changed))
            field = dataclasses.fields(data)[index]
            optional_empty = forged == "" and "None" in str(field.type)
            assert parsed is None or optional_empty, (changed, parsed)


def test_checked_fields_are_the_typed_ones() -> None:
    assert checked_fields(ZonePicked("sz", "BR", 3)) == [0, 2]
    assert checked_fields(InstitutionPicked("ob", "utu")) == [0]
    assert checked_fields(OtherAnswer(HitKind.course, IntentCode.cost, "x")) == [0, 1]


def test_prefixes_do_not_capture_each_other() -> None:
    for data in SAMPLES:
        for other in SAMPLES:
            if type(other) is not type(data):
                assert not re.match(type(other).pattern(), data.pack()), (data, other)
                assert type(other).parse(data.pack()) is None


def test_prefixes_are_registered_once() -> None:
    prefixes = registered_prefixes()
    for data in SAMPLES:
        assert prefixes[data.PREFIX] is type(data)


@pytest.mark.parametrize(
    "make",
    [
        lambda: AudienceToggle("country", "U" * 70),
        lambda: CountryPicked("ob", "x" * 70),
        lambda: InstitutionPicked("si", "a" * 64),  # a slug may be 64 characters
        lambda: ZonePicked("sz", "z" * 60, 1),
        lambda: OtherAnswer(HitKind.faq, IntentCode.faq, "f" * 58),
    ],
)
def test_over_64_bytes_raises(make: object) -> None:
    with pytest.raises(CallbackTooLong):
        make().pack()  # type: ignore[operator]


def test_colons_in_values_are_refused_when_packing() -> None:
    with pytest.raises(ValueError):
        CountryPicked("ob", "a:b").pack()
    with pytest.raises(ValueError):
        OtherAnswer(HitKind.course, IntentCode.when, "x:y").pack()


def test_specific_forgeries() -> None:
    assert ZonePicked.parse("oz:sz:BR:²") is None
    assert ZonePicked.parse("oz:sz:BR:00000000000000000000001") is None
    assert ZonePicked.parse("oz:si:BR:-1") == ZonePicked("si", "BR", -1)  # range: handler's job
    assert LanguagePicked.parse("ol:si:es") is None  # no language step in that wizard
    assert LanguagePicked.parse("ol:ob:klingon") is None
    assert InstitutionPicked.parse("oi:sz:utu") is None
    assert InstitutionPicked.parse("oi:ob:") == InstitutionPicked("ob", None)
    assert StopBroadcast.parse("bcx:12a") is None
    assert StopBroadcast.parse("bcx:" + "9" * 19) is None  # past 64 bits
    assert GrantRole.parse("grant:3004:superuser") is None
    assert GrantRole.parse("grant:3004:admin") == GrantRole(3004, "admin")
    assert AuditPage.parse("audit:page:0") is None  # the old format is stale
    assert OtherAnswer.parse("qa:list:courses") is None
    assert OtherAnswer.parse("qa:c:w:no-such-course") == OtherAnswer(
        HitKind.course, IntentCode.when, "no-such-course"
    )
    assert BroadcastStep.parse("bc:lang:es") is None
    assert AudienceToggle.parse("bca:planet:mars") is None


def test_the_wire_format_the_e2e_tests_press() -> None:
    assert [BroadcastStep(a).pack() for a in ("more", "audience", "preview", "send")] == [
        "bc:more",
        "bc:audience",
        "bc:preview",
        "bc:send",
    ]
    assert ForgetMe("no").pack() == "fm:no"
    assert GrantRole(3004, "admin").pack() == "grant:3004:admin"
    assert AudienceToggle("all").selector == "all"
    assert AudienceToggle("group", "all").selector == "group:all"


def test_language_literals_follow_the_translations() -> None:
    assert TEXT_LANGUAGES == CODES == LANGUAGES


def test_every_intent_has_a_code_and_back() -> None:
    for name in [*INTENT_PRIORITY, "faq"]:
        assert IntentCode.of(name).name == name
    assert IntentCode.of(None) is IntentCode.faq
    assert IntentCode.of("astrology") is IntentCode.faq
    assert len({code.value for code in IntentCode}) == len(IntentCode)
    assert {kind.name for kind in HitKind} == {"course", "event", "faq"}
