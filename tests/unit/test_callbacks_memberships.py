"""Callback data of memberships: round trips, the 64-byte budget, forged data."""

from __future__ import annotations

import pytest

from bot.render.callbacks.memberships import (
    ClaimDecision,
    ConfirmAll,
    PendingPage,
    RevokeInvite,
    institution_tag,
)


def test_round_trips_within_64_bytes() -> None:
    tag = institution_tag("x" * 64)
    for data in (
        ClaimDecision(2**63 - 1, tag, True, 99_999),
        ClaimDecision(42, tag, False),
        PendingPage(3),
        ConfirmAll(),
        RevokeInvite(2**63 - 1),
    ):
        packed = data.pack()
        assert len(packed.encode()) <= 64
        assert type(data).parse(packed) == data


@pytest.mark.parametrize(
    "forged",
    [
        "ms:d:42:ABCDEF12:1:",  # tag not lowercase hex
        "ms:d:42:abcdef1:1:",  # short tag
        "ms:d:-4:abcdef12:1:",  # no such member
        "ms:d:42:abcdef12:2:",
        "ms:d:42:abcdef12:1:-1",
        "ms:d:42:abcdef12",
        "ms:d:٤٢:abcdef12:1:",
    ],
)
def test_forged_claim_decisions(forged: str) -> None:
    assert ClaimDecision.parse(forged) is None


def test_forged_pages_and_invites() -> None:
    assert PendingPage.parse("ms:p:-1") is None
    assert PendingPage.parse("ms:p:100000") is None
    assert RevokeInvite.parse("ms:rv:0") is None
    assert RevokeInvite.parse("ms:rv:1:2") is None
    assert ConfirmAll.parse("ms:all:1") is None
    assert institution_tag("utu") != institution_tag("inefop")
