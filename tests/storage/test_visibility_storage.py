"""Storage on SQLite and PostgreSQL: whether one member is inside an audience, who may
see an event, the recipients of reminders, and the people look-ups of /grant and /members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import people
from storage.audience import in_audience, resolve_audience
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member, update_member
from storage.models import Event, Institution, Rsvp
from storage.reminders import reminder_audience, set_rsvp
from storage.visibility import sees_event, visibility_selectors

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def _people(db: Database) -> None:
    async with db.session() as session:
        session.add(
            Institution(id="inatec", acronym="INATEC", country="NI", timezone="America/Managua")
        )
    rows = [
        (1, "Ana", "ana_uy", {"country": "UY", "language": "es"}),
        (2, "Bia", "Bia_BR", {"country": "BR", "language": "pt", "role": "organizer"}),
        (3, "Caio", None, {"institution_id": "inatec", "language": "pt"}),
        (4, "Dan", "dan", {"country": "UY", "opted_out": True, "blocked": True}),
        (5, "Eve", None, {"role": "admin"}),
    ]
    for user_id, name, username, fields in rows:
        who = TelegramIdentity(user_id, user_id, name, username=username)
        await ensure_member(db, who, default_timezone="UTC")
        await update_member(db, user_id, **fields)


async def _inside(db: Database, member_id: int, selectors: list[str]) -> bool:
    async with db.session() as session:
        return await in_audience(session, member_id, selectors)


async def test_in_audience_agrees_with_the_audience_query(db: Database) -> None:
    await _people(db)
    async with db.session() as session:
        session.add(Event(id="ev", title={}, starts_at=NOW, ends_at=NOW, timezone="UTC"))
        await session.flush()
        session.add(Rsvp(event_id="ev", member_id=3, status="yes"))
    cases = [
        ["all"],
        ["country:UY"],
        ["country:NI"],  # through the institution's country
        ["role:organizer"],
        ["institution:inatec", "language:pt"],
        ["country:UY", "language:pt"],  # kinds ANDed: nobody
        ["country:UY", "country:BR"],  # one kind ORed
        ["event:ev"],
        ["group:all"],  # groups are not members: everyone
    ]
    for selectors in cases:
        reachable = {m.user_id for m in await resolve_audience(db, selectors)}
        inside = {i for i in range(1, 7) if await _inside(db, i, selectors)}
        # opted-out and blocked members are not messaged, but they are still inside
        assert inside - {4} == reachable, selectors
        assert 6 not in inside  # not a member at all
    assert await _inside(db, 4, ["country:UY"])
    assert not await _inside(db, 1, ["role:organizer"])


async def test_who_sees_an_event(db: Database) -> None:
    await _people(db)
    event = Event(
        id="vc", title={}, starts_at=NOW, ends_at=NOW, timezone="UTC", audience=["country:UY"]
    )
    async with db.session() as session:
        session.add(event)
    members = {m.user_id: m for m in await resolve_audience(db, ["all"])}
    assert await sees_event(db, members[1], event)  # inside
    assert not await sees_event(db, members[3], event)  # outside
    assert await sees_event(db, members[2], event)  # an organizer
    assert await sees_event(db, members[5], event)  # an admin
    own = Event(id="att", title={}, starts_at=NOW, ends_at=NOW, timezone="UTC")
    own.audience = ["event:att"]
    assert visibility_selectors(own) == ["all"]
    own.audience = ["event:att", "country:BR"]
    assert visibility_selectors(own) == ["country:BR"]


async def test_reminders_never_reach_outsiders_who_answered(db: Database) -> None:
    await _people(db)
    event = Event(
        id="vc",
        title={},
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
        timezone="UTC",
        audience=["country:UY"],
    )
    async with db.session() as session:
        session.add(event)
    await set_rsvp(db, "vc", 3, status="yes", now=NOW)  # an outsider's (old) RSVP
    async with db.session() as session:
        found = (await session.exec(reminder_audience(event, None))).all()
    assert [m.user_id for m in found] == [1]
    event.audience = ["event:vc"]  # attendees only: those who answered, if they may see it
    event.attendees_only = True
    async with db.session() as session:
        found = (await session.exec(reminder_audience(event, None))).all()
    assert [m.user_id for m in found] == [3]


async def test_member_by_username_and_member_pages(db: Database) -> None:
    await _people(db)
    found = await people.member_by_username(db, "@BIA_br")
    assert found is not None and found.user_id == 2
    assert (await people.member_by_username(db, "ana_UY")).user_id == 1  # type: ignore[union-attr]
    assert await people.member_by_username(db, "@nobody") is None
    assert await people.member_by_username(db, "@") is None
    page, total = await people.list_members(db, people.MemberFilter(), offset=0, limit=2)
    assert total == 5 and [m.first_name for m in page] == ["Ana", "Bia"]
    page, total = await people.list_members(db, people.MemberFilter(), offset=4, limit=2)
    assert [m.first_name for m in page] == ["Eve"]
    uy = people.MemberFilter(country="UY")
    assert (await people.list_members(db, uy, offset=0, limit=10))[1] == 2
    staff = people.MemberFilter(role="organizer")
    assert [m.user_id for m in (await people.list_members(db, staff, offset=0, limit=9))[0]] == [2]
    nic = people.MemberFilter(institution="inatec")
    assert [m.user_id for m in (await people.list_members(db, nic, offset=0, limit=9))[0]] == [3]
