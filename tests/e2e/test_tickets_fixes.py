"""Ask the organizers, what an outside tester found: a double tap on the hand-off button,
a question dismissed as not for us, identical questions in /unanswered, and an FAQ entry
made from an answer (previewed, corrected, kept in its own language)."""

from __future__ import annotations

import pytest

from bot.core.enums import Role
from bot.devtools.local import LocalBot
from storage import learning
from storage import tickets as store
from storage.members import set_role
from storage.models import UnansweredQuestion
from tests.conftest import ADMIN_ID
from tests.e2e.test_tickets import (
    INBOX,
    NOW,
    ORGANIZER,
    QUESTION,
    bot,
    data_of,
    organizer_with_inbox,
    person,
    post_recorded,
)

__all__ = ["bot"]  # the fixture, shared with test_tickets


@pytest.mark.strict_api
async def test_a_double_tap_sends_the_question_once(bot: LocalBot) -> None:
    _, group = await organizer_with_inbox(bot, forum=False)
    member = await person(bot, 9600, "es", "Ana")
    await member.send(QUESTION["es"])
    unanswered = await member.next_message()
    button = data_of(unanswered, "tk:ask:")
    first = await member.press_data(unanswered.message_id, button)
    second = await member.press_data(unanswered.message_id, button)
    assert "n.º 1" in (await member.next_message()).text
    popup = await member.next_callback_answer(second)
    assert popup.get("show_alert") and "Ya enviada" in popup["text"] and "n.º 1" in popup["text"]
    assert "text" not in await member.next_callback_answer(first)
    await member.expect_silence(0.3)  # no second confirmation
    assert len(await store.list_tickets(bot.db)) == 1
    await group.next_message()
    await group.expect_silence(0.2)  # one inbox post


@pytest.mark.strict_api
@pytest.mark.parametrize(
    ("language", "fragment"),
    [("es", "no pueden responder"), ("pt", "não podem responder"), ("en", "cannot answer")],
)
async def test_not_for_us_tells_the_member(bot: LocalBot, language: str, fragment: str) -> None:
    organizer, group = await organizer_with_inbox(bot, forum=False)
    member = await person(bot, 9610, language, "Ana")
    await member.send(QUESTION[language])
    unanswered = await member.next_message()
    await member.press_data(unanswered.message_id, data_of(unanswered, "tk:ask:"))
    await member.next_message()  # sent
    post = await post_recorded(bot, await group.next_message())
    await organizer.press_data(post.message_id, data_of(post, "tk:do:dismiss:"), chat=group)
    told = await member.next_message(timeout=15)
    assert fragment in told.text and "1 (“" in told.text and "/help" in told.text
    await bot.emulator.wait_for(
        lambda: (
            (shown := bot.emulator.find_message(INBOX, post.message_id)) is not None
            and shown.button_data() == ["tk:do:reopen:1"]
        )
    )
    await organizer.press_data(post.message_id, "tk:do:dismiss:1", chat=group)  # stale tap
    await member.expect_silence(0.3)  # told once


@pytest.mark.strict_api
async def test_unanswered_offers_one_button_per_question(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    asked = [(9700, "q cursos hay de energia"), (9701, "Q cursos hay de energía?")]
    asked += [(9702, "que cursos hay de energia solar")]
    for user_id, question in asked:
        user = await person(bot, user_id, "es")
        await user.send(question)
        assert "tk:ask:" in data_of(await user.next_message(), "tk:ask:")
    async with bot.db.session() as session:  # the same question kept twice (a race)
        session.add(
            UnansweredQuestion(
                normalized="q cursos hay de energia",
                text="q cursos...",
                language="es",
                last_asked_at=NOW,
            )
        )
    await admin.send("/unanswered")
    listing = await admin.next_message()
    assert listing.text.count("cursos hay de energia”") == 1 + 1  # the list and the group
    assert "3× “q cursos hay de energia”" in listing.text
    labels = [b.text for row in listing.buttons for b in row if b.callback_data]
    assert len(labels) == len(set(labels)) == 1, labels
    assert labels[0].endswith("(4×)")


@pytest.mark.strict_api
async def test_make_faq_previews_and_takes_corrections(bot: LocalBot) -> None:
    organizer, group = await organizer_with_inbox(bot, forum=False)
    member = await person(bot, 9800, "es", "Ana")
    await member.send("puedo yevar mi perro a la graduasion")
    unanswered = await member.next_message()
    await member.press_data(unanswered.message_id, data_of(unanswered, "tk:ask:"))
    await member.next_message()
    post = await post_recorded(bot, await group.next_message())
    await organizer.send("Hola Ana: sí, si va con correa.", chat=group, reply_to=post.message_id)
    await group.next_message()  # sent to the member
    await member.next_message(timeout=15)
    await bot.emulator.wait_for(
        lambda: (
            any(d.startswith("tk:do:faq:") for d in shown.button_data())
            if (shown := bot.emulator.find_message(INBOX, post.message_id))
            else False
        )
    )
    organizer.skip_all()
    await organizer.press_data(post.message_id, "tk:do:faq:1", chat=group)
    step = await organizer.next_message()  # a preview in private, nothing published yet
    assert "Hola Ana" in step.text and "graduasion" in step.text and "(Ana)" in step.text
    assert "in español only" in step.text
    assert await learning.learned_faqs(bot.db) == []
    await organizer.send("¿Puedo llevar a mi perro a la ceremonia de graduación?")
    step = await organizer.next_message()
    assert "ceremonia de graduación" in step.text and "tk:fq:keep:1" in step.button_data()
    await organizer.send("Sí, si va con correa.")
    step = await organizer.next_message()
    assert "Hola Ana" not in step.text and "(Ana)" not in step.text
    await organizer.press_data(step.message_id, data_of(step, "tk:fq:publish:"))
    assert "asked-1" in (await organizer.next_message()).text
    (faq,) = await learning.learned_faqs(bot.db)
    assert faq.answer == {"es": "Sí, si va con correa."}  # its own language only
    assert faq.question == {"es": "¿Puedo llevar a mi perro a la ceremonia de graduación?"}

    reader = await person(bot, 9801, "es", "Bea")
    await reader.send("¿Puedo llevar a mi perro a la ceremonia de graduación?")
    served = (await reader.next_message()).text
    assert "Sí, si va con correa." in served and "Hola" not in served and "idioma" not in served
    english = await person(bot, 9802, "en", "Cal")
    await english.send("¿Puedo llevar a mi perro a la ceremonia de graduación?")
    served = (await english.next_message()).text
    assert "correa" in served and "not available in your language" in served


@pytest.mark.strict_api
async def test_a_reply_to_a_ticket_during_make_faq_answers_it(bot: LocalBot) -> None:
    organizer = await person(bot, ORGANIZER, "en", "Olga")  # no group: the private inbox
    await set_role(bot.db, ORGANIZER, Role.organizer)
    first, second = await person(bot, 9900, "en", "Ana"), await person(bot, 9901, "en", "Bo")
    posts = []
    for user, question in ((first, QUESTION["en"]), (second, "Is there parking at the venue?")):
        await user.send(question)
        unanswered = await user.next_message()
        await user.press_data(unanswered.message_id, data_of(unanswered, "tk:ask:"))
        await user.next_message()
        posts.append(await post_recorded(bot, await organizer.next_message()))
    await organizer.send("Hi Ana: yes, on a leash.", reply_to=posts[0].message_id)
    assert "Sent to the member" in (await organizer.next_message()).text
    await bot.emulator.wait_for(
        lambda: (
            "tk:do:faq:1"
            in (bot.emulator.find_message(ORGANIZER, posts[0].message_id) or posts[0]).button_data()
        )
    )
    await organizer.press_data(posts[0].message_id, "tk:do:faq:1")
    assert "Hi Ana" in (await organizer.next_message()).text  # the preview waits for a question
    await organizer.send("Yes, there is.", reply_to=posts[1].message_id)
    assert "Sent to the member" in (await organizer.next_message()).text
    assert "Yes, there is." in (await second.next_message(timeout=15)).text
    await organizer.send("Can I bring my dog?")  # the flow still takes the corrected question
    assert "Can I bring my dog?" in (await organizer.next_message()).text
