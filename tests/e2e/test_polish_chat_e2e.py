"""Issue 15 over the emulator, in es, pt and en: the topic filter of /courses in pages, titles
on buttons shortened with "…", the multiple-choice instruction once, bad HTML refused in the
reader's language (/broadcast, ticket answers), ticket answers in Telegram HTML, and the bot
in a group pointing to the private chat without answering there."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.enums import Role
from bot.core.geo import KEYBOARD_MAX
from bot.core.i18n import Translator
from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.devtools.sample import load_sample_data
from bot.render.callbacks import surveys as cb
from storage import catalog
from storage.members import get_member, set_role, update_member
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.language_check import leaks
from tests.e2e.test_miniapp_organize import Api, api  # noqa: F401 (the fixture)
from tests.e2e.test_reminders_e2e import add_event, videoconference
from tests.e2e.test_surveys_e2e import member as survey_member
from tests.e2e.test_tickets import INBOX, answer_recorded, hand_off, post_recorded

pytestmark = pytest.mark.strict_api
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
LANGUAGES = ("es", "pt", "en")
ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")
MONTH = {"es": "diciembre", "pt": "dezembro", "en": "December"}


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(
        database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=FakeClock(NOW)
    ) as running:
        yield running


async def person(bot: LocalBot, user_id: int, language: str, role: Role = Role.member):  # type: ignore[no-untyped-def]
    user = bot.emulator.user(user_id=user_id, first_name="Ana", language_code=language)
    await user.send("/help")
    await user.next_message()
    await update_member(bot.db, user_id, timezone="America/Montevideo", onboarded=True)
    if role is not Role.member:
        await set_role(bot.db, user_id, role)
    return user


def foreign_words(language: str, message: BotMessage) -> list[str]:
    return [leak.word for leak in leaks(language, message.text)]


async def edited(bot: LocalBot, message: BotMessage, before: int) -> None:
    await bot.emulator.wait_for(lambda: message.edits > before)


# ------------------------------------------------------------------ 1. the topic filter
@pytest.fixture
async def sample(sqlite_url: str) -> AsyncIterator[LocalBot]:
    """The sample network on the real clock (its dates are moved to now)."""
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,)) as running:
        await load_sample_data(running.db, running.settings, now=running.services.now())
        yield running


@pytest.mark.parametrize("language", LANGUAGES)
async def test_topic_filter_comes_in_pages(sample: LocalBot, language: str) -> None:
    bot = sample
    topics = (await catalog.course_facets(bot.db))["topic"]
    assert len(topics) > 16  # the sample has some dozens: more than two pages of 8
    tr = Translator(language)
    ana = await person(bot, 7301, language)
    await ana.send("/courses")
    listing = await ana.next_message()
    cards = [t for t in listing.button_texts() if re.match(r"\d+\. ", t)]
    assert cards and cards[0].startswith("1. ") and "ℹ️" not in "".join(cards)  # titles
    assert all(len(t) <= 44 for t in cards)  # "5. " and at most 40 characters of title
    await ana.press(listing, tr("Topic"))
    await bot.emulator.wait_for(lambda: tr("Choose a filter:") in listing.text)
    pages = -(-len(topics) // 8)
    seen: list[str] = []
    for page in range(1, pages + 1):
        expected = tr("page {page} of {pages}", page=page, pages=pages)
        await bot.emulator.wait_for(lambda expected=expected: expected in listing.text)  # type: ignore[misc]
        assert len(listing.buttons) <= 6  # 4 rows of 2 choices, the arrows, "Any"
        assert ("◀" in listing.button_texts()) == (page > 1)
        assert ("▶" in listing.button_texts()) == (page < pages)
        seen += [t for t in listing.button_texts() if t not in ("◀", "▶", tr("Any"))]
        assert not foreign_words(language, listing)
        if page < pages:
            await ana.press(listing, "▶")
    assert len(seen) == len(set(seen)) == len(topics)  # each topic once, none left out
    await ana.press(listing, "◀")
    back = tr("page {page} of {pages}", page=pages - 1, pages=pages)
    await bot.emulator.wait_for(lambda: back in listing.text)
    choice = next(t for t in listing.button_texts() if t not in ("◀", "▶", tr("Any")))
    await ana.press(listing, choice)
    await bot.emulator.wait_for(lambda: tr("Clear filters") in listing.button_texts())
    assert all(len(d.encode()) <= 64 for d in listing.button_data())


async def test_countries_stay_grouped_by_region(sample: LocalBot) -> None:
    bot = sample
    newcomer = bot.emulator.user(user_id=7302, first_name="Zé", language_code="pt")
    await newcomer.send("/start")
    welcome = await newcomer.next_message()
    await newcomer.press(welcome, "Português")
    regions = await newcomer.next_message()
    assert len(regions.buttons) <= KEYBOARD_MAX + 1
    assert "Brasil" not in regions.button_texts()  # regions first: "América do Sul"...
    await newcomer.press(regions, "América do Sul")
    await bot.emulator.wait_for(lambda: "Brasil" in regions.button_texts())
    assert len(regions.buttons) <= KEYBOARD_MAX + 1


# ------------------------------------------------------------------ 3. titles on buttons
async def test_long_event_titles_end_with_an_ellipsis_on_buttons(bot: LocalBot) -> None:
    long_title = "Videoconferencia regional sobre certificación de competencias laborales"
    start = NOW + timedelta(days=3)
    await add_event(
        bot.db,
        videoconference(
            id="vc-long",
            title={"es": long_title, "en": "Short one"},
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ),
    )
    ana = await person(bot, 7303, "es")
    await ana.send("/events")
    listing = await ana.next_message()
    label = listing.button_texts()[0]
    assert label.startswith("1. Videoconferencia regional") and label.endswith("…")
    assert len(label) <= 3 + 40 and long_title in listing.text  # the text keeps it whole
    bob = await person(bot, 7304, "en")
    await bob.send("/events")
    assert (await bob.next_message()).button_texts()[0] == "1. Short one"  # not cut


# ------------------------------------------------------------------ 2. multiple choice
async def poll_of_several_choices(bot: LocalBot, organizer: EmulatedUser) -> BotMessage:
    await organizer.send("/newsurvey")
    await organizer.next_message()
    await organizer.send("¿Which topics? Quais temas? ¿Qué temas?")
    kinds = await organizer.next_message()
    await organizer.press(kinds, cb.PollKindChosen("multiple").pack())
    await organizer.next_message()
    await organizer.send("Big data\nGreen jobs\nApprenticeships")
    closes = await organizer.next_message()
    await organizer.press(closes, cb.PollCloses(cb.CLOSE_DAYS[-1]).pack())
    audience = await organizer.next_message()
    await organizer.press(audience, cb.PollEveryone().pack())
    return await organizer.next_message()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_multiple_choice_instruction_shows_once(bot: LocalBot, language: str) -> None:
    tr = Translator(language)
    voter = await person(bot, 7305, language)
    organizer = await person(bot, 7306, language, Role.organizer)
    preview = await poll_of_several_choices(bot, organizer)
    assert MONTH[language] in preview.text and not ISO_DAY.search(preview.text)  # Babel
    await organizer.press(preview, cb.PollSend().pack())
    await organizer.next_message()
    invitation = await voter.next_message()
    await voter.press(invitation, tr("▶ Answer"))
    question = await voter.next_message()
    instruction = tr("Choose all that apply, then press Done.")
    assert question.text.count(instruction) == 1
    before = question.edits
    await voter.press(question, "▫️ Green jobs")
    await edited(bot, question, before)
    assert "✅ Green jobs" in question.button_texts()
    assert question.text.count(instruction) == 1  # not added again by the edit
    before = question.edits
    await voter.press(question, tr("Done ▶"))
    await edited(bot, question, before)  # one question: Done sends the vote, no review
    assert question.text.count(instruction) == 1
    assert "✅ Green jobs" in question.button_texts()
    assert tr("✅ Send answers") not in question.button_texts()
    assert "✅" in question.text.split(instruction)[1]  # the note that the vote counts
    assert MONTH[language] in question.text and not ISO_DAY.search(question.text)


# ------------------------------------------------------------------ 4. refusals in the language
REFUSED = {
    "es": ("Telegram rechazaría este HTML", "etiqueta desconocida", "nunca se cierra"),
    "pt": ("O Telegram recusaria este HTML", "tag desconhecida", "nunca é fechada"),
    "en": ("Telegram would refuse this HTML", "unknown tag", "is never closed"),
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_bad_broadcast_html_is_refused_in_the_reader_language(
    bot: LocalBot, language: str
) -> None:
    admin = await person(bot, ADMIN_ID, language)
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("Hola\n<div>todos</div>")
    refusal = await admin.next_message()
    head, unknown, unclosed = REFUSED[language]
    assert head in refusal.text and unknown in refusal.text and "<div>" in refusal.text
    assert "Unsupported" not in refusal.text and "byte offset" not in refusal.text
    assert re.search(r"\b2\b.*\b1\b", refusal.text)  # line 2, character 1
    assert not foreign_words(language, refusal)
    await admin.send("Hola <b>todos")
    refusal = await admin.next_message()
    assert unclosed in refusal.text and "</b>" in refusal.text
    assert not foreign_words(language, refusal)
    await admin.send("a&nbsp;b")  # shown as typed by Telegram: refused, explained
    refusal = await admin.next_message()
    assert head in refusal.text and "&nbsp;" in refusal.text
    assert not foreign_words(language, refusal)
    await admin.send("/cancel")
    await admin.next_message()


# ------------------------------------------------------------------ 5. ticket answers in HTML
@pytest.mark.parametrize("language", LANGUAGES)
async def test_ticket_answers_take_broadcast_html(sqlite_url: str, language: str) -> None:
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=lambda: NOW) as bot:
        organizer = await person(bot, 9001, language, Role.organizer)
        group = bot.emulator.group(chat_id=INBOX, title="Organizers", added_by=organizer)
        await organizer.send("/inbox", chat=group)
        await group.next_message()
        member = await person(bot, 9400, language)
        await hand_off(member, "¿Puedo llevar a mi perro a la ceremonia? Posso? Can I?")
        post = await post_recorded(bot, await group.next_message())

        await organizer.send("Sí, <b>con correa", chat=group, reply_to=post.message_id)
        refusal = await group.next_message()
        head, _, unclosed = REFUSED[language]
        assert head in refusal.text and unclosed in refusal.text
        assert not foreign_words(language, refusal)
        await member.expect_silence(0.3)  # nothing was sent

        answer = 'Sí, <b>con correa</b>: <a href="https://example.org/reglas">reglas</a>'
        await organizer.send(answer, chat=group, reply_to=post.message_id)
        await group.next_message()  # "Sent to the member"
        delivered = await member.next_message(timeout=15)
        assert "<b>con correa</b>" in (delivered.html or "")  # formatted, not shown as typed
        assert "<b>" not in delivered.text and "reglas" in delivered.text
        await answer_recorded(bot, delivered.chat_id, delivered.message_id)
        shown = bot.emulator.find_message(INBOX, post.message_id)
        assert shown is not None  # the inbox keeps the answer as text, its link written out
        assert "con correa: reglas (https://example.org/reglas)" in shown.text


# ------------------------------------------------------------------ 6. groups
@pytest.mark.parametrize("language", LANGUAGES)
async def test_in_a_group_the_bot_points_to_the_private_chat(
    sqlite_url: str, language: str
) -> None:
    clock = FakeClock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as bot:
        admin = await person(bot, ADMIN_ID, "en")
        group = bot.emulator.group(chat_id=-100_4242, title="Red", added_by=admin)
        username = bot.emulator.bot_username
        stranger = bot.emulator.user(user_id=7310, first_name="Eva", language_code=language)
        await stranger.send("/broadcast", chat=group)
        hint = await group.next_message()
        assert [b.url for row in hint.buttons for b in row] == [f"https://t.me/{username}"]
        assert "/broadcast" in hint.text and not foreign_words(language, hint)
        assert hint.reply_to is not None
        await stranger.send("/broadcast", chat=group)  # the same again: not repeated
        await stranger.send("/settings@other_bot", chat=group)  # another bot's
        await stranger.send("hola a todos, olá, hello everyone", chat=group)  # not for the bot
        await group.expect_silence(0.5)
        await stranger.send(f"/settings@{username}", chat=group)
        assert "/settings" in (await group.next_message()).text

        await stranger.send(f"@{username} ¿cuándo empieza el curso?", chat=group)
        question_hint = await group.next_message()
        assert not foreign_words(language, question_hint)
        assert "curso" not in question_hint.text.replace("cursos", "")  # nothing answered
        await stranger.send("y otra cosa", chat=group, reply_to=question_hint.message_id)
        await group.expect_silence(0.5)  # once in ten minutes
        clock.advance(minutes=11)
        await stranger.send("y otra cosa", chat=group, reply_to=question_hint.message_id)
        assert (await group.next_message()).text == question_hint.text
        assert await get_member(bot.db, 7310) is None  # nothing kept about the person


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_mini_app_composer_refuses_in_the_reader_language(
    api: Api,  # noqa: F811 (the fixture of test_miniapp_organize)
    language: str,
) -> None:
    organizer = 8650
    await survey_member(api.bot, organizer, language)
    await set_role(api.bot.db, organizer, Role.organizer)
    status, body = await api.call(
        "POST",
        "/app/api/broadcasts/preview",
        organizer,
        {"texts": {"es": "Hola\n<div>x</div>"}},
        headers={"Authorization": api.auth(organizer, language)},
    )
    head, unknown, _ = REFUSED[language]
    assert status == 400 and head in body["message"] and unknown in body["message"]
    assert "<div>" in body["message"] and "<code>" not in body["message"]  # shown as text
    assert "Unsupported" not in body["message"]
