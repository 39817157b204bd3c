"""End-to-end over the emulator: /editevent, /cancelevent, /attendees, muting, forged and
stale event buttons, an event with a 64-character id, and the all-day path of /newevent."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from bot.devtools.local import LocalBot
from storage import reminders as store
from storage.catalog import get_event
from storage.drafts import get_draft
from storage.members import update_member
from tests.clock import FakeClock as Clock
from tests.conftest import ADMIN_ID
from tests.e2e.test_reminders_e2e import (
    START,
    ZONES,
    add_event,
    clocked,
    members,
    tick,
    videoconference,
)

__all__ = ["clocked"]  # the fixture, shared with the reminder tests
LONG_ID = "outlook-" + "0123456789abcdef" * 3 + "01234567"  # 64 characters, as from an .ics


async def admin_in_madrid(bot: LocalBot):  # type: ignore[no-untyped-def]
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/help")
    await admin.next_message()
    await update_member(bot.db, ADMIN_ID, timezone="Europe/Madrid", onboarded=True)
    return admin


async def test_editevent_link_then_time(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference())
    admin = await admin_in_madrid(bot)
    await admin.send("/editevent vc-cert")
    menu = await admin.next_message()
    assert "Competency certification" in menu.text
    await admin.press(menu, "Link")
    asked = await admin.next_message()
    assert "join link" in asked.text
    await admin.send("https://example.org/j/99")
    assert "Saved. /event vc-cert" in (await admin.next_message()).text
    event = await get_event(bot.db, "vc-cert")
    assert event is not None and event.join_url == "https://example.org/j/99"

    await admin.send("/editevent vc-cert")
    menu = await admin.next_message()
    await admin.press(menu, "🕒 Date and time")
    await admin.next_message()
    await admin.send("2026-12-04")
    await admin.next_message()
    await admin.send("15:30")
    zone = await admin.next_message()
    await admin.press(zone, "Montevideo")  # the zone as its city
    duration = await admin.next_message()
    await admin.press(duration, "2 h")
    saved = await admin.next_message()
    assert "New time saved" in saved.text
    event = await get_event(bot.db, "vc-cert")
    assert event is not None
    assert event.starts_at == datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    assert event.ends_at - event.starts_at == timedelta(hours=2)
    assert await get_draft(bot.db, "event", ADMIN_ID) is None
    query = await admin.press(menu, "Title")  # the menu of a finished edit
    assert "no longer valid" in (await admin.next_callback_answer(query))["text"]


async def test_editevent_title_keeps_the_other_languages(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference())
    admin = await admin_in_madrid(bot)
    await admin.send("/editevent vc-cert")
    menu = await admin.next_message()
    await admin.press(menu, "Title")
    asked = await admin.next_message()
    assert "New event" not in asked.text and "stay as they are" in asked.text
    assert "• Portuguese: Certificação de competências" in asked.text
    await admin.send("Competency certification 2027")
    which = await admin.next_message()
    await admin.press(which, "English")
    more = await admin.next_message()
    assert "Titles so far: Spanish, Portuguese, and English." in more.text
    await admin.press(more, "Next ▶")
    assert "Saved. /event vc-cert" in (await admin.next_message()).text
    event = await get_event(bot.db, "vc-cert")
    assert event is not None and event.title == {
        "es": "Certificación de competencias",
        "pt": "Certificação de competências",
        "en": "Competency certification 2027",
    }


async def test_cancelevent_no_then_yes_and_members_are_told(
    clocked: tuple[LocalBot, Clock],
) -> None:
    bot, clock = clocked
    users = await members(bot, {3003: ZONES[3003]})
    await add_event(bot.db, videoconference())
    await tick(bot, clock, START - timedelta(days=1))
    madrid = users[3003]
    await madrid.next_message()
    admin = await admin_in_madrid(bot)
    await admin.send("/cancelevent vc-cert")
    question = await admin.next_message()
    await admin.press(question, "No")
    await bot.emulator.wait_for(lambda: "Nothing was changed" in question.text)
    await admin.send("/cancelevent vc-cert")
    question = await admin.next_message()
    await admin.press(question, "Yes, cancel it")
    await bot.emulator.wait_for(lambda: "Cancelled." in question.text)
    await admin.send("/cancelevent vc-cert")
    assert "already cancelled" in (await admin.next_message()).text
    await tick(bot, clock, START - timedelta(hours=2))
    assert "cancel" in (await madrid.next_message()).text.lower()


async def test_attendees_mute_and_forged_rsvp(clocked: tuple[LocalBot, Clock]) -> None:
    bot, clock = clocked
    users = await members(bot, {3001: ZONES[3001], 3002: ZONES[3002], 3003: ZONES[3003]})
    await add_event(bot.db, videoconference())
    await tick(bot, clock, START - timedelta(days=1))
    reminders = {uid: await user.next_message() for uid, user in users.items()}
    await users[3001].press(reminders[3001], "✅ Asistiré")
    await users[3002].press(reminders[3002], "🤔 Talvez")
    query = await users[3003].press(reminders[3003], "🔕 Silenciar")
    muted = await users[3003].next_callback_answer(query)
    assert "No recibirás más recordatorios" in muted["text"]
    # each reminder now shows the answer given on its button, and only that one
    await bot.emulator.wait_for(lambda: "🔘 🔕 Silenciar" in reminders[3003].button_texts())
    await bot.emulator.wait_for(lambda: "🔘 ✅ Asistiré" in reminders[3001].button_texts())
    assert sum(t.startswith("🔘") for t in reminders[3001].button_texts()) == 1
    await users[3001].press(reminders[3001], "🤔 Tal vez")  # a change moves the mark
    await bot.emulator.wait_for(lambda: "🔘 🤔 Tal vez" in reminders[3001].button_texts())
    assert "✅ Asistiré" in reminders[3001].button_texts()
    await users[3001].press(reminders[3001], "🔘 🤔 Tal vez")  # pressed again: unchanged
    await users[3001].press(reminders[3001], "✅ Asistiré")
    await bot.emulator.wait_for(lambda: "🔘 ✅ Asistiré" in reminders[3001].button_texts())
    assert reminders[3001].button_texts()[0] == "▶️ Unirme"  # the other buttons stay
    for data in ("rv:vc-cert:q", "rv:y:vc-cert", "rv:no-such-event:y", "rv:²:y"):
        query = await users[3003].press_data(reminders[3003].message_id, data)
        assert "ya no es válido" in (await users[3003].next_callback_answer(query))["text"]
    await tick(bot, clock, START - timedelta(hours=1))
    await users[3003].expect_silence(0.3)  # muted
    assert "dentro de 1 hora" in (await users[3001].next_message()).text

    admin = await admin_in_madrid(bot)
    await admin.send("/attendees vc-cert")
    summary = await admin.next_message()
    assert "Will attend: 1 · maybe: 1 · can't: 0" in summary.text and "• M3001" in summary.text
    sheet = await admin.next_message()
    assert sheet.document is not None
    rows = list(csv.reader(io.StringIO(sheet.document.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "answer" and sorted(r[-1] for r in rows[1:]) == ["maybe", "yes"]


async def test_a_64_character_id_gets_every_button(clocked: tuple[LocalBot, Clock]) -> None:
    bot, clock = clocked
    assert len(LONG_ID) == 64
    users = await members(bot, {3004: ZONES[3004]})
    await add_event(bot.db, videoconference(id=LONG_ID))
    await tick(bot, clock, START - timedelta(days=1))
    user = users[3004]
    reminder = await user.next_message()
    assert reminder.button_texts()[1:] == [
        "✅ I'll attend",
        "🤔 Maybe",
        "❌ Can't",
        "📅 Add to calendar",
        "🔕 Mute",
    ]
    assert all(len(d.encode()) <= 64 for d in reminder.button_data())
    query = await user.press(reminder, "✅ I'll attend")
    assert "you will attend" in (await user.next_callback_answer(query))["text"]
    assert [r.status for _, r in await store.attendance(bot.db, LONG_ID)] == ["yes"]
    await user.press(reminder, "📅 Add to calendar")
    assert (await user.next_message()).document is not None
    await user.send("/events")
    listing = await user.next_message()
    await user.press(listing, "1. Competency certification")
    card = await user.next_message()
    assert "Competency certification" in card.text and LONG_ID in card.text


async def test_newevent_all_day_with_buttons_only(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    admin = await admin_in_madrid(bot)
    await admin.send("/newevent")
    await admin.next_message()
    await admin.send("Jornada de formación dual")
    language = await admin.next_message()
    await admin.send("Spanish")  # a typed answer where a button is expected
    assert "use the buttons" in (await admin.next_message()).text
    await admin.press(language, "Español")
    more = await admin.next_message()
    await admin.press(more, "+ Another language")
    await admin.next_message()
    await admin.send("Dia da formação dual")
    language = await admin.next_message()
    await admin.press(language, "Português")
    more = await admin.next_message()
    assert "Titles so far: Spanish and Portuguese." in more.text  # names in the reader's words
    await admin.press(more, "Next ▶")
    await admin.next_message()
    await admin.send("10/12/2026")
    day_time = await admin.next_message()
    await admin.press(day_time, "All day")
    zone = await admin.next_message()
    assert "In which time zone is the event held?" in zone.text  # no time "of that time"
    await admin.press(zone, "Madrid")  # the zone as its city
    days = await admin.next_message()
    await admin.send("40")
    assert "from 1 to 31" in (await admin.next_message()).text
    await admin.press(days, "2")
    platform = await admin.next_message()
    await admin.press(platform, "In person")
    await admin.next_message()
    await admin.send("Montevideo, Uruguay")
    audience = await admin.next_message()
    await admin.press(audience, "Only those who confirm")
    offsets = await admin.next_message()
    assert "“starting now” message always goes" in offsets.text  # in person: no link promised
    assert "link" not in offsets.text
    stale = await admin.press(audience, "Everyone")  # a button of an earlier step
    assert "no longer valid" in (await admin.next_callback_answer(stale))["text"]
    await admin.press(offsets, "1 h before")
    preview = await admin.next_message()
    assert "Thursday, December 10, 2026" in preview.text and "2 days" in preview.text
    assert "only those who confirm" in preview.text and "1h before" in preview.text
    await admin.press(preview, "✅ Create")
    created = await admin.next_message()
    # issue 15: a short id that says nothing of the date (it stays true when the event moves)
    found = re.search(r"/event (jornada-de-[a-z0-9]{4})\b", created.text)
    assert found is not None and len(found[1]) <= 24
    event = await get_event(bot.db, found[1])
    assert event is not None and event.all_day and event.location == "Montevideo, Uruguay"
    assert event.audience == [f"event:{found[1]}"]
    assert event.title == {"es": "Jornada de formación dual", "pt": "Dia da formação dual"}
    assert event.starts_at == datetime(2026, 12, 9, 23, 0, tzinfo=UTC)  # midnight in Madrid
    assert event.ends_at - event.starts_at == timedelta(days=2) and event.reminders == [60]


async def test_newevent_cancel_button_and_cancel_command(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    admin = await admin_in_madrid(bot)
    await admin.send("/newevent")
    first = await admin.next_message()
    await admin.press(first, "Cancel")
    await bot.emulator.wait_for(lambda: "Nothing was changed" in first.text)
    assert await get_draft(bot.db, "event", ADMIN_ID) is None
    query = await admin.press_data(first.message_id, "nel:es")  # no draft any more
    assert "no longer valid" in (await admin.next_callback_answer(query))["text"]
    await admin.send("/newevent")
    await admin.next_message()
    await admin.send("/cancel")
    assert "Cancelled" in (await admin.next_message()).text
    await admin.send("Just a question about courses")  # no draft: not a title any more
    reply = await admin.next_message()
    assert "Which language" not in reply.text
    member = bot.emulator.user(user_id=3999, first_name="Ana", language_code="en")
    await member.send("/newevent")
    assert "only organizers and admins" in (await member.next_message()).text
    await member.send("/cancel")  # a member half-way through the setup hears of it
    assert "setup is not finished" in (await member.next_message()).text
    await update_member(bot.db, ADMIN_ID, onboarded=False)  # staff need no setup wizard
    await admin.send("/cancel")
    nothing = await admin.next_message()
    assert "nothing to cancel" in nothing.text and "setup" not in nothing.text


async def test_a_cancel_left_from_an_earlier_newevent_does_not_stop_an_editevent(
    clocked: tuple[LocalBot, Clock],
) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference())
    admin = await admin_in_madrid(bot)
    await admin.send("/newevent")
    first = await admin.next_message()
    await admin.send("/cancel")
    await admin.next_message()
    await admin.send("/editevent vc-cert")
    menu = await admin.next_message()
    cancel = next(b for row in first.buttons for b in row if b.text == "Cancel")
    query = await admin.press_data(first.message_id, cancel.callback_data)
    assert "no longer valid" in (await admin.next_callback_answer(query)).get("text", "")
    draft = await get_draft(bot.db, "event", ADMIN_ID)
    assert draft is not None and draft["editing"] == "vc-cert"
    await admin.press(menu, "Link")  # the edit goes on
    assert "join link" in (await admin.next_message()).text
