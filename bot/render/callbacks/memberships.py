"""Buttons of memberships: Confirm / Reject a claim, /pending pages, Confirm all, and
revoking an invitation link.

A claim's buttons carry the member's id and a short tag of the institution claimed (ids may
be 64 characters; the tag keeps the data under Telegram's 64 bytes): a button pressed after
the member claimed another institution no longer matches and changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bot.render.callbacks.base import CallbackData

TAG = re.compile(r"[0-9a-f]{8}")


def institution_tag(institution_id: str) -> str:
    return hashlib.sha256(institution_id.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class ClaimDecision(CallbackData, prefix="ms:d"):
    """``ms:d:<member id>:<institution tag>:1:<page>`` (1 confirm, 0 reject; ``page`` of
    /pending to show again, empty on the notice sent when the claim was made)."""

    member_id: int
    tag: str
    confirm: bool
    page: int | None = None

    def __post_init__(self) -> None:
        if not TAG.fullmatch(self.tag) or self.member_id <= 0 or (self.page or 0) < 0:
            raise ValueError("bad claim decision")


@dataclass(frozen=True)
class PendingPage(CallbackData, prefix="ms:p"):
    """``ms:p:<page>``: a page of /pending."""

    page: int

    def __post_init__(self) -> None:
        if not 0 <= self.page < 100_000:
            raise ValueError("page out of range")


@dataclass(frozen=True)
class ConfirmAll(CallbackData, prefix="ms:all"):
    """``ms:all``: confirm every waiting claim (admins)."""


@dataclass(frozen=True)
class RevokeInvite(CallbackData, prefix="ms:rv"):
    """``ms:rv:<invite id>``: withdraw one invitation link."""

    invite_id: int

    def __post_init__(self) -> None:
        if self.invite_id <= 0:
            raise ValueError("bad invite id")
