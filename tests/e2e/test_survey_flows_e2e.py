"""The survey flows over the emulator: text reaches a survey only while a typed question is
showing, a draft stored before steps existed still takes typed answers, and the quick poll
refuses text and buttons at the wrong step, takes "A, B, C" as three options and refuses
the same option twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.importer.load import run_import
from storage import drafts
from storage import surveys as store
from storage.members import get_member
from tests.clock import FakeClock as Clock
from tests.conftest import ADMIN_ID
from tests.e2e.test_surveys_e2e import (
    NOW,
    SURVEYS,
    launch,
    member,
    prepare,
    press_and_wait,
)


@pytest.fixture
async def running(sqlite_url: str) -> AsyncIterator[LocalBot]:
    clock = Clock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as bot:
        await prepare(bot)
        yield bot


async def _response_id(bot: LocalBot, user_id: int) -> int:
    found = await get_member(bot.db, user_id)
    assert found is not None
    mine = await store.surveys_for(bot.db, found, NOW)
    assert mine[0].response is not None and mine[0].response.id is not None
    return mine[0].response.id


async def _first_question(bot: LocalBot, user_id: int) -> tuple[EmulatedUser, BotMessage]:
    """A member who opened the launched skills survey, and the message of its questions."""
    user = await member(bot, user_id)
    await launch(bot, "skills-2026")
    await user.press(await user.next_message(), "▶ Responder")
    return user, await user.next_message()


async def _at_the_typed_question(bot: LocalBot, user_id: int) -> tuple[EmulatedUser, BotMessage]:
    """As :func:`_first_question`, with the three button questions answered: the typed
    question (a share, 0-100) is showing."""
    user, question = await _first_question(bot, user_id)
    for label in ("Presencial", "4", "No"):
        await press_and_wait(user, question, label, bot)
    return user, question


async def test_text_is_an_answer_only_on_a_typed_question(running: LocalBot) -> None:
    user, question = await _first_question(running, 8801)
    await user.send("40")  # a single-choice question is showing: not an answer
    other = await user.next_message()
    assert "(1/7)" not in other.text and "(2/7)" not in other.text
    response_id = await _response_id(running, 8801)
    state = await store.response_state(running.db, response_id)
    assert state is not None and state.answers == {}
    for label in ("Presencial", "4", "No"):
        await press_and_wait(user, question, label, running)
    assert "(4/6)" in question.text and "entre 0 y 100" in question.text
    await user.send("40")
    assert "(5/6)" in (await user.next_message()).text
    state = await store.response_state(running.db, response_id)
    assert state is not None and state.answers["share"] == 40


async def test_another_command_pauses_the_survey_so_text_is_a_question_again(
    running: LocalBot,
) -> None:
    """Half-way through, /events: the survey says it is paused, the list comes, and what is
    typed next is not stored as the answer; /survey itself does not pause it."""
    user, _ = await _at_the_typed_question(running, 8803)
    response_id = await _response_id(running, 8803)
    await user.send("/events")
    paused = await user.next_message()
    assert "Encuesta en pausa" in paused.text and "/survey" in paused.text
    assert "(4/6)" not in (await user.next_message()).text  # the events, as ever
    await user.send("40")
    assert "(5/6)" not in (await user.next_message()).text
    state = await store.response_state(running.db, response_id)
    assert state is not None and "share" not in state.answers
    assert await drafts.get_draft(running.db, "survey", 8803) is None
    await user.send("/survey")
    listing = await user.next_message()
    assert "pausa" not in listing.text
    await user.expect_silence(0.3)


async def test_opening_another_survey_half_way_says_the_first_is_paused(
    running: LocalBot,
) -> None:
    """Half-way through one survey, ▶ Answer on another: a line says the first is paused
    and how to go back (its typed answers no longer reach it)."""
    user, _ = await _at_the_typed_question(running, 8804)
    second = SURVEYS.split(b"  - id: inst-2026")[0].replace(b"skills-2026", b"skills-b")
    outcome = await run_import(
        running.db, [("b.yaml", second)], default_language="es", default_timezone="UTC"
    )
    assert outcome.ok, outcome.errors
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await running.emulator.wait_for(  # the admin's own invitation to the first survey
        lambda: any("▶ Answer" in m.button_texts() for m in admin.messages)
    )
    admin.cursor = len(admin.messages)
    await launch(running, "skills-b")
    invitation = await user.next_message()
    await user.press(invitation, "▶ Responder")
    paused = await user.next_message()
    assert "queda en pausa" in paused.text and "/survey" in paused.text
    assert "(1/" in (await user.next_message()).text  # the other survey's first question


async def test_a_draft_stored_before_steps_still_takes_typed_answers(running: LocalBot) -> None:
    user, _ = await _at_the_typed_question(running, 8802)
    response_id = await _response_id(running, 8802)
    await drafts.save_draft(running.db, "survey", 8802, {"response": response_id})
    await user.send("55")
    assert "(5/6)" in (await user.next_message()).text
    state = await store.response_state(running.db, response_id)
    assert state is not None and state.answers["share"] == 55


async def test_the_poll_refuses_the_wrong_step(running: LocalBot) -> None:
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/newsurvey")
    start = await admin.next_message()
    await admin.send("Hi")  # too short for a question
    assert "5 to 300 characters" in (await admin.next_message()).text
    await admin.send("Which day suits you best?")
    kinds = await admin.next_message()
    await admin.send("Tuesday")  # the kind is chosen with buttons
    assert "use the buttons" in (await admin.next_message()).text
    for data in ("np:close:3", "np:kind:text", "np:kind", "np:send", "np:aud:1"):
        query = await admin.press_data(kinds.message_id, data)
        assert "no longer valid" in (await admin.next_callback_answer(query))["text"], data
    await admin.press(kinds, "Scale 1-5")
    closes = await admin.next_message()
    assert "When does it close" in closes.text
    query = await admin.press_data(closes.message_id, "np:close:30")
    assert "no longer valid" in (await admin.next_callback_answer(query))["text"]
    await admin.press(start, "Cancel")
    await running.emulator.wait_for(lambda: "Cancelled" in start.text)
    query = await admin.press_data(closes.message_id, "np:close:3")
    assert "no longer valid" in (await admin.next_callback_answer(query))["text"]
    draft = await drafts.get_draft(running.db, "poll", ADMIN_ID)
    assert draft is None


async def test_members_cannot_press_poll_buttons(running: LocalBot) -> None:
    user = await member(running, 8803, language="en")
    await user.send("/survey")
    listing = await user.next_message()
    query = await user.press_data(listing.message_id, "np:cancel")
    assert "only organizers" in (await user.next_callback_answer(query))["text"]


async def test_the_poll_takes_options_on_one_line_and_refuses_the_same_one_twice(
    running: LocalBot,
) -> None:
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    await admin.send("/newsurvey")
    await admin.next_message()
    await admin.send("¿Qué día les queda mejor?")
    kinds = await admin.next_message()
    await admin.press(kinds, "Una opción")
    await admin.next_message()  # "send the options"
    await admin.send("Martes\nmartes\nJueves")
    refused = (await admin.next_message()).text
    assert "distinta" in refused and "«martes»" in refused
    draft = await drafts.get_draft(running.db, "poll", ADMIN_ID)
    assert draft is not None and not draft.get("options")
    await admin.send("Martes, Jueves; Viernes")
    assert "¿Cuándo cierra" in (await admin.next_message()).text
    draft = await drafts.get_draft(running.db, "poll", ADMIN_ID)
    assert draft is not None and draft["options"] == ["Martes", "Jueves", "Viernes"]


async def test_an_older_question_message_changes_nothing(running: LocalBot) -> None:
    """A typed answer's next question comes as a new message; the message above it loses
    the earlier question's buttons, and their data, sent anyway (a client that kept them),
    is refused (it used to change answers the member never saw again)."""
    user, question = await _at_the_typed_question(running, 8803)
    data = question.buttons[0][0].callback_data
    await user.send("40")  # the typed answer: the next question is a new message
    assert "(5/6)" in (await user.next_message()).text
    await running.emulator.wait_for(lambda: not question.buttons)
    response_id = await _response_id(running, 8803)
    before = await store.response_state(running.db, response_id)
    assert before is not None
    query = await user.press_data(question.message_id, data)
    assert "no es válido" in (await user.next_callback_answer(query)).get("text", "")
    after = await store.response_state(running.db, response_id)
    assert after is not None
    assert after.answers == before.answers
    assert after.response.current_question == before.response.current_question
