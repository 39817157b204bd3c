"""End-to-end over the emulator with a controllable clock: every reminder offset in four
zones, RSVP, moved and cancelled events, a restart across a due time, a daylight-saving
edge, date-only events, and two bot processes on one PostgreSQL sending each reminder once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.devtools.emulator import BotAPIEmulator, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.jobs.reminders import scheduler_of
from storage import events as event_store
from storage import reminders as store
from storage.db import Database
from storage.members import update_member
from storage.models import Event
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.helpers import drain, onboarded, two_processes
from tests.helpers import language_button

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 14:00 in Montevideo
ZONES = {
    3001: ("America/Montevideo", "es", "14:00"),
    3002: ("America/Sao_Paulo", "pt", "14:00"),
    3003: ("Europe/Madrid", "es", "18:00"),
    3004: ("America/Mexico_City", "en", "11:00\u202fAM"),
}


def videoconference(**changes: Any) -> Event:
    values: dict[str, Any] = {
        "id": "vc-cert",
        "title": {
            "es": "Certificación de competencias",
            "pt": "Certificação de competências",
            "en": "Competency certification",
        },
        "kind": "videoconference",
        "starts_at": START,
        "ends_at": START + timedelta(minutes=90),
        "timezone": "America/Montevideo",
        "platform": "Zoom",
        "join_url": "https://example.org/j/42",
        "audience": ["all"],
    }
    values.update(changes)
    return Event(**values)


async def add_event(db: Database, event: Event) -> None:
    await event_store.create_event(db, event, actor_id=0, actor_name="test")


async def members(bot: LocalBot, ids: dict[int, tuple[str, str, str]]) -> dict[int, EmulatedUser]:
    return await onboarded(bot, {uid: (zone, language) for uid, (zone, language, _) in ids.items()})


async def tick(bot: LocalBot, clock: FakeClock, at: datetime) -> None:
    """Move the clock, run a reminder pass, and let the outbox drain."""
    clock.set(at)
    await scheduler_of(bot.application).run(bot.application)
    await drain(bot)


@pytest.fixture
async def clocked(sqlite_url: str) -> AsyncIterator[tuple[LocalBot, FakeClock]]:
    clock = FakeClock(START - timedelta(days=3))
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as bot:
        yield bot, clock


async def test_every_offset_in_four_zones(clocked: tuple[LocalBot, FakeClock]) -> None:
    bot, clock = clocked
    users = await members(bot, ZONES)
    await add_event(bot.db, videoconference())
    await tick(bot, clock, START - timedelta(days=1, seconds=1))
    for user in users.values():
        await user.expect_silence(0.2)

    await tick(bot, clock, START - timedelta(days=1))
    for user_id, user in users.items():
        message = await user.next_message()
        zone, language, local = ZONES[user_id]
        assert local in message.text, (zone, message.text)
        expected = {"es": "dentro de 24 horas", "pt": "em 24 horas", "en": "in 24 hours"}[language]
        assert expected in message.text
        assert "https://example.org/j/42" in message.text
        assert message.button_texts()[0].endswith(("Join", "Unirme", "Entrar", "Participar"))

    await tick(bot, clock, START - timedelta(hours=1))
    for user_id, user in users.items():
        message = await user.next_message()
        expected = {"es": "dentro de 1 hora", "pt": "em 1 hora", "en": "in 1 hour"}
        assert expected[ZONES[user_id][1]] in message.text

    await tick(bot, clock, START)
    for user in users.values():
        message = await user.next_message()
        assert "🔴" in message.text and "example.org/j/42" in message.text

    await tick(bot, clock, START + timedelta(minutes=5))
    for user in users.values():
        await user.expect_silence(0.3)  # each reminder exactly once
    runs = await store.reminder_log(bot.db, "vc-cert")
    assert [(r.slot, r.status, r.recipients) for r in runs] == [
        ("1440", "sent", 4),
        ("60", "sent", 4),
        ("0", "sent", 4),
    ]


async def test_rsvp_no_stops_reminders_and_myevents(clocked: tuple[LocalBot, FakeClock]) -> None:
    bot, clock = clocked
    users = await members(bot, {3001: ZONES[3001], 3002: ZONES[3002]})
    await add_event(bot.db, videoconference())
    await tick(bot, clock, START - timedelta(days=1))
    spanish, portuguese = users[3001], users[3002]
    first = await spanish.next_message()
    query = await spanish.press(first, "❌ No puedo")
    assert "No puedes asistir" in (await spanish.next_callback_answer(query))["text"]
    reminder = await portuguese.next_message()
    query = await portuguese.press(reminder, "✅ Vou participar")
    await portuguese.next_callback_answer(query)  # stored before the next reminder
    await tick(bot, clock, START - timedelta(hours=1))
    await spanish.expect_silence(0.3)
    later = await portuguese.next_message()
    assert "em 1 hora" in later.text
    marked = [t for t in later.button_texts() if t.startswith("🔘")]
    assert marked == ["🔘 ✅ Vou participar"]  # the answer given before, on the new reminder
    await portuguese.send("/myevents")
    mine = await portuguese.next_message()
    assert "Certificação de competências" in mine.text and "✅" in mine.text


async def test_an_organizer_gets_the_join_link_without_onboarding(
    clocked: tuple[LocalBot, FakeClock],
) -> None:
    """The organizers who run an event see its link (registered members only otherwise)."""
    bot, _ = clocked
    organizer = bot.emulator.user(user_id=3091, first_name="Org", language_code="en")
    await organizer.send("/help")
    await organizer.next_message()
    await update_member(bot.db, 3091, role="organizer", onboarded=False)
    newcomer = bot.emulator.user(user_id=3092, first_name="New", language_code="en")
    await newcomer.send("/help")
    await newcomer.next_message()
    await add_event(bot.db, videoconference())
    await organizer.send("/event vc-cert")
    card = await organizer.next_message()
    assert "Link: https://" in card.text and "▶️ Join" in card.button_texts()
    await newcomer.send("/event vc-cert")
    card = await newcomer.next_message()
    assert "Link:" not in card.text and "send /start first" in card.text
    assert "▶️ Join" not in card.button_texts()


async def test_moved_then_cancelled(clocked: tuple[LocalBot, FakeClock]) -> None:
    bot, clock = clocked
    # Chat 3003 again (it was 3103): the notice once went missing when the background
    # reminder pass held the lock and the tick's own pass was skipped (now it waits).
    users = await members(bot, {3003: ZONES[3003]})
    await add_event(bot.db, videoconference())
    await tick(bot, clock, START - timedelta(days=1))
    madrid = users[3003]
    reminder = await madrid.next_message()
    assert "18:00" in reminder.text
    await madrid.next_callback_answer(await madrid.press(reminder, "✅ Asistiré"))
    new_start = START + timedelta(days=1, hours=2)  # Friday 16:00 Montevideo, 20:00 Madrid
    await event_store.move_event(
        bot.db,
        "vc-cert",
        new_start,
        new_start + timedelta(hours=1),
        False,
        actor_id=ADMIN_ID,
        actor_name="Root",
    )
    await tick(bot, clock, START - timedelta(hours=1))  # the old 1 h reminder is not sent
    moved = await madrid.next_message()
    assert "nueva hora" in moved.text.lower() and "20:00" in moved.text
    assert "Antes: <s>jueves, 3 de diciembre de 2026, 18:00" in moved.html  # the start it had
    assert "🔘 ✅ Asistiré" in moved.button_texts()  # the answer given, still marked
    await madrid.expect_silence(0.3)
    await tick(bot, clock, new_start - timedelta(hours=1))
    assert "dentro de 1 hora" in (await madrid.next_message()).text
    await event_store.cancel_event(bot.db, "vc-cert", actor_id=ADMIN_ID, actor_name="Root")
    await tick(bot, clock, new_start - timedelta(minutes=30))
    assert "cancel" in (await madrid.next_message()).text.lower()
    await tick(bot, clock, new_start)
    await madrid.expect_silence(0.3)  # no "starting now" for a cancelled event
    await madrid.press(reminder, "📅 Agregar al calendario")  # a button the phone kept
    document = await madrid.next_message()
    assert document.document is not None and b"STATUS:CANCELLED" in document.document.content
    assert "fue cancelado" in document.body and "quitarlo" in document.body


async def test_date_only_event_reminds_at_nine_the_day_before(
    clocked: tuple[LocalBot, FakeClock],
) -> None:
    bot, clock = clocked
    users = await members(bot, {3001: ZONES[3001], 3003: ZONES[3003]})
    first_day = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # 00:00 on 10 Dec in Montevideo
    await add_event(
        bot.db,
        videoconference(
            id="tc-47",
            kind="meeting",
            starts_at=first_day,
            ends_at=first_day + timedelta(days=2),
            all_day=True,
            platform=None,
            join_url=None,
            location="Montevideo, Uruguay",
        ),
    )
    madrid_nine = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # 09:00 in Madrid (CET)
    montevideo_nine = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
    await tick(bot, clock, madrid_nine - timedelta(seconds=1))
    await users[3003].expect_silence(0.2)
    await tick(bot, clock, madrid_nine)
    assert "mañana" in (await users[3003].next_message()).text
    await users[3001].expect_silence(0.2)
    await tick(bot, clock, montevideo_nine)
    assert "mañana" in (await users[3001].next_message()).text


async def test_daylight_saving_edge(clocked: tuple[LocalBot, FakeClock]) -> None:
    """Madrid changes to summer time on 28 March 2027: "24 h before" is 24 real hours."""
    bot, clock = clocked
    users = await members(bot, {3003: ZONES[3003]})
    start = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST in Madrid
    clock.set(start - timedelta(days=3))
    await add_event(
        bot.db,
        videoconference(
            id="vc-dst",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            timezone="Europe/Madrid",
        ),
    )
    await tick(bot, clock, start - timedelta(days=1, minutes=1))
    await users[3003].expect_silence(0.2)
    await tick(bot, clock, start - timedelta(days=1))  # 09:00 CET on the 27th
    message = await users[3003].next_message()
    assert "10:00" in message.text and "domingo, 28 de marzo de 2027" in message.text


async def test_restart_across_due_time(sqlite_url: str) -> None:
    clock = FakeClock(START - timedelta(days=2))
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        async with local_bot(database_url=sqlite_url, emulator=emulator, clock=clock) as bot:
            users = await members(bot, {3001: ZONES[3001]})
            await add_event(bot.db, videoconference())
            await add_event(
                bot.db,
                videoconference(
                    id="vc-early",
                    starts_at=START - timedelta(minutes=30),
                    ends_at=START + timedelta(minutes=30),
                ),
            )
            await tick(bot, clock, START - timedelta(days=1, hours=2))
        # Down while the 24 h and 1 h reminders of both events fall due.
        clock.set(START - timedelta(minutes=12))
        async with local_bot(database_url=sqlite_url, emulator=emulator, clock=clock) as bot:
            await tick(bot, clock, clock.now())
            user = users[3001]
            late = await user.next_message()
            assert "dentro de 12 minutos" in late.text and "Certificación" in late.text
            await user.expect_silence(0.5)  # one message: the missed 24 h one was skipped
        runs = {
            (r.event_id, r.slot): (r.status, r.note)
            for r in await store.reminder_log(bot.db, "vc-cert")
        }
        assert runs[("vc-cert", "1440")] == ("skipped", "superseded by a later reminder")
        assert runs[("vc-cert", "60")][0] == "sent"
        early = {r.slot: r.status for r in await store.reminder_log(bot.db, "vc-early")}
        assert early == {"1440": "skipped", "60": "skipped", "0": "skipped"}  # had started
    finally:
        await emulator.stop()


async def test_two_processes_on_one_database_send_each_reminder_once(
    database_url: str,
) -> None:
    clock = FakeClock(START - timedelta(days=2))
    async with two_processes(database_url, clock) as (first, second):
        users = await members(first, {3000 + i: ZONES[3001] for i in range(20, 40)})
        await add_event(first.db, videoconference())
        for due in (START - timedelta(days=1), START - timedelta(hours=1), START):
            clock.set(due)
            await asyncio.gather(
                scheduler_of(first.application).run(first.application),
                scheduler_of(second.application).run(second.application),
            )
            await drain(first, second)
        await asyncio.sleep(0.5)
    counts = {uid: len(user.messages) - 1 for uid, user in users.items()}  # minus /help
    assert set(counts.values()) == {3}, counts


async def test_remind_now_and_unknown_event(clocked: tuple[LocalBot, FakeClock]) -> None:
    bot, clock = clocked
    users = await members(bot, {3002: ZONES[3002], 3004: ZONES[3004]})
    await add_event(bot.db, videoconference(reminders=[60]))  # nothing due in between
    clock.set(START - timedelta(hours=3))
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/remind vc-cert")
    assert "Reminder queued for" in (await admin.next_message()).text
    await admin.send("/remind vc-cert")  # a second tap in the same minute sends nothing more
    assert "queued for 0 members" in (await admin.next_message()).text
    assert bot.services.delivery is not None
    await bot.services.delivery.run_until_idle(20, horizon=0)
    assert "em 3 horas" in (await users[3002].next_message()).text
    assert "in 3 hours" in (await users[3004].next_message()).text
    assert "in 3 hours" in (await admin.next_message()).text  # the admin is in "all" too
    clock.set(START + timedelta(minutes=20))  # under way: "starting now", with the link
    await admin.send("/remind vc-cert")
    assert "queued for 3 members" in (await admin.next_message()).text
    await bot.services.delivery.run_until_idle(20, horizon=0)
    assert "🔴" in (await admin.next_message()).text  # no link: the admin never registered
    for user in users.values():
        message = await user.next_message()
        assert "🔴" in message.text and "example.org/j/42" in message.text
        await user.expect_silence(0.3)
    await admin.send("/remind no-such-event")
    assert "no-such-event" in (await admin.next_message()).text


async def test_newevent_conversation_and_bad_input(clocked: tuple[LocalBot, FakeClock]) -> None:
    bot, clock = clocked
    clock.set(datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/help")
    await admin.next_message()
    await update_member(bot.db, ADMIN_ID, timezone="Europe/Madrid", onboarded=True)
    await admin.send("/newevent")
    await admin.next_message()
    await admin.send("Digital skills for youth")
    language = await admin.next_message()
    await admin.press(language, language_button(language, "English"))
    more = await admin.next_message()
    await admin.press(more, "Next ▶")
    await admin.next_message()
    await admin.send("2020-01-01")
    assert "already passed" in (await admin.next_message()).text
    await admin.send("2027-03-28")
    await admin.next_message()
    await admin.send("02:30")
    zone = await admin.next_message()
    await admin.press(zone, "Madrid")  # the zone as its city
    gap = await admin.next_message()
    assert "does not exist" in gap.text and "clocks skip" in gap.text
    await admin.next_message()  # asks for the time again
    await admin.send("10:00")
    zone = await admin.next_message()
    await admin.send("Mars/Olympus")
    assert "I don't know the time zone" in (await admin.next_message()).text
    await admin.send("Madrid")
    duration = await admin.next_message()
    await admin.press(duration, "1 h")
    platform = await admin.next_message()
    await admin.press(platform, "Zoom")
    await admin.next_message()
    await admin.send("not a link")
    assert "not a link" in (await admin.next_message()).text
    await admin.send("https://example.org/j/77")
    audience = await admin.next_message()
    await admin.press(audience, "Everyone")
    asked = await admin.next_message()
    assert "“starting now” message with the link" in asked.text  # it has a link
    await admin.send("24h, -1h")
    assert "offsets" in (await admin.next_message()).text
    await admin.send("31d")
    assert "offsets" in (await admin.next_message()).text
    await admin.send("48h, 30m")
    preview = await admin.next_message()
    assert "Sunday, March 28, 2027" in preview.text and "10:00" in preview.text
    assert "2d, 30m before" in preview.text
    await admin.press(preview, "✅ Create")
    created = await admin.next_message()
    found = re.search(r"/event (digital-skills-for-[a-z0-9]{4})\b", created.text)  # issue 15
    assert found is not None and len(found[1]) <= 24
    event = await store_event(bot, found[1])
    assert event.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert event.reminders == [2880, 30] and event.join_url == "https://example.org/j/77"


async def store_event(bot: LocalBot, event_id: str) -> Event:
    from storage.catalog import get_event

    event = await get_event(bot.db, event_id)
    assert event is not None
    return event
