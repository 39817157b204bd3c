"""Issue 15 over the emulator: topic labels in the reader's language, /events pages with a
button per event, cancelled and finished events (no RSVP, refused, marked), the member's
own RSVP on the card, closed enrolment, and a newcomer arriving through an event's link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot
from storage import reminders as rsvp_store
from storage.members import update_member
from tests.conftest import ADMIN_ID
from tests.e2e import helpers
from tests.e2e.helpers import bot_at
from tests.e2e.test_reminders_e2e import add_event, videoconference

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
NETWORK = """
version: 1
institutions:
  - id: inefop
    acronym: INEFOP
    name: {es: Instituto Nacional de Empleo y Formación Profesional}
    country: UY
    timezone: America/Montevideo
courses:
  - id: datos-2027
    title: {es: "Datos para la formación", en: "Data for training"}
    topics: [big data, Industria 4.0]
    starts: 2027-03-01
    enroll_by: 2027-02-20
    enroll_url: https://example.org/datos
  - id: cerrado-2026
    title: {es: "Curso ya empezado", en: "Course already running"}
    topics: [big-data]
    starts: 2026-11-01
    ends: 2027-02-01
    enroll_by: 2026-10-20
    enroll_url: https://example.org/cerrado
topics:
  - id: Big Data
    text: {es: Datos masivos, pt: Dados massivos, en: Big data}
""".encode()

pytestmark = pytest.mark.strict_api


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with bot_at(sqlite_url, NOW) as running:
        yield running


async def admin_of(bot: LocalBot):  # type: ignore[no-untyped-def]
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send_document("network.yaml", NETWORK, caption="/import")
    assert "Import done" in (await admin.next_message()).text
    await update_member(bot.db, ADMIN_ID, timezone="America/Montevideo", onboarded=True)
    return admin


async def member_in(bot: LocalBot, user_id: int, zone: str, language: str) -> EmulatedUser:
    return await helpers.member_in(bot, user_id, zone, language, first="/help")


async def test_topics_as_written_with_labels_in_the_reader_language(bot: LocalBot) -> None:
    await admin_of(bot)
    ana = await member_in(bot, 7201, "America/Montevideo", "es")
    await ana.send("/course datos-2027")
    card = await ana.next_message()
    assert "Temas: Datos masivos, Industria 4.0" in card.text
    assert "Industria 4 0" not in card.text and "Big data" not in card.text
    await ana.send("/courses")
    listing = await ana.next_message()
    await ana.press(listing, "Tema")
    await bot.emulator.wait_for(lambda: "Elige un filtro" in listing.text)
    assert {"Datos masivos", "Industria 4.0"} <= set(listing.button_texts())
    await ana.press(listing, "Datos masivos")  # filters by the slug big-data
    await bot.emulator.wait_for(lambda: "página 1 de 1" in listing.text)
    assert "Datos para la formación" in listing.text and "Curso ya empezado" in listing.text

    zeca = await member_in(bot, 7202, "America/Sao_Paulo", "pt")
    await zeca.send("/course datos-2027")
    assert "Dados massivos, Industria 4.0" in (await zeca.next_message()).text


async def test_closed_enrolment_shows_no_enrol_button(bot: LocalBot) -> None:
    await admin_of(bot)
    ana = await member_in(bot, 7203, "America/Montevideo", "en")
    await ana.send("/course cerrado-2026")
    closed = await ana.next_message()
    assert "Enrol" not in closed.button_texts()
    assert "Enrolment closed on October 20, 2026." in closed.text
    await ana.send("/course datos-2027")
    assert "Enrol" in (await ana.next_message()).button_texts()


async def fourteen_events(bot: LocalBot) -> None:
    for n in range(1, 15):
        start = NOW + timedelta(days=n)
        await add_event(
            bot.db,
            videoconference(
                id=f"vc-{n:02d}",
                title={"es": f"Videoconferencia {n}", "en": f"Videoconference {n}"},
                starts_at=start,
                ends_at=start + timedelta(hours=1),
            ),
        )


async def test_events_page_through_all_and_each_has_a_button(bot: LocalBot) -> None:
    await admin_of(bot)
    await fourteen_events(bot)
    ana = await member_in(bot, 7204, "America/Montevideo", "en")
    await ana.send("/events")
    listing = await ana.next_message()
    assert "page 1 of 3" in listing.text and "vc-01" not in listing.text  # ids not shown
    assert "1. Videoconference 1" in listing.button_texts() and "◀" not in listing.button_texts()
    await ana.press(listing, "▶")
    await bot.emulator.wait_for(lambda: "page 2 of 3" in listing.text)
    await ana.press(listing, "▶")
    await bot.emulator.wait_for(lambda: "page 3 of 3" in listing.text)
    assert "14. Videoconference 14" in listing.button_texts() and "▶" not in listing.button_texts()
    await ana.press(listing, "14. Videoconference 14")
    card = await ana.next_message()
    assert "<b>Videoconference 14</b>" in (card.html or "") and "✅ I'll attend" in (
        card.button_texts()
    )
    query = await ana.press_data(listing.message_id, "evp:99999:0")
    assert "no longer valid" in (await ana.next_callback_answer(query))["text"]

    admin = bot.emulator.user(user_id=ADMIN_ID)
    await admin.send("/events")
    staff = await next_with(admin, "Upcoming events")  # reminders of the events come too
    assert "vc-01" in staff.text  # organizers see the ids /editevent asks for


async def test_cancelled_and_finished_events_take_no_rsvp(bot: LocalBot) -> None:
    await admin_of(bot)
    start = NOW + timedelta(days=2)
    await add_event(
        bot.db, videoconference(id="vc-off", starts_at=start, ends_at=start + timedelta(hours=1))
    )
    await add_event(
        bot.db,
        videoconference(
            id="vc-done", starts_at=NOW - timedelta(days=1), ends_at=NOW - timedelta(hours=23)
        ),
    )
    ana = await member_in(bot, 7205, "America/Montevideo", "en")
    await ana.send("/event vc-off")
    card = await ana.next_message()
    pressed = await ana.press(card, "✅ I'll attend")
    assert "you will attend" in (await ana.next_callback_answer(pressed))["text"]
    await ana.send("/event vc-off")
    again = await ana.next_message()
    assert "🔘 ✅ I'll attend" in again.button_texts()  # the card shows your own RSVP
    await bot.emulator.wait_for(lambda: "🔘 ✅ I'll attend" in card.button_texts())
    assert "Your answer" not in again.text  # on the button only: a tap keeps it true

    admin = bot.emulator.user(user_id=ADMIN_ID)
    await admin.send("/cancelevent vc-off")
    confirm = await admin.next_message()
    await admin.press(confirm, "Yes, cancel it")
    await bot.emulator.wait_for(lambda: "Cancelled." in confirm.text)

    await ana.send("/event vc-off")
    cancelled = await next_with(ana, "Share:")  # after the notice of the cancellation
    assert "cancelled" in cancelled.text and "✅ I'll attend" not in cancelled.button_texts()
    assert "Link:" not in cancelled.text and "▶️ Join" not in cancelled.button_texts()
    await admin.send("/editevent vc-off")  # refused at once, not after every step
    refused = await admin.next_message()
    assert "was cancelled: it can no longer be edited" in refused.text
    assert not refused.button_texts()
    forged = await ana.press_data(cancelled.message_id, "rv:vc-off:y")
    assert "cancelled" in (await ana.next_callback_answer(forged))["text"]
    await ana.send("/myevents")
    mine = await next_with(ana, "Your events")
    assert "❌" in mine.text and "This event was cancelled" in mine.text

    await ana.send("/event vc-done")
    over = await ana.next_message()
    assert "✅ I'll attend" not in over.button_texts()
    late = await ana.press_data(over.message_id, "rv:vc-done:y")
    assert "is over" in (await ana.next_callback_answer(late))["text"]
    answer = await rsvp_store.rsvp_of(bot.db, "vc-done", 7205)
    assert answer is None  # nothing was recorded


async def test_newcomer_from_an_event_link_is_onboarded_then_shown_the_event(
    bot: LocalBot,
) -> None:
    await admin_of(bot)
    await add_event(
        bot.db,
        videoconference(
            starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=1)
        ),
    )
    newcomer = bot.emulator.user(user_id=7206, first_name="Zé", language_code="pt")
    await newcomer.send("/start event-vc-cert")
    welcome = await newcomer.next_message()
    assert "Olá, Zé" in welcome.text and "Português" in welcome.button_texts()
    await newcomer.press(welcome, "Português")
    country = await next_with_buttons(newcomer)
    await newcomer.press(country, "Uruguai")
    institution = await next_with_buttons(newcomer)
    await newcomer.press(institution, "INEFOP")
    texts = []
    while not any("Certificação de competências" in t for t in texts):
        texts.append((await newcomer.next_message()).text)
    card = texts[-1]
    assert "Link: https://example.org/j/42" in card and "/start" not in card
    assert any("Tudo pronto" in t for t in texts[:-1])


async def next_with_buttons(user) -> BotMessage:  # type: ignore[no-untyped-def]
    while True:
        message = await user.next_message()
        if message.button_texts():
            return message


async def next_with(user, marker: str) -> BotMessage:  # type: ignore[no-untyped-def]
    """The next message holding ``marker`` (reminders and notices may come in between)."""
    while True:
        message = await user.next_message()
        if marker in message.text:
            return message
