"""Members: the people who talk to the bot, their preferences and roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select, update

from storage.db import Database
from storage.models import Member, Role
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


def up_to_date(member: Member, who: TelegramIdentity, admin_ids: tuple[int, ...] = ()) -> bool:
    """Nothing for :func:`ensure_member` to refresh: names, chat, a configured admin's role."""
    return (
        member.first_name == who.first_name[:128]
        and member.last_name == who.last_name
        and member.username == who.username
        and member.chat_id == who.chat_id
        and (who.user_id not in admin_ids or member.role == Role.admin)
    )


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
        elif not up_to_date(member, who):
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
    """Erase a member's personal data everywhere (:func:`storage.erasure.erase_member`);
    False when there was no such member."""
    from storage.erasure import erase_member  # erasure reads every table; import late

    return (await erase_member(db, user_id)).member


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
