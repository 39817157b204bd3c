"""The /members page buttons: round trips, the 64-byte budget, forged data."""

from __future__ import annotations

from bot.render.callbacks.base import MAX_BYTES
from bot.render.callbacks.roles import MembersPage


def test_round_trips() -> None:
    for page in (
        MembersPage(0),
        MembersPage(3, "inatec", "NI", "organizer"),
        MembersPage(10_000, None, "UY", None),
        MembersPage(1, "a" * 40, "BR", "member"),
    ):
        assert MembersPage.parse(page.pack()) == page
    assert MembersPage(2, None, "UY", "admin").pack() == "mbr:2::UY:admin"


def test_the_longest_fits() -> None:
    longest = MembersPage(10_000, "x" * 40, "UY", "organizer").pack()
    assert len(longest.encode()) <= MAX_BYTES


def test_forged_data_is_refused() -> None:
    for data in (
        "mbr:-1:::",
        "mbr:10001:::",
        "mbr:0:UPPER::",
        "mbr:0::uy:",
        "mbr:0:::superuser",
        "mbr:0::",
        "mbr:x:::",
        "mbr:0:" + "a" * 41 + "::",
        "audit:0",
    ):
        assert MembersPage.parse(data) is None, data
