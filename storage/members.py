"""Members: the people who talk to the bot, their preferences and roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, delete, func, select, update

from storage.db import Database
from storage.models import Answer, Delivery, Member, Membership, Response, Role, Rsvp
from storage.types import utcnow


@dataclass(frozen=True)
class TelegramIdentity:
    """What Telegram tells us about a person (handlers fill it from ``update.effective_user``)."""

    user_id: int
    chat_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language: str = "es"


async def get_member(db: Database, user_id: int) -> Member | None:
    async with db.session() as session:
        return await session.get(Member, user_id)


async def ensure_member(
    db: Database,
    who: TelegramIdentity,
    *,
    default_timezone: str,
    admin_ids: tuple[int, ...] = (),
) -> tuple[Member, bool]:
    """The member for ``who``, created on first contact; returns ``(member, created)``.

    Names are refreshed on every contact; language and zone are kept once chosen.
    Configured admins are admins from the start.
    """
    async with db.session() as session:
        member = await session.get(Member, who.user_id)
        created = member is None
        if member is None:
            member = Member(
                user_id=who.user_id,
                chat_id=who.chat_id,
                first_name=who.first_name[:128],
                last_name=(who.last_name or None) and who.last_name[:128],
                username=who.username,
                language=who.language,
                timezone=default_timezone,
            )
            session.add(member)
        else:
            changed = (
                member.first_name != who.first_name[:128]
                or member.last_name != who.last_name
                or member.username != who.username
                or member.chat_id != who.chat_id
            )
            if changed:
                member.first_name = who.first_name[:128]
                member.last_name = who.last_name
                member.username = who.username
                member.chat_id = who.chat_id
                member.updated_at = utcnow()
        if who.user_id in admin_ids and member.role != Role.admin:
            member.role = Role.admin.value
        await session.flush()
        return member, created


async def update_member(db: Database, user_id: int, **fields: object) -> Member | None:
    """Set the given columns of one member; None when the member does not exist."""
    async with db.session() as session:
        member = await session.get(Member, user_id)
        if member is None:
            return None
        for name, value in fields.items():
            if not hasattr(member, name):
                raise AttributeError(name)
            setattr(member, name, value)
        member.updated_at = utcnow()
        await session.flush()
        return member


async def set_blocked(db: Database, chat_ids: list[int], blocked: bool = True) -> int:
    """Mark the members behind these private chats as having blocked the bot."""
    if not chat_ids:
        return 0
    async with db.session() as session:
        result = await session.exec(
            update(Member)
            .where(col(Member.chat_id).in_(chat_ids))
            .values(blocked=blocked, updated_at=utcnow())
        )
        return int(result.rowcount or 0)


async def forget_member(db: Database, user_id: int) -> bool:
    """Erase a member's personal data: the record, RSVPs, pending messages, own answers.

    Institution survey responses stay (they belong to the institution), without the link to
    the person.
    """
    async with db.session() as session:
        member = await session.get(Member, user_id)
        if member is None:
            return False
        await session.exec(delete(Rsvp).where(col(Rsvp.member_id) == user_id))
        await session.exec(delete(Membership).where(col(Membership.member_id) == user_id))
        await session.exec(
            delete(Delivery).where(
                col(Delivery.member_id) == user_id, col(Delivery.status) == "pending"
            )
        )
        own = select(Response.id).where(
            col(Response.member_id) == user_id, col(Response.institution_id).is_(None)
        )
        await session.exec(delete(Answer).where(col(Answer.response_id).in_(own)))
        await session.exec(
            delete(Response).where(
                col(Response.member_id) == user_id, col(Response.institution_id).is_(None)
            )
        )
        await session.exec(
            update(Response).where(col(Response.member_id) == user_id).values(member_id=None)
        )
        await session.exec(
            update(Answer).where(col(Answer.answered_by) == user_id).values(answered_by=None)
        )
        await session.delete(member)
        return True


async def set_role(db: Database, user_id: int, role: Role) -> Member | None:
    async with db.session() as session:
        member = await session.get(Member, user_id)
        if member is None:
            return None
        member.role = role.value
        member.updated_at = utcnow()
        await session.flush()
        return member


async def count_members(db: Database) -> int:
    async with db.session() as session:
        result = await session.exec(select(func.count()).select_from(Member))
        return int(result.one())
