"""End-to-end: /whoami, /members (pages and filters), /grant and /revoke by @username and
by reply to a forwarded message, /grant @nobody, and ADMIN_IDS admins."""

from __future__ import annotations

import pytest

from bot.devtools.emulator import EmulatedUser
from bot.devtools.local import LocalBot
from storage.audit import recent_entries
from storage.members import get_member, update_member
from storage.models import Institution
from tests.conftest import ADMIN_ID

pytestmark = pytest.mark.strict_api


async def admin_of(bot: LocalBot) -> EmulatedUser:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/help")
    await admin.next_message()
    return admin


async def someone(
    bot: LocalBot, user_id: int, name: str, username: str | None = None, **fields: object
) -> EmulatedUser:
    user = bot.emulator.user(
        user_id=user_id, first_name=name, username=username, language_code="en"
    )
    await user.send("/help")
    await user.next_message()
    if fields:
        await update_member(bot.db, user_id, **fields)
    return user


async def add_institution(bot: LocalBot) -> None:
    async with bot.db.session() as session:
        session.add(
            Institution(
                id="inatec",
                acronym="INATEC",
                name={"en": "National Technological Institute"},
                country="NI",
                timezone="America/Managua",
            )
        )


async def test_whoami_for_a_member_and_the_configured_admin(bot: LocalBot) -> None:
    await add_institution(bot)
    eva = await someone(bot, 5001, "Eva", country="NI", institution_id="inatec")
    await eva.send("/whoami")
    card = (await eva.next_message()).text
    assert "5001" in card and "member" in card
    assert "INATEC" in card and "Nicaragua" in card
    assert "(awaiting confirmation)" in card  # a claim, not yet confirmed
    await update_member(bot.db, 5001, verified_institution_id="inatec")
    await eva.send("/whoami")
    card = (await eva.next_message()).text
    assert "INATEC" in card and "awaiting" not in card

    admin = await admin_of(bot)
    await admin.send("/whoami")
    mine = (await admin.next_message()).text
    assert str(ADMIN_ID) in mine and "admin (configured in ADMIN_IDS)" in mine


async def test_members_pages_and_filters(bot: LocalBot) -> None:
    await add_institution(bot)
    for n in range(12):
        await someone(bot, 5100 + n, f"Person{n:02d}", country="UY" if n % 2 else "NI")
    await update_member(bot.db, 5101, institution_id="inatec", role="organizer")
    admin = await admin_of(bot)
    await admin.send("/members")
    first = await admin.next_message()
    assert "(13)" in first.text and "page 1 of 2" in first.text
    assert "5100" in first.text and "Person00" in first.text
    assert first.button_texts() == ["▶"]
    await admin.press(first, "▶")
    await bot.emulator.wait_for(lambda: "page 2 of 2" in first.text)
    assert "Root" in first.text and first.button_texts() == ["◀"]

    await admin.send("/members country:uy")
    uruguay = (await admin.next_message()).text
    assert "(6)" in uruguay and "5101" in uruguay and "5100" not in uruguay
    await admin.send("/members role:organizer institution:inatec")
    only = (await admin.next_message()).text
    assert "(1)" in only and "Person01" in only and "INATEC (awaiting confirmation)" in only
    await update_member(bot.db, 5101, verified_institution_id="inatec")
    await admin.send("/members role:organizer institution:inatec")
    only = (await admin.next_message()).text
    assert "INATEC" in only and "awaiting" not in only
    await admin.send("/members language:es")
    assert "Usage: /members" in (await admin.next_message()).text
    query = await admin.press_data(first.message_id, "mbr:99999999:::")
    assert "no longer valid" in (await admin.next_callback_answer(query))["text"]

    member = bot.emulator.user(user_id=5100)
    await member.send("/members")
    assert "only organizers" in (await member.next_message()).text.lower()


async def test_grant_by_username_and_nobody(bot: LocalBot) -> None:
    await someone(bot, 5201, "Leo", username="Leo_Cinterfor")
    admin = await admin_of(bot)
    await admin.send("/grant @leo_cinterfor organizer")
    assert "Leo (5201) is now organizer" in (await admin.next_message()).text
    await admin.send("/revoke @LEO_CINTERFOR")
    assert "is now member" in (await admin.next_message()).text

    await admin.send("/grant @nobody organizer")
    refusal = (await admin.next_message()).text
    assert "@nobody" in refusal and "talked to me" in refusal
    entries = await recent_entries(bot.db)
    assert entries[0].action == "grant refused" and entries[0].target == "@nobody"
    leo = await get_member(bot.db, 5201)
    assert leo is not None and leo.role == "member"


async def test_grant_by_reply_to_a_forwarded_message(bot: LocalBot) -> None:
    ada = await someone(bot, 5301, "Ada")
    admin = await admin_of(bot)
    forward = await admin.forward("Hello, I'm Ada", origin=ada)
    await admin.next_message()  # the bot answers the forwarded text as a question
    await admin.send("/grant organizer", reply_to=forward)
    assert "Ada (5301) is now organizer" in (await admin.next_message()).text
    await admin.send("/revoke", reply_to=forward)
    assert "Ada (5301) is now member" in (await admin.next_message()).text

    hidden = await admin.forward("A hidden sender", origin=None)
    await admin.next_message()
    await admin.send("/grant organizer", reply_to=hidden)
    assert "hidden" in (await admin.next_message()).text
    assert (await recent_entries(bot.db))[0].action == "grant refused"


async def test_grant_on_a_configured_admin_changes_nothing(bot: LocalBot) -> None:
    admin = await admin_of(bot)
    await admin.send(f"/grant {ADMIN_ID} organizer")
    assert "ADMIN_IDS" in (await admin.next_message()).text
    await admin.send(f"/grant {ADMIN_ID}")
    assert "ADMIN_IDS" in (await admin.next_message()).text
    me = await get_member(bot.db, ADMIN_ID)
    assert me is not None and me.role == "admin"
    entry = (await recent_entries(bot.db))[0]
    assert entry.action == "grant refused" and entry.details == {
        "reason": "configured in ADMIN_IDS"
    }
    await admin.send("/members role:admin")
    assert "admin (configured in ADMIN_IDS)" in (await admin.next_message()).text
