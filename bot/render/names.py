"""A member's name as people read it: in chat, in the Mini App and in the audit log."""

from __future__ import annotations

from storage.models import Member


def display_name(member: Member) -> str:
    """First and last name, else ``@username``, else the Telegram user id."""
    name = " ".join(p for p in (member.first_name, member.last_name) if p)
    return name or (f"@{member.username}" if member.username else str(member.user_id))
