"""End-to-end over the emulator: /import in chat, /events and /event in each member's zone,
the .ics file, deep links, questions in three languages, /unanswered, and ``ask --json``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from bot.devtools.local import LocalBot, local_bot
from storage import catalog
from tests.conftest import ADMIN_ID
from tests.e2e.helpers import bot_at, cli_env, member_in, run_cli

NETWORK = """
version: 1
institutions:
  - id: inefop
    acronym: INEFOP
    name: {es: Instituto Nacional de Empleo y Formacion Profesional}
    country: UY
    timezone: America/Montevideo
courses:
  - id: big-data-2022
    title: {es: "Big Data y brechas de competencias", pt: "Big Data e lacunas de competencias",
            en: "Big Data and skills gaps"}
    topics: [big-data]
    languages: [es]
    starts: 2020-04-06
    ends: 2020-07-29
    enroll_by: 2020-03-30
    enroll_url: https://example.org/big-data
    cost: {es: Gratuito, pt: Gratuito, en: Free}
    certificate: true
events:
  - id: vc-2020-03-26
    title: {es: "COVID-19: la respuesta de las IFP", pt: "COVID-19: a resposta das IFP",
            en: "COVID-19: the response of VTIs"}
    starts: 2020-03-26T14:00
    ends: 2020-03-26T15:30
    timezone: America/Montevideo
    platform: Webex
    join_url: https://example.org/j/123
faq:
  - id: join-course
    question: {es: "¿Cómo me inscribo en un curso?", pt: "Como me inscrevo em um curso?",
               en: "How do I enrol in a course?"}
    answer: {es: "Entra en la página del curso y completa el formulario.",
             pt: "Acesse a página do curso e preencha o formulário.",
             en: "Open the course page and fill in the form."}
""".encode()
NOW = datetime(2020, 3, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with bot_at(sqlite_url, NOW) as running:
        yield running


async def import_network(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send_document("network.yaml", NETWORK, caption="/import")
    summary = await admin.next_message()
    assert "Import done" in summary.text
    assert "Events: 1 created, 0 updated, 0 unchanged" in summary.text


async def test_import_in_chat_then_events_in_each_members_zone(bot: LocalBot) -> None:
    await import_network(bot)
    madrid = await member_in(bot, 7001, "Europe/Madrid", "es")
    await madrid.send("/events")
    listing = await madrid.next_message()
    assert "COVID-19: la respuesta de las IFP" in listing.text
    assert "jueves, 26 de marzo de 2020, 18:00 (Madrid)" in listing.text
    assert "14:00 en Montevideo" in listing.text

    mexico = await member_in(bot, 7002, "America/Mexico_City", "en")
    await mexico.send("/event vc-2020-03-26")
    card = await mexico.next_message()
    assert "Thursday, March 26, 2020, 11:00\u202fAM (Mexico City)" in card.text
    assert "2:00\u202fPM in Montevideo, the organizer's time" in card.text
    assert "Link: https://example.org/j/123" in card.text
    assert "https://t.me/cinterfor_demo_bot?start=event-vc-2020-03-26" in card.text

    await mexico.press(card, "📅 Add to calendar")
    document = await mexico.next_message()
    assert document.document is not None
    calendar = icalendar.Calendar.from_ical(document.document.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2020, 3, 26, 17, 0, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2020, 3, 26, 18, 30, tzinfo=UTC)


async def test_link_only_for_registered_members_and_deep_link(bot: LocalBot) -> None:
    await import_network(bot)
    stranger = bot.emulator.user(user_id=7003, first_name="Zé", language_code="pt")
    await stranger.send("/start event-vc-2020-03-26")
    welcome = await stranger.next_message()  # issue 15: onboarded first, then the card
    assert "example.org/j/123" not in welcome.text and "Português" in welcome.button_texts()
    await stranger.press(welcome, "Português")
    while not (country := await stranger.next_message()).button_texts():
        pass
    await stranger.press(country, "Uruguai")
    while not (institution := await stranger.next_message()).button_texts():
        pass
    await stranger.press(institution, "INEFOP")
    while "COVID-19: a resposta das IFP" not in (card := await stranger.next_message()).text:
        pass
    assert "Link: https://example.org/j/123" in card.text and "/start" not in card.text


async def test_bad_import_in_chat_lists_paths_and_writes_nothing(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    broken = NETWORK.replace(
        b"timezone: America/Montevideo\n    platform", b"timezone: Mars/Base\n    platform"
    )
    await admin.send_document("network.yaml", broken, caption="/import")
    answer = await admin.next_message()
    assert "No se importó nada" in answer.text
    assert "events[0].timezone: unknown time zone 'Mars/Base'" in answer.text
    assert await catalog.get_event(bot.db, "vc-2020-03-26") is None
    assert await catalog.get_course(bot.db, "big-data-2022") is None


async def test_member_cannot_import(bot: LocalBot) -> None:
    member = bot.emulator.user(user_id=7004, first_name="Ana", language_code="en")
    await member.send_document("network.yaml", NETWORK, caption="/import")
    assert "only organizers and admins" in (await member.next_message()).text
    assert await catalog.get_event(bot.db, "vc-2020-03-26") is None


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("es", "¿cuándo empieza el curso de big data?", "6 de abril de 2020"),
        ("pt", "o curso de big data é gratuito?", "Gratuito"),
        ("en", "link for the covid videoconference", "https://example.org/j/123"),
    ],
)
async def test_questions_get_the_fact_asked(
    bot: LocalBot, language: str, question: str, expected: str
) -> None:
    await import_network(bot)
    user = await member_in(bot, 7010, "America/Montevideo", language)
    await user.send(question)
    answer = await user.next_message()
    assert expected in answer.text


async def test_unanswered_questions_are_kept_for_organizers(bot: LocalBot) -> None:
    await import_network(bot)
    user = await member_in(bot, 7011, "America/Montevideo", "es")
    for _ in range(2):
        await user.send("¿Hay un curso de astronomía?")
        answer = await user.next_message()
        assert "No encontré" in answer.text
        assert answer.button_texts() == ["Cursos", "Eventos", "🙋 Preguntar a los organizadores"]
    await user.send("🙂🙂🙂")  # nothing to search: a hint, not an unanswered question
    assert "Big Data" in (await user.next_message()).text
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/unanswered")
    listing = await admin.next_message()
    assert "2× “¿Hay un curso de astronomía?”" in listing.text
    assert "🙂" not in listing.text
    await user.send("/unanswered")
    assert "organizadores" in (await user.next_message()).text


async def test_forged_question_button_is_refused(bot: LocalBot) -> None:
    await import_network(bot)
    user = await member_in(bot, 7012, "America/Montevideo", "en")
    await user.send("/help")
    message = await user.next_message()
    query = await user.press_data(message.message_id, "qa:c:w:no-such-course")
    answer = await user.next_callback_answer(query)
    assert "no longer valid" in answer.get("text", "")


def test_ask_command_prints_json(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    network = tmp_path / "network.yaml"
    network.write_bytes(NETWORK)
    imported = run_cli(["import", str(network)], env, tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "courses: 1 created, 0 updated, 0 unchanged" in imported.stdout
    asked = run_cli(
        ["ask", "--json", "--lang", "pt", "quanto custa o curso de big data?"], env, tmp_path
    )
    assert asked.returncode == 0, asked.stderr
    line = json.loads(asked.stdout.strip())
    assert line["language"] == "pt" and line["intent"] == "cost"
    assert line["results"][0] == {
        "kind": "course",
        "id": "big-data-2022",
        "score": line["results"][0]["score"],
    }
    assert "Gratuito" in line["reply"]


async def test_courses_pages_and_filters(sqlite_url: str) -> None:
    from bot.devtools.sample import load_sample_data

    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,)) as running:
        await load_sample_data(running.db, running.settings, now=running.services.now())
        user = running.emulator.user(user_id=7101, first_name="Ana", language_code="en")
        await user.send("/courses")
        listing = await user.next_message()
        assert "page 1 of 4" in listing.text and listing.text.count("\n1. ") == 1
        assert "▶" in listing.button_texts() and "◀" not in listing.button_texts()
        await user.press(listing, "▶")
        await running.emulator.wait_for(lambda: "page 2 of 4" in listing.text)
        await user.press(listing, "Language")
        await running.emulator.wait_for(lambda: "Choose a filter" in listing.text)
        await user.press(listing, "Portuguese")
        await running.emulator.wait_for(lambda: "page 1 of 1" in listing.text)
        assert "STEAM" in listing.text and "Big Data" not in listing.text
        await user.send("/course no-such-course")
        assert "There is no course" in (await user.next_message()).text
        await user.send("/course big-data-2021")
        card = await user.next_message()
        assert "Big Data: key concepts" in card.text and "Taught in: Spanish" in card.text
        query = await user.press_data(listing.message_id, "cl:9:,,zz-not-a-language!,")
        assert "no longer valid" in (await user.next_callback_answer(query))["text"]
