"""Who may speak for an institution: claims, confirmations and invitation links.

Saying which institution one belongs to makes a *claim* (``Membership.status == "claimed"``);
it grants nothing. An organizer or admin confirming it, or the member arriving through an
invitation link of that institution, makes it a *membership*: then, and only then,
``Member.verified_institution_id`` is set, and with it the right to answer the
institution's surveys, see its answers and count in its audiences.

Every decision is one conditional UPDATE (``... WHERE status = 'claimed'``), so of two
organizers pressing Confirm at once exactly one wins and the other is told who did.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audit import add_entry
from storage.db import Database
from storage.models import Institution, InstitutionInvite, Member, Membership, Role
from storage.outbox import DeliveryDraft, enqueue

CLAIMED, CONFIRMED, REJECTED = "claimed", "confirmed", "rejected"
CODE_BYTES = 12  # 16 URL-safe characters: "inv-" + code fits Telegram's 64-character start
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{16}")
Drafts = Callable[[Sequence[Member]], Sequence[DeliveryDraft]]


@dataclass(frozen=True)
class Actor:
    """Who decides: an organizer or admin (or a member, for refusals in the audit log)."""

    user_id: int
    name: str


# ------------------------------------------------------------------ claims
ClaimOutcome = Literal["claimed", "unchanged", "unknown"]


async def claim_institution(
    db: Database,
    member_id: int,
    institution_id: str,
    now: datetime,
    *,
    country: str | None = None,
    notify: Drafts | None = None,
) -> ClaimOutcome:
    """Record that the member says they belong to ``institution_id``.

    A new claim replaces the old one (and any confirmed membership of another institution);
    the same institution again changes nothing. ``notify`` builds the messages to the
    organizers and admins, queued in the same transaction.
    """
    async with db.session() as session:
        institution = await session.get(Institution, institution_id)
        member = await session.get(Member, member_id)
        if institution is None or member is None:
            return "unknown"
        current = await session.get(Membership, member_id)
        if (
            current is not None
            and current.institution_id == institution_id
            and current.status in (CLAIMED, CONFIRMED)
            and member.institution_id == institution_id
        ):
            return "unchanged"
        member.institution_id, member.institution_other = institution_id, None
        member.verified_institution_id = None
        if country is not None:
            member.country = country
        member.updated_at = now
        if current is not None:
            await session.delete(current)
            await session.flush()
        session.add(Membership(member_id=member_id, institution_id=institution_id, claimed_at=now))
        add_entry(
            session, actor_id=member_id, action="claim", target=f"institution:{institution_id}"
        )
        if notify is not None:
            stamp = int(now.timestamp())
            drafts = notify(await _reviewers(session, exclude=member_id))
            for draft in drafts:
                draft.key = f"claim:{member_id}:{institution_id}:{stamp}:{draft.chat_id}"
            await enqueue(session, list(drafts), now)
        return "claimed"


async def clear_institution(db: Database, member_id: int, now: datetime) -> None:
    """ "Other / none": no institution, no claim, no membership."""
    async with db.session() as session:
        await session.exec(delete(Membership).where(col(Membership.member_id) == member_id))
        await session.exec(
            update(Member)
            .where(col(Member.user_id) == member_id)
            .values(institution_id=None, verified_institution_id=None, updated_at=now)
        )


async def _reviewers(session: AsyncSession, *, exclude: int) -> list[Member]:
    rows = await session.exec(
        select(Member)
        .where(
            col(Member.role).in_([Role.organizer.value, Role.admin.value]),
            col(Member.blocked).is_(False),
            col(Member.user_id) != exclude,
        )
        .order_by(col(Member.user_id))
    )
    return list(rows.all())


async def membership_of(db: Database, member_id: int) -> Membership | None:
    async with db.session() as session:
        return await session.get(Membership, member_id)


# ------------------------------------------------------------------ decisions
@dataclass(frozen=True)
class Decision:
    """``done``: this call decided; ``already``: someone had (``by``, ``status``);
    ``gone``: no such claim any more (withdrawn, changed, or never made)."""

    outcome: Literal["done", "already", "gone"]
    status: str = ""
    by: str | None = None
    member: Member | None = None
    institution: Institution | None = None


async def decide(
    db: Database,
    member_id: int,
    institution_id: str,
    actor: Actor,
    now: datetime,
    *,
    confirm: bool,
    notify: Drafts | None = None,
) -> Decision:
    """Confirm or reject one claim, once; ``notify`` builds the message to the member."""
    async with db.session() as session:
        return await _decide(
            session, member_id, institution_id, actor, now, confirm=confirm, notify=notify
        )


async def _decide(
    session: AsyncSession,
    member_id: int,
    institution_id: str,
    actor: Actor,
    now: datetime,
    *,
    confirm: bool,
    notify: Drafts | None = None,
) -> Decision:
    status = CONFIRMED if confirm else REJECTED
    result = await session.exec(
        update(Membership)
        .where(
            col(Membership.member_id) == member_id,
            col(Membership.institution_id) == institution_id,
            col(Membership.status) == CLAIMED,
        )
        .values(
            status=status,
            decided_by=actor.user_id,
            decided_by_name=actor.name[:200],
            decided_at=now,
        )
    )
    if not result.rowcount:
        row = await session.get(Membership, member_id)
        if row is not None and row.institution_id == institution_id:
            return Decision("already", row.status, row.decided_by_name)
        return Decision("gone")
    member = await session.get(Member, member_id)
    institution = await session.get(Institution, institution_id)
    if member is None or institution is None or member.institution_id != institution_id:
        raise _Stale()  # rolls the update back: the claim no longer matches the member
    if confirm:
        member.verified_institution_id = institution_id
        member.country = institution.country
        member.updated_at = now
    add_entry(
        session,
        actor_id=actor.user_id,
        actor_name=actor.name[:200],
        action="membership " + status,
        target=f"member:{member_id}",
        details={"institution": institution_id},
    )
    if notify is not None:
        await enqueue(session, list(notify([member])), now)
    return Decision("done", status, actor.name, member, institution)


class _Stale(Exception):
    pass


async def decide_safely(
    db: Database,
    member_id: int,
    institution_id: str,
    actor: Actor,
    now: datetime,
    *,
    confirm: bool,
    notify: Drafts | None = None,
) -> Decision:
    """:func:`decide`, with a claim whose member or institution vanished reported as gone."""
    try:
        return await decide(
            db, member_id, institution_id, actor, now, confirm=confirm, notify=notify
        )
    except _Stale:
        return Decision("gone")


async def confirm_all(
    db: Database,
    actor: Actor,
    now: datetime,
    notify: Callable[[Institution], Drafts] | None = None,
) -> int:
    """Confirm every waiting claim that still matches its member and institution;
    ``notify`` builds, per institution, the message to each member confirmed."""
    async with db.session() as session:
        rows = await session.exec(
            select(Membership.member_id, Membership.institution_id)
            .join(Member, col(Member.user_id) == col(Membership.member_id))
            .join(Institution, col(Institution.id) == col(Membership.institution_id))
            .where(
                col(Membership.status) == CLAIMED,
                col(Member.institution_id) == col(Membership.institution_id),
            )
        )
        count = 0
        for member_id, institution_id in rows.all():
            institution = await session.get(Institution, institution_id)
            told = notify(institution) if notify is not None and institution else None
            decision = await _decide(
                session, member_id, institution_id, actor, now, confirm=True, notify=told
            )
            count += decision.outcome == "done"
        return count


@dataclass(frozen=True)
class PendingClaim:
    member: Member
    institution: Institution
    claimed_at: datetime


async def pending_claims(
    db: Database, *, offset: int = 0, limit: int = 5
) -> tuple[list[PendingClaim], int]:
    """One page of the claims waiting for a decision (oldest first), and how many there are."""
    waiting = (
        select(Membership, Member, Institution)
        .join(Member, col(Member.user_id) == col(Membership.member_id))
        .join(Institution, col(Institution.id) == col(Membership.institution_id))
        .where(
            col(Membership.status) == CLAIMED,
            col(Member.institution_id) == col(Membership.institution_id),
        )
    )
    async with db.session() as session:
        total = (await session.exec(select(func.count()).select_from(waiting.subquery()))).one()
        rows = await session.exec(
            waiting.order_by(col(Membership.claimed_at), col(Membership.member_id))
            .offset(max(offset, 0))
            .limit(limit)
        )
        page = [PendingClaim(m, i, ms.claimed_at) for ms, m, i in rows.all()]
        return page, int(total)


# ------------------------------------------------------------------ invitations
def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


async def create_invite(
    db: Database, institution_id: str, created_by: int, now: datetime, *, days: int
) -> tuple[str, InstitutionInvite] | None:
    """A new invitation code of the institution (shown once; only its hash is kept)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    async with db.session() as session:
        if await session.get(Institution, institution_id) is None:
            return None
        invite = InstitutionInvite(
            code_hash=hash_code(code),
            institution_id=institution_id,
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        session.add(invite)
        add_entry(
            session,
            actor_id=created_by,
            action="invite created",
            target=f"institution:{institution_id}",
            details={"expires_at": invite.expires_at.isoformat()},
        )
        await session.flush()
        return code, invite


async def revoke_invites(
    db: Database,
    institution_id: str,
    actor_id: int,
    now: datetime,
    *,
    invite_id: int | None = None,
) -> int:
    """Revoke the institution's usable invitations (or just ``invite_id``); how many."""
    query = update(InstitutionInvite).where(
        col(InstitutionInvite.institution_id) == institution_id,
        col(InstitutionInvite.revoked_at).is_(None),
        col(InstitutionInvite.expires_at) > now,
    )
    if invite_id is not None:
        query = query.where(col(InstitutionInvite.id) == invite_id)
    async with db.session() as session:
        result = await session.exec(query.values(revoked_at=now, revoked_by=actor_id))
        count = int(result.rowcount or 0)
        add_entry(
            session,
            actor_id=actor_id,
            action="invite revoked",
            target=f"institution:{institution_id}",
            details={"count": count, "invite": invite_id},
        )
        return count


async def get_invite(db: Database, invite_id: int) -> InstitutionInvite | None:
    async with db.session() as session:
        return await session.get(InstitutionInvite, invite_id)


RedeemOutcome = Literal["confirmed", "already", "unknown", "expired", "revoked", "elsewhere"]


@dataclass(frozen=True)
class Redeemed:
    outcome: RedeemOutcome
    institution: Institution | None = None
    current: Institution | None = None  # "elsewhere": the member's confirmed institution


async def redeem_invite(db: Database, code: str, member_id: int, now: datetime) -> Redeemed:
    """Make the member a confirmed focal point of the code's institution, or say why not.

    A confirmed focal point of another institution is not moved by a link (``elsewhere``):
    an organizer must see that change.
    """
    if not CODE_SHAPE.fullmatch(code):
        return Redeemed("unknown")
    async with db.session() as session:
        found = await session.exec(
            select(InstitutionInvite).where(col(InstitutionInvite.code_hash) == hash_code(code))
        )
        invite = found.first()
        institution = None
        if invite is not None:
            institution = await session.get(Institution, invite.institution_id)
        member = await session.get(Member, member_id)
        if invite is None or institution is None or member is None:
            return Redeemed("unknown")
        if invite.revoked_at is not None:
            return Redeemed("revoked", institution)
        if invite.expires_at <= now:
            return Redeemed("expired", institution)
        verified = member.verified_institution_id
        if verified == institution.id:
            return Redeemed("already", institution)
        if verified is not None:
            return Redeemed("elsewhere", institution, await session.get(Institution, verified))
        await _join(session, member, institution, invite, now)
        return Redeemed("confirmed", institution)


async def _join(
    session: AsyncSession,
    member: Member,
    institution: Institution,
    invite: InstitutionInvite,
    now: datetime,
) -> None:
    await session.exec(delete(Membership).where(col(Membership.member_id) == member.user_id))
    session.add(
        Membership(
            member_id=member.user_id,
            institution_id=institution.id,
            status=CONFIRMED,
            via="invite",
            claimed_at=now,
            decided_by=invite.created_by,
            decided_at=now,
        )
    )
    member.institution_id = member.verified_institution_id = institution.id
    member.institution_other, member.country, member.updated_at = None, institution.country, now
    invite.uses += 1
    add_entry(
        session,
        actor_id=member.user_id,
        action="invite used",
        target=f"institution:{institution.id}",
        details={"invite": invite.id},
    )
