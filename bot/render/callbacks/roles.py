"""Buttons of /grant and /audit."""

from __future__ import annotations

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
