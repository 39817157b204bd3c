"""Membership storage on SQLite and on PostgreSQL: claims, decisions taken once (also when
two organizers decide at the same moment), Confirm all, invitation codes, the migration's
claims, and audiences counting confirmed memberships only."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from storage import memberships as store
from storage.audience import resolve_audience
from storage.db import Database, upgrade_database
from storage.members import (
    TelegramIdentity,
    ensure_member,
    forget_member,
    get_member,
    update_member,
)
from storage.models import Institution, InstitutionInvite, Member, Role
from storage.outbox import DeliveryDraft
from tests.helpers import seed_institutions

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OLGA = store.Actor(50, "Olga")
ROOT = store.Actor(51, "Root")


async def person(db: Database, user_id: int, role: Role = Role.member) -> Member:
    who = TelegramIdentity(user_id=user_id, chat_id=user_id, first_name=f"P{user_id}")
    member, _ = await ensure_member(db, who, default_timezone="America/Montevideo")
    if role is not Role.member:
        await update_member(db, user_id, role=role.value)
    return member


def notices(reviewers: Sequence[Member]) -> list[DeliveryDraft]:
    return [
        DeliveryDraft(key="", kind="notice", chat_id=r.chat_id, member_id=r.user_id, payload={})
        for r in reviewers
    ]


async def test_claim_grants_nothing_until_confirmed(db: Database) -> None:
    await seed_institutions(db)
    await person(db, OLGA.user_id, Role.organizer)
    await person(db, 1)
    assert await store.claim_institution(db, 1, "inefop", NOW, country="UY", notify=notices) == (
        "claimed"
    )
    assert await store.claim_institution(db, 1, "inefop", NOW) == "unchanged"
    assert await store.claim_institution(db, 1, "no-such-vti", NOW) == "unknown"
    async with db.session() as session:
        queued = (await session.exec(text("SELECT chat_id FROM delivery"))).all()
    assert [row[0] for row in queued] == [OLGA.user_id]  # the organizer, not the claimant
    member = await get_member(db, 1)
    assert member is not None and member.institution_id == "inefop"
    assert member.verified_institution_id is None
    assert [m.user_id for m in await resolve_audience(db, ["institution:inefop"])] == []
    page, total = await store.pending_claims(db)
    assert total == 1 and page[0].member.user_id == 1 and page[0].institution.id == "inefop"

    done = await store.decide(db, 1, "inefop", OLGA, NOW, confirm=True)
    assert done.outcome == "done" and done.status == store.CONFIRMED
    again = await store.decide(db, 1, "inefop", ROOT, NOW, confirm=False)
    assert (again.outcome, again.status, again.by) == ("already", store.CONFIRMED, "Olga")
    assert (await store.decide(db, 1, "utu", ROOT, NOW, confirm=True)).outcome == "gone"
    member = await get_member(db, 1)
    assert member is not None and member.verified_institution_id == "inefop"
    assert [m.user_id for m in await resolve_audience(db, ["institution:inefop"])] == [1]
    assert (await store.pending_claims(db))[1] == 0

    # a new claim drops the confirmed membership; "other / none" drops everything
    assert await store.claim_institution(db, 1, "senai", NOW) == "claimed"
    member = await get_member(db, 1)
    assert member is not None and member.verified_institution_id is None
    await store.clear_institution(db, 1, NOW)
    assert await store.membership_of(db, 1) is None
    assert (await store.decide(db, 1, "senai", OLGA, NOW, confirm=True)).outcome == "gone"


async def test_two_organizers_decide_at_once(db: Database) -> None:
    await seed_institutions(db)
    await person(db, 2)
    await store.claim_institution(db, 2, "utu", NOW)
    results = await asyncio.gather(
        store.decide_safely(db, 2, "utu", OLGA, NOW, confirm=True),
        store.decide_safely(db, 2, "utu", ROOT, NOW, confirm=False),
    )
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == ["already", "done"]
    winner = next(r for r in results if r.outcome == "done")
    loser = next(r for r in results if r.outcome == "already")
    assert loser.by == winner.by and loser.status == winner.status
    member = await get_member(db, 2)
    assert member is not None
    expected = "utu" if winner.status == store.CONFIRMED else None
    assert member.verified_institution_id == expected


async def test_confirm_all_and_rejection(db: Database) -> None:
    await seed_institutions(db)
    for user_id, institution in ((3, "senai"), (4, "sena"), (5, "fundae")):
        await person(db, user_id)
        await store.claim_institution(db, user_id, institution, NOW)
    rejected = await store.decide(db, 5, "fundae", OLGA, NOW, confirm=False)
    assert rejected.outcome == "done" and rejected.status == store.REJECTED
    told: list[tuple[str, int]] = []

    def notify(institution: Institution) -> store.Drafts:
        def drafts(members: Sequence[Member]) -> list[DeliveryDraft]:
            told.extend((institution.id, m.user_id) for m in members)
            return [
                DeliveryDraft(
                    key=f"ok:{m.user_id}",
                    kind="notice",
                    chat_id=m.chat_id,
                    payload={},
                    member_id=m.user_id,
                )
                for m in members
            ]

        return drafts

    assert await store.confirm_all(db, ROOT, NOW, notify) == 2
    assert await store.confirm_all(db, ROOT, NOW, notify) == 0
    assert sorted(told) == [("sena", 4), ("senai", 3)]  # each member told, once
    async with db.session() as session:
        queued = (await session.exec(text("SELECT chat_id FROM delivery"))).all()
    assert sorted(row[0] for row in queued) == [3, 4]
    for user_id, verified in ((3, "senai"), (4, "sena"), (5, None)):
        member = await get_member(db, user_id)
        assert member is not None and member.verified_institution_id == verified
    brazil = await resolve_audience(db, ["country:BR"])
    assert [m.user_id for m in brazil] == [3]


async def test_invitation_codes(db: Database) -> None:
    await seed_institutions(db)
    await person(db, 6)
    await person(db, 7)
    made = await store.create_invite(db, "inefop", OLGA.user_id, NOW, days=30)
    assert made is not None
    code, invite = made
    assert len("inv-" + code) <= 64 and invite.code_hash != code and code not in invite.code_hash
    assert await store.create_invite(db, "no-such-vti", OLGA.user_id, NOW, days=30) is None
    for forged in ("", "x", code.upper() if code.upper() != code else code.lower(), "A" * 16):
        assert (await store.redeem_invite(db, forged, 6, NOW)).outcome == "unknown"
    assert (await store.redeem_invite(db, code, 6, NOW)).outcome == "confirmed"
    assert (await store.redeem_invite(db, code, 6, NOW)).outcome == "already"
    assert (await store.redeem_invite(db, code, 7, NOW)).outcome == "confirmed"  # several
    member = await get_member(db, 6)
    assert member is not None and member.verified_institution_id == "inefop"
    assert member.country == "UY"

    other = await store.create_invite(db, "senai", OLGA.user_id, NOW, days=30)
    assert other is not None
    moved = await store.redeem_invite(db, other[0], 6, NOW)
    assert moved.outcome == "elsewhere" and moved.current is not None
    assert moved.current.id == "inefop"
    late = NOW + timedelta(days=30)
    await person(db, 8)
    assert (await store.redeem_invite(db, other[0], 8, late)).outcome == "expired"
    assert await store.revoke_invites(db, "senai", OLGA.user_id, NOW) == 1
    assert (await store.redeem_invite(db, other[0], 8, NOW)).outcome == "revoked"
    assert await store.revoke_invites(db, "inefop", OLGA.user_id, NOW, invite_id=-1) == 0
    async with db.session() as session:
        stored = await session.get(InstitutionInvite, invite.id)
        assert stored is not None and stored.uses == 2


async def test_migration_marks_memberships_as_claims(database_url: str) -> None:
    await asyncio.to_thread(upgrade_database, database_url, "0002")
    db = Database(database_url)
    try:
        async with db.session() as session:
            await session.exec(
                text(
                    "INSERT INTO institution (id, acronym, name, country, timezone, languages, "
                    "updated_at) VALUES ('utu', 'UTU', '{}', 'UY', 'America/Montevideo', '[]', "
                    ":now)"
                ).bindparams(now=NOW)
            )
            for user_id, institution in ((11, "'utu'"), (12, "NULL")):
                await session.exec(
                    text(
                        "INSERT INTO member (user_id, chat_id, first_name, language, timezone, "
                        "institution_id, role, opted_out, blocked, reminders_enabled, onboarded, "
                        f"created_at, updated_at) VALUES ({user_id}, {user_id}, 'A', 'es', "
                        f"'America/Montevideo', {institution}, 'member', false, false, true, "
                        "true, :now, :now)"
                    ).bindparams(now=NOW)
                )
        await db.upgrade()
        claim = await store.membership_of(db, 11)
        assert claim is not None and (claim.status, claim.via) == ("claimed", "migration")
        assert await store.membership_of(db, 12) is None
        member = await get_member(db, 11)
        assert member is not None and member.verified_institution_id is None
        assert await store.confirm_all(db, ROOT, NOW) == 1
        async with db.session() as session:
            assert (await session.exec(text("SELECT count(*) FROM delivery"))).one()[0] == 0
    finally:
        await db.dispose()


async def test_forgetting_a_member_forgets_the_claim(db: Database) -> None:
    await seed_institutions(db)
    await person(db, 20)
    await store.claim_institution(db, 20, "utu", NOW)
    assert await forget_member(db, 20)
    assert await store.membership_of(db, 20) is None
    assert (await store.pending_claims(db))[1] == 0


async def test_a_broadcast_says_whom_a_waiting_claim_leaves_out(db: Database) -> None:
    """An institution or country audience counts confirmed members; those whose claim waits
    are counted apart ("not included"), once, and with the audience's other selectors."""
    from storage.broadcasts import count_recipients

    await seed_institutions(db)
    for user_id in (1, 2, 3):
        await person(db, user_id)
    await store.claim_institution(db, 1, "inefop", NOW, country="UY")
    await store.claim_institution(db, 2, "inefop", NOW, country="UY")
    await store.decide(db, 2, "inefop", OLGA, NOW, confirm=True)
    await store.claim_institution(db, 3, "senai", NOW, country="BR")
    await update_member(db, 3, language="pt")

    by_institution = await count_recipients(db, ["institution:inefop"])
    assert (by_institution.people, by_institution.waiting) == (1, 1)
    by_country = await count_recipients(db, ["country:UY", "country:BR"])
    assert (by_country.people, by_country.waiting) == (1, 2)
    assert (await count_recipients(db, ["country:BR", "language:es"])).waiting == 0
    assert (await count_recipients(db, ["country:BR", "language:pt"])).waiting == 1
    everyone = await count_recipients(db, ["all"])
    assert (everyone.people, everyone.waiting) == (3, 0)  # "all" leaves nobody out
    await store.decide(db, 1, "inefop", OLGA, NOW, confirm=False)
    assert (await count_recipients(db, ["institution:inefop"])).waiting == 0  # rejected
