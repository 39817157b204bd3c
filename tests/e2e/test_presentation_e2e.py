"""End-to-end over the emulator: what a person sees of the bot around the chat. Its name and
descriptions per language (set once, not again on a restart), command menus per role,
link previews, the updates asked for, a block seen at once, and no state carried from one
bot instance to the next in the same process."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.app.updates import ALLOWED_UPDATES
from bot.devtools.emulator import BotAPIEmulator
from bot.devtools.local import LocalBot, local_bot
from bot.devtools.sample import load_sample_data
from bot.jobs.reminders import scheduler_of
from storage import events as event_store
from storage.members import get_member, update_member
from storage.models import Event
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID

pytestmark = pytest.mark.strict_api
ANA = ('{"chat_id": 4501, "type": "chat"}', "")  # her chat's menu in the emulator
PROFILE_METHODS = ("setMyName", "setMyDescription", "setMyShortDescription", "setMyCommands")


def sent(emu: BotAPIEmulator, method: str) -> int:
    return len([c for c in emu.calls_of(method) if c.status == 200])


async def test_profile_per_language_and_idempotent(sqlite_url: str) -> None:
    emu = BotAPIEmulator()
    await emu.start()
    try:
        async with local_bot(database_url=sqlite_url, emulator=emu):
            pass
        names = {code: emu.profile[("name", code)] for code in ("es", "pt", "en", "")}
        assert names == {
            "es": "Red OIT/Cinterfor",
            "pt": "Rede OIT/Cinterfor",
            "en": "ILO/Cinterfor Network",
            "": "Red OIT/Cinterfor",  # everybody else: the default language (es)
        }
        for code in ("es", "pt", "en", ""):
            assert 0 < len(emu.profile[("short_description", code)]) <= 120
            assert 0 < len(emu.profile[("description", code)]) <= 512
        assert "formação" in emu.profile[("short_description", "pt")]
        assert "Start" in emu.profile[("description", "en")]
        first = {method: sent(emu, method) for method in PROFILE_METHODS}
        assert first == dict.fromkeys(PROFILE_METHODS, 4)
        async with local_bot(database_url=sqlite_url, emulator=emu, migrate=False):
            pass  # a restart (or a second replica) finds everything in place
        assert {method: sent(emu, method) for method in PROFILE_METHODS} == first
        assert emu.count("getMyName") == 8
    finally:
        await emu.stop()


async def test_menus_follow_the_role_and_the_language(sqlite_url: str) -> None:
    emu = BotAPIEmulator()
    await emu.start()
    try:
        async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), emulator=emu):
            admin = emu.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
            ana = emu.user(user_id=4501, first_name="Ana", language_code="pt")
            for person in (admin, ana):
                await person.send("/help")
                await person.next_message()
            assert "grant" in (emu.menu_of(ADMIN_ID, "en") or [])  # a configured admin
            member_menu = emu.menu_of(4501, "pt")
            assert member_menu is not None and "newevent" not in member_menu
            await admin.send("/grant 4501 organizer")
            await admin.next_message()
            await emu.wait_for(lambda: "newevent" in (emu.menu_of(4501, "pt") or []))
            menu = emu.menu_of(4501, "pt") or []
            assert "grant" not in menu and "help" in menu
            scoped = emu.commands[ANA]
            assert "evento" in next(c for c in scoped if c["command"] == "newevent")["description"]
            await ana.send("/language es")  # the organizer's menu follows their language
            await ana.next_message()
            await emu.wait_for(
                lambda: (
                    "Crear un evento"
                    in [
                        c["description"]
                        for c in emu.commands[('{"chat_id": 4501, "type": "chat"}', "")]
                    ]
                )
            )
            await admin.send("/revoke 4501")
            await admin.next_message()
            await emu.wait_for(lambda: emu.menu_of(4501, "pt") == member_menu)
        # At start: the menus of the organizers and admins there are (the admin, by now).
        emu.commands.pop(('{"chat_id": 9000, "type": "chat"}', ""))
        async with local_bot(
            database_url=sqlite_url, admin_ids=(ADMIN_ID,), emulator=emu, migrate=False
        ):
            assert "grant" in (emu.menu_of(ADMIN_ID, "en") or [])
            assert "newevent" not in (emu.menu_of(4501, "es") or [])
    finally:
        await emu.stop()


def videoconference(start: datetime) -> Event:
    return Event(
        id="vc-preview",
        title={"es": "Certificación", "pt": "Certificação", "en": "Certification"},
        kind="videoconference",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        timezone="America/Montevideo",
        platform="Zoom",
        join_url="https://example.org/j/42",
        audience=["all"],
    )


async def test_no_link_preview_where_a_join_link_is(sqlite_url: str) -> None:
    start = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    clock = FakeClock(start - timedelta(days=2))
    async with local_bot(database_url=sqlite_url, clock=clock) as bot:
        user = bot.emulator.user(user_id=4601, first_name="Eva", language_code="en")
        await user.send("/help")
        await user.next_message()
        await update_member(bot.db, 4601, onboarded=True)
        await event_store.create_event(
            bot.db, videoconference(start), actor_id=0, actor_name="test"
        )
        clock.set(start - timedelta(days=1))
        await scheduler_of(bot.application).run(bot.application)
        assert bot.services.delivery is not None
        await bot.services.delivery.run_until_idle(20, horizon=0)
        reminder = await user.next_message()
        assert "example.org/j/42" in reminder.text and reminder.preview_disabled
        await user.send("/event vc-preview")
        card = await user.next_message()
        assert "example.org/j/42" in card.text and card.preview_disabled
        await load_sample_data(bot.db, bot.settings, now=bot.services.now())
        await user.send("/course big-data-2021")
        course = await user.next_message()
        assert not course.preview_disabled  # a course's page keeps its card


async def became(bot: LocalBot, user_id: int, blocked: bool) -> bool:
    """Whether the member's ``blocked`` flag turns to ``blocked`` within five seconds."""
    for _ in range(250):
        member = await get_member(bot.db, user_id)
        if member is not None and member.blocked is blocked:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_allowed_updates_and_a_block_seen_at_once(bot: LocalBot) -> None:
    emu = bot.emulator
    user = emu.user(user_id=4701, first_name="Iris", language_code="es")
    await user.send("/start")
    await user.next_message()
    asked = emu.calls_of("getUpdates")[0].params.get("allowed_updates")
    assert asked == ["message", "callback_query", "my_chat_member"] == ALLOWED_UPDATES
    emu.user_blocks_bot(4701)
    assert await became(bot, 4701, True)
    emu.user_blocks_bot(4701, blocked=False)
    assert await became(bot, 4701, False)
    assert await get_member(bot.db, 4701) is not None


async def test_two_bot_instances_in_one_process_share_no_chat_state(sqlite_url: str) -> None:
    """Each bot Application starts clean: the same chat id is served by the second one as
    by the first (pacing, holds, caches live in the Application's services)."""
    for round_ in range(2):
        async with local_bot(database_url=sqlite_url, migrate=round_ == 0) as bot:
            user = bot.emulator.user(user_id=3003, first_name="Mar", language_code="es")
            await user.send("/help")
            assert "/start" in (await user.next_message()).text
            bot.application.bot.rate_limiter.budget.hold_chat(3003, 60)  # type: ignore[union-attr]
    async with local_bot(database_url=sqlite_url, migrate=False) as bot:
        user = bot.emulator.user(user_id=3003, first_name="Mar", language_code="es")
        await user.send("/help")
        assert "/start" in (await user.next_message(timeout=5)).text  # no 60 s hold left
