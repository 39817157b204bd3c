"""Buttons of /grant, /audit and /members."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.render.callbacks.base import CallbackData


@dataclass(frozen=True)
class GrantRole(CallbackData, prefix="grant"):
    """Give ``user_id`` a role: ``grant:3003:admin``."""

    user_id: int
    role: Literal["organizer", "admin"]


@dataclass(frozen=True)
class AuditPage(CallbackData, prefix="audit"):
    """A page of the audit log: ``audit:2``."""

    page: int


MEMBER_ROLES = Literal["member", "organizer", "admin"]
MAX_MEMBER_PAGE = 10_000
_INSTITUTION = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # what fits the 64 bytes
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class MembersPage(CallbackData, prefix="mbr"):
    """A page of /members with its filters: ``mbr:2:inatec:NI:organizer`` (empty: any)."""

    page: int
    institution: str | None = None
    country: str | None = None
    role: MEMBER_ROLES | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.page <= MAX_MEMBER_PAGE:
            raise ValueError("page out of range")
        if self.institution is not None and not _INSTITUTION.match(self.institution):
            raise ValueError("not an institution id that fits")
        if self.country is not None and not _COUNTRY.match(self.country):
            raise ValueError("not a country code")
