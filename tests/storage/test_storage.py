"""Storage on SQLite and on PostgreSQL: migrations, members, roles, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from storage.audit import count_entries, recent_entries
from storage.db import Database
from storage.members import (
    TelegramIdentity,
    ensure_member,
    forget_member,
    get_member,
    set_blocked,
    update_member,
)
from storage.models import Event, Member, Role, Rsvp
from storage.roles import change_role


async def test_migrations_match_models(db: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)

    async with db.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_member_created_once_and_refreshed(db: Database) -> None:
    who = TelegramIdentity(
        user_id=5_000_000_001, chat_id=5_000_000_001, first_name="Ana", language="pt"
    )
    member, created = await ensure_member(db, who, default_timezone="America/Montevideo")
    assert created and member.language == "pt" and member.role == "member"
    renamed = TelegramIdentity(
        user_id=5_000_000_001, chat_id=5_000_000_001, first_name="Ana Maria", language="en"
    )
    member, created = await ensure_member(db, renamed, default_timezone="Europe/Madrid")
    assert not created
    assert member.first_name == "Ana Maria"
    assert member.language == "pt" and member.timezone == "America/Montevideo"


async def test_configured_admins_are_admins(db: Database) -> None:
    who = TelegramIdentity(user_id=42, chat_id=42, first_name="Root")
    member, _ = await ensure_member(db, who, default_timezone="UTC", admin_ids=(42,))
    assert member.role == Role.admin


async def test_role_change_is_audited_in_same_transaction(db: Database) -> None:
    await ensure_member(db, TelegramIdentity(7, 7, "Leo"), default_timezone="UTC")
    change = await change_role(db, actor_id=1, actor_name="Root", target_id=7, role=Role.organizer)
    assert change is not None and change.previous == Role.member
    assert (await get_member(db, 7)).role == "organizer"  # type: ignore[union-attr]
    assert (
        await change_role(db, actor_id=1, actor_name="Root", target_id=8, role=Role.admin) is None
    )
    entries = await recent_entries(db)
    assert len(entries) == 1 and entries[0].details == {"role": "organizer", "previous": "member"}
    assert entries[0].at.tzinfo is not None
    assert await count_entries(db) == 1


async def test_times_are_utc_whatever_zone_goes_in(db: Database) -> None:
    montevideo = timezone(timedelta(hours=-3))
    start = datetime(2020, 3, 26, 14, 0, tzinfo=montevideo)
    async with db.session() as session:
        session.add(
            Event(
                id="vc-2020-03-26",
                title={"en": "VC"},
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                timezone="America/Montevideo",
            )
        )
    async with db.session() as session:
        event = await session.get(Event, "vc-2020-03-26")
    assert event is not None
    assert event.starts_at == datetime(2020, 3, 26, 17, 0, tzinfo=UTC)
    assert event.starts_at.utcoffset() == timedelta(0)


async def test_forget_member_erases_personal_data(db: Database) -> None:
    await ensure_member(db, TelegramIdentity(9, 9, "Eva", "Lopez", "eva"), default_timezone="UTC")
    start = datetime(2030, 1, 1, tzinfo=UTC)
    async with db.session() as session:
        session.add(
            Event(id="e1", title={"en": "E"}, starts_at=start, ends_at=start, timezone="UTC")
        )
    async with db.session() as session:
        session.add(Rsvp(event_id="e1", member_id=9, status="yes"))
    assert await forget_member(db, 9)
    assert await get_member(db, 9) is None
    async with db.session() as session:
        assert await session.get(Rsvp, ("e1", 9)) is None
    assert not await forget_member(db, 9)


async def test_update_and_block(db: Database) -> None:
    await ensure_member(db, TelegramIdentity(11, 11, "Max"), default_timezone="UTC")
    updated = await update_member(db, 11, timezone="Europe/Madrid", opted_out=True)
    assert updated is not None and updated.timezone == "Europe/Madrid" and updated.opted_out
    assert await update_member(db, 12, timezone="UTC") is None
    assert await set_blocked(db, [11]) == 1
    member = await get_member(db, 11)
    assert isinstance(member, Member) and member.blocked
