"""End-to-end: an event's join link reaches only members inside its audience (card,
buttons, RSVP, .ics, deep link, reminders, answers), and role commands used in a group
post nothing of people there."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot
from storage import reminders as store
from storage.audit import recent_entries
from storage.members import update_member
from tests.clock import FakeClock as Clock
from tests.conftest import ADMIN_ID
from tests.e2e.test_reminders_e2e import (
    START,
    add_event,
    clocked,
    tick,
    videoconference,
)

__all__ = ["clocked"]
LINK = "https://example.org/j/42"
pytestmark = pytest.mark.strict_api


async def person(bot: LocalBot, user_id: int, **fields: object) -> EmulatedUser:
    """A registered member (onboarded) with the given columns."""
    user = bot.emulator.user(user_id=user_id, first_name=f"P{user_id}", language_code="en")
    await user.send("/help")
    await user.next_message()
    await update_member(bot.db, user_id, onboarded=True, **fields)
    return user


def texts(message: BotMessage) -> str:
    """Everything a message shows: its text or caption and its buttons' links."""
    urls = [b.url or "" for row in message.buttons for b in row]
    return " ".join([message.text or "", message.caption or "", *urls])


async def test_outsider_sees_the_public_card_only(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference(audience=["role:organizer"]))
    member = await person(bot, 4001)
    organizer = await person(bot, 4002, role="organizer")

    await member.send("/event vc-cert")
    card = await member.next_message()
    assert "Competency certification" in card.text
    assert LINK not in card.text and "another audience" in card.text
    assert card.buttons == []  # no Join, no RSVP, no calendar file

    await member.send("/start event-vc-cert")  # the shared deep link
    deep = await member.next_message()
    assert LINK not in deep.text and "another audience" in deep.text and deep.buttons == []

    await organizer.send("/event vc-cert")
    full = await organizer.next_message()
    assert LINK in full.text and "Join" in full.button_texts()[0]


async def test_outsider_forged_rsvp_and_ics(clocked: tuple[LocalBot, Clock]) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference(audience=["country:UY"]))
    outsider = await person(bot, 4011, country="AR")
    insider = await person(bot, 4012, country="UY")
    await outsider.send("/event vc-cert")
    card = await outsider.next_message()
    query = await outsider.press_data(card.message_id, "rv:vc-cert:y")
    answer = await outsider.next_callback_answer(query)
    assert "another audience" in answer["text"] and answer.get("show_alert")
    assert await store.attendance(bot.db, "vc-cert") == []

    await outsider.press_data(card.message_id, "ics:vc-cert")
    public = await outsider.next_message()
    assert public.document is not None
    assert b"example.org" not in public.document.content  # the file, without the link
    assert b"SUMMARY:Competency certification" in public.document.content

    await insider.send("/event vc-cert")
    inside = await insider.next_message()
    assert LINK in inside.text
    await insider.press(inside, "📅 Add to calendar")
    own = await insider.next_message()
    assert own.document is not None and b"example.org/j/42" in own.document.content
    query = await insider.press(inside, "✅ I'll attend")
    assert "attend" in (await insider.next_callback_answer(query))["text"]
    assert [m.user_id for m, _ in await store.attendance(bot.db, "vc-cert")] == [4012]


async def test_reminders_and_notices_skip_outsiders(clocked: tuple[LocalBot, Clock]) -> None:
    bot, clock = clocked
    await add_event(bot.db, videoconference(audience=["country:UY"]))
    outsider = await person(bot, 4021, country="AR")
    insider = await person(bot, 4022, country="UY")
    # An RSVP from before audiences were checked must not open the way to the link.
    await store.set_rsvp(bot.db, "vc-cert", 4021, status="yes", now=clock.now())
    await tick(bot, clock, START - timedelta(days=1))
    reminder = await insider.next_message()
    assert LINK in reminder.text
    await outsider.expect_silence(0.3)

    from storage import events as event_store

    later = START + timedelta(hours=2)
    await event_store.move_event(
        bot.db, "vc-cert", later, later + timedelta(hours=1), False, actor_id=0, actor_name="t"
    )
    await tick(bot, clock, START - timedelta(hours=2))  # the notice and the 4 h reminder
    after_move = [await insider.next_message(), await insider.next_message()]
    assert any("new time" in m.text.lower() for m in after_move)
    await tick(bot, clock, later)
    assert LINK in (await insider.next_message()).text
    await outsider.expect_silence(0.3)
    assert all(LINK not in texts(m) for m in outsider.messages)


async def test_answerer_keeps_the_link_of_an_outside_event(
    clocked: tuple[LocalBot, Clock],
) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference(audience=["role:organizer"]))
    member = await person(bot, 4031)
    await member.send("What is the link of the competency certification videoconference?")
    answer = await member.next_message()
    assert "Competency certification" in answer.text
    assert LINK not in answer.text and "another audience" in answer.text


async def test_attendees_only_event_stays_open_to_rsvp(clocked: tuple[LocalBot, Clock]) -> None:
    """``event:<its own id>``: reminders for who attends; anyone may still say they do."""
    bot, _ = clocked
    await add_event(bot.db, videoconference(audience=["event:vc-cert"]))
    member = await person(bot, 4041)
    await member.send("/event vc-cert")
    card = await member.next_message()
    assert LINK in card.text
    query = await member.press(card, "✅ I'll attend")
    assert "attend" in (await member.next_callback_answer(query))["text"]


async def test_role_commands_in_a_group_post_nothing_personal(
    clocked: tuple[LocalBot, Clock],
) -> None:
    bot, _ = clocked
    await add_event(bot.db, videoconference(audience=["role:organizer"]))
    organizer = await person(bot, 4051, role="organizer", country="UY")
    member = await person(bot, 4052, country="UY")
    admin = await person(bot, ADMIN_ID)
    await store.set_rsvp(bot.db, "vc-cert", 4051, status="yes", now=START)
    group = bot.emulator.group(chat_id=-100_777, title="Red", added_by=admin)
    for who, command in (
        (organizer, "/attendees vc-cert"),
        (organizer, "/stats"),
        (organizer, "/members"),
        (admin, "/audit"),
        (admin, "/grant 4052 organizer"),
        (member, "/whoami"),
    ):
        await who.send(command, chat=group)
        pointer = await group.next_message()
        assert "private chat" in pointer.text, command
        assert (
            pointer.document is None and "4051" not in pointer.text and "P4051" not in pointer.text
        )
        (button,) = [b for row in pointer.buttons for b in row]
        assert button.url == f"https://t.me/{bot.emulator.bot_username}"
        await group.expect_silence(0.2)
    assert (await store.attendance(bot.db, "vc-cert"))[0][0].role == "organizer"
    refused = [(e.action, e.target) for e in await recent_entries(bot.db)]
    assert ("refused in group", "/attendees") in refused and (
        "refused in group",
        "/audit",
    ) in refused

    await organizer.send("/event vc-cert", chat=group)  # even an organizer: the public card
    card = await group.next_message()
    assert LINK not in card.text and "private chat" in card.text
    assert [b.url for row in card.buttons for b in row] == [
        f"https://t.me/{bot.emulator.bot_username}?start=event-vc-cert"
    ]
    await organizer.expect_silence(0.2)


async def test_outsider_cannot_open_a_survey_by_a_forged_button(
    clocked: tuple[LocalBot, Clock],
) -> None:
    from sqlmodel import select

    from storage import surveys as survey_store
    from storage.models import Question, Response, Survey

    bot, clock = clocked
    survey = Survey(
        id="uy-poll",
        title={"en": "Uruguay poll"},
        audience=["country:UY"],
        status="open",
        opens_at=clock.now() - timedelta(days=1),
        closes_at=clock.now() + timedelta(days=5),
    )
    question = Question(survey_id="uy-poll", id="q1", kind="yesno", text={"en": "Fine?"})
    await survey_store.create_survey(bot.db, survey, [question], actor_id=0, actor_name="t")
    outsider = await person(bot, 4061, country="AR")
    insider = await person(bot, 4062, country="UY")
    await outsider.send("/survey")
    listing = await outsider.next_message()
    assert "Uruguay poll" not in listing.text
    query = await outsider.press_data(listing.message_id, "sv:go:uy-poll")
    answer = await outsider.next_callback_answer(query)
    assert "another audience" in answer["text"] and answer.get("show_alert")
    await outsider.expect_silence(0.3)
    async with bot.db.session() as session:
        assert not await survey_store.in_audience(session, survey, 4061)
    await insider.send("/survey")
    own = await insider.next_message()
    await insider.press(own, "Uruguay poll")
    greeting = await insider.next_message()
    assert "Uruguay poll" in greeting.text
    async with bot.db.session() as session:
        started = (await session.exec(select(Response.member_id))).all()
    assert list(started) == [4062]  # the outsider's press started nothing
