"""End-to-end: roles checked on the server, and the audit log."""

from __future__ import annotations

from bot.devtools.local import LocalBot
from storage.audit import recent_entries
from storage.members import get_member
from tests.conftest import ADMIN_ID


async def test_member_cannot_grant(bot: LocalBot) -> None:
    member = bot.emulator.user(user_id=3001, first_name="Eva", language_code="es")
    await member.send("/grant 3001 admin")
    refusal = await member.next_message()
    assert "solo los administradores" in refusal.text.lower()
    me = await get_member(bot.db, 3001)
    assert me is not None and me.role == "member"
    entries = await recent_entries(bot.db)  # the refusal, audited
    assert [(e.action, e.actor_id, e.target) for e in entries] == [("refused role", 3001, "/grant")]


async def test_admin_grants_and_revokes_with_audit(bot: LocalBot) -> None:
    target = bot.emulator.user(user_id=3002, first_name="Leo", language_code="pt")
    await target.send("/start")
    await target.next_message()
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/grant 3002 organizer")
    done = await admin.next_message()
    assert "Leo (3002) is now organizer" in done.text
    leo = await get_member(bot.db, 3002)
    assert leo is not None and leo.role == "organizer"
    told = await target.next_message()  # Leo hears of it, in Portuguese
    assert "agora é: organizador" in told.text and "/help" in told.text

    await admin.send("/revoke 3002")
    assert "is now member" in (await admin.next_message()).text
    leo = await get_member(bot.db, 3002)
    assert leo is not None and leo.role == "member"
    told = await target.next_message()
    assert "agora é: membro" in told.text and "/help" not in told.text

    entries = await recent_entries(bot.db)
    assert [e.action for e in entries] == ["revoke", "grant"]
    assert entries[1].actor_id == ADMIN_ID and entries[1].target == "3002"

    await admin.send("/audit")
    log = await admin.next_message()
    assert "role given" in log.text and "role taken away" in log.text and "Root" in log.text
    assert "{" not in log.text and "role: organizer · before: member" in log.text


async def test_grant_by_buttons_and_unknown_user(bot: LocalBot) -> None:
    target = bot.emulator.user(user_id=3003, first_name="Ada", language_code="en")
    await target.send("/help")
    await target.next_message()
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/grant 3003")
    choice = await admin.next_message()
    await admin.press(choice, "admin")
    await bot.emulator.wait_for(lambda: "is now admin" in choice.text)
    ada = await get_member(bot.db, 3003)
    assert ada is not None and ada.role == "admin"

    await admin.send("/grant 777777 organizer")
    assert "/start" in (await admin.next_message()).text
    await admin.send("/grant abc superuser")
    assert "Usage" in (await admin.next_message()).text


async def test_forged_admin_callback_is_refused(bot: LocalBot) -> None:
    member = bot.emulator.user(user_id=3004, first_name="Max", language_code="en")
    await member.send("/help")
    help_message = await member.next_message()
    query = await member.press_data(help_message.message_id, "grant:3004:admin")
    answer = await member.next_callback_answer(query)
    assert "only admins" in answer.get("text", "").lower()
    me = await get_member(bot.db, 3004)
    assert me is not None and me.role == "member"
    query = await member.press_data(help_message.message_id, "audit:page:0")
    answer = await member.next_callback_answer(query)
    assert "only admins" in answer.get("text", "").lower()
    await member.expect_silence(0.3)
    entries = await recent_entries(bot.db)  # both refusals audited, by kind of button
    assert sorted((e.action, e.target) for e in entries) == [
        ("refused role", "audit"),
        ("refused role", "grant"),
    ]


async def test_configured_admin_cannot_be_revoked_by_command(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    await admin.send(f"/revoke {ADMIN_ID}")
    assert "ADMIN_IDS" in (await admin.next_message()).text
    me = await get_member(bot.db, ADMIN_ID)
    assert me is not None and me.role == "admin"


async def test_help_groups_commands_by_who_may_use_them(bot: LocalBot) -> None:
    """A member's /help is one list; an admin's has the organizers' and admins' commands
    under their own headings, after the everyday ones, in the reader's language."""
    member = bot.emulator.user(user_id=3011, first_name="Eva", language_code="pt")
    await member.send("/help")
    mine = (await member.next_message()).text
    assert "Pergunte o que quiser" in mine and "/survey" in mine
    assert "Para organizadores" not in mine and "/broadcast" not in mine
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    await admin.send("/help")
    text = (await admin.next_message()).text
    everyday, rest = text.split("Para organizadores")
    organizers, admins = rest.split("Para administradores")
    assert "/survey" in everyday and "/events" in everyday and "/broadcast" not in everyday
    assert "/broadcast" in organizers and "/grant" not in organizers
    assert "/grant" in admins and "/audit" in admins and "Tu rol: administrador" in admins
