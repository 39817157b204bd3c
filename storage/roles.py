"""Granting and revoking roles, recorded in the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storage.audit import add_entry
from storage.db import Database
from storage.models import Member, Role
from storage.outbox import DeliveryDraft, enqueue
from storage.types import utcnow

# (the member with their new role, the role they had) -> the message telling them
RoleNotice = Callable[[Member, Role], Sequence[DeliveryDraft]]


@dataclass(frozen=True)
class RoleChange:
    member: Member
    previous: Role


async def change_role(
    db: Database,
    *,
    actor_id: int,
    actor_name: str,
    target_id: int,
    role: Role,
    notify: RoleNotice | None = None,
) -> RoleChange | None:
    """Give ``target_id`` the role ``role``; None when that person is not a member.
    ``notify`` builds the message telling them, queued with the change (not when the role
    stays what it was)."""
    async with db.session() as session:
        member = await session.get(Member, target_id)
        if member is None:
            return None
        previous = Role(member.role)
        member.role = role.value
        member.updated_at = utcnow()
        add_entry(
            session,
            actor_id=actor_id,
            actor_name=actor_name,
            action="grant" if role is not Role.member else "revoke",
            target=str(target_id),
            details={"role": role.value, "previous": previous.value},
        )
        if notify is not None and previous is not role:
            await enqueue(session, list(notify(member, previous)), member.updated_at)
        await session.flush()
        return RoleChange(member=member, previous=previous)
