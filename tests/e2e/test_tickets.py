"""Ask the organizers, end to end over the emulator with the real Application: a question
the bot cannot answer becomes a ticket in the organizers' inbox, an organizer's reply
reaches the member through the outbox, "Make FAQ" makes the next member's same question
answered at once, and the feedback figures show in /stats. Then the bad inputs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.core.enums import Role
from bot.devtools.emulator import BotMessage, EmulatedChat, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from storage import tickets as store
from storage.erasure import erase_member
from storage.members import set_role, update_member
from tests.conftest import ADMIN_ID

NETWORK = """
version: 1
courses:
  - id: big-data
    title: {es: "Big Data para la formación", pt: "Big Data para a formação",
            en: "Big Data for training"}
    topics: [data]
    languages: [es]
    starts: 2020-04-01
faq:
  - id: join-course
    question: {es: "¿Cómo me inscribo en un curso?", pt: "Como me inscrevo em um curso?",
               en: "How do I enrol in a course?"}
    answer: {es: "Entra en la página del curso.", pt: "Acesse a página do curso.",
             en: "Open the course page."}
""".encode()
NOW = datetime(2020, 3, 20, 15, 0, tzinfo=UTC)
ORGANIZER = 9001
INBOX = -1009001
QUESTION = {
    "es": "¿Puedo llevar a mi perro a la ceremonia de graduación?",
    "pt": "Posso levar meu cachorro para a cerimônia de formatura?",
    "en": "Can I bring my dog to the graduation ceremony?",
}
ANSWER = {
    "es": "Sí, si va con correa.",
    "pt": "Sim, se estiver na coleira.",
    "en": "Yes, on a leash.",
}
HEADER = {
    "es": "Respuesta de los organizadores",
    "pt": "Resposta dos organizadores",
    "en": "Answer from the organizers",
}
SENT = {
    "es": "Enviada a los organizadores (pregunta n.º 1)",
    "pt": "Enviada aos organizadores (pergunta nº 1)",
    "en": "Sent to the organizers (question #1)",
}


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(
        database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=lambda: NOW
    ) as running:
        admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
        await admin.send_document("network.yaml", NETWORK, caption="/import")
        assert "Import done" in (await admin.next_message()).text
        yield running


async def person(bot: LocalBot, user_id: int, language: str, name: str = "Ana") -> EmulatedUser:
    user = bot.emulator.user(user_id=user_id, first_name=name, language_code=language)
    await user.send("/start")
    await user.next_message()
    await update_member(bot.db, user_id, timezone="America/Montevideo", onboarded=True)
    return user


async def organizer_with_inbox(bot: LocalBot, forum: bool) -> tuple[EmulatedUser, EmulatedChat]:
    organizer = await person(bot, ORGANIZER, "en", "Olga")
    await set_role(bot.db, ORGANIZER, Role.organizer)
    group = bot.emulator.group(chat_id=INBOX, title="Organizers", added_by=organizer, forum=forum)
    await organizer.send("/inbox", chat=group)
    assert "inbox" in (await group.next_message()).text
    return organizer, group


def data_of(message: BotMessage, prefix: str) -> str:
    found = [d for d in message.button_data() if d.startswith(prefix)]
    assert found, (prefix, message.button_data())
    return found[0]


async def hand_off(user: EmulatedUser, question: str) -> BotMessage:
    """Ask what the bot cannot answer and press the hand-off button; the confirmation."""
    await user.send(question)
    unanswered = await user.next_message()
    await user.press_data(unanswered.message_id, data_of(unanswered, "tk:ask:"))
    return await user.next_message()


async def answer_recorded(bot: LocalBot, chat_id: int, message_id: int) -> None:
    """Until the outbox has stored the Telegram id of the answer (written just after the
    send): a person replies seconds later, a test at once."""
    for _ in range(200):
        if await store.ticket_of_answer(bot.db, chat_id, message_id) is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the answer's message id was never recorded")


async def post_recorded(bot: LocalBot, post: BotMessage) -> BotMessage:
    """The inbox message, once the outbox has stored its Telegram id (as for answers)."""
    for _ in range(200):
        if await store.ticket_of_post(bot.db, post.chat_id, post.message_id) is not None:
            return post
        await asyncio.sleep(0.05)
    raise AssertionError("the inbox message's id was never recorded")


async def until(chat: EmulatedChat, fragment: str) -> BotMessage:
    for _ in range(6):
        message = await chat.next_message()
        if fragment in message.text:
            return message
    raise AssertionError(f"no message with {fragment!r}")


@pytest.mark.strict_api
@pytest.mark.parametrize("language", ["es", "pt", "en"])
async def test_the_whole_loop(bot: LocalBot, language: str) -> None:
    organizer, group = await organizer_with_inbox(bot, forum=True)
    member = await person(bot, 9100, language, "Bea")
    sent = await hand_off(member, QUESTION[language])
    assert SENT[language] in sent.text

    post = await post_recorded(bot, await group.next_message())  # in a topic of its own
    assert QUESTION[language] in post.text and "Bea" in post.text
    assert post.thread_id in bot.emulator.topics[INBOX]
    assert len(post.button_data()) == 2  # Answer, Not for us (Make FAQ once answered)

    await organizer.send(ANSWER[language], chat=group, thread=post.thread_id)
    assert "Sent to the member" in (await group.next_message()).text

    def answer_offered() -> bool:
        shown = bot.emulator.find_message(INBOX, post.message_id)
        return shown is not None and any(d.startswith("tk:do:answer") for d in shown.button_data())

    await bot.emulator.wait_for(lambda: not answer_offered())  # answered: not a second time
    answer = await member.next_message(timeout=15)
    assert HEADER[language] in answer.text and ANSWER[language] in answer.text

    await answer_recorded(bot, answer.chat_id, answer.message_id)
    await member.send("¡Gracias! 🐶", reply_to=answer.message_id)  # writes back
    assert "🐶" in (await until(group, "🐶")).text
    await member.next_message()  # "sent: the organizers will read it"

    shown = bot.emulator.find_message(INBOX, post.message_id)
    assert shown is not None and "🐶" in shown.text
    organizer.skip_all()
    await organizer.press_data(post.message_id, data_of(shown, "tk:do:faq:"), chat=group)
    for _ in range(2):  # the preview in private: keep the question, keep the answer
        step = await organizer.next_message()
        await organizer.press_data(step.message_id, data_of(step, "tk:fq:keep:"))
    step = await organizer.next_message()
    await organizer.press_data(step.message_id, data_of(step, "tk:fq:publish:"))
    assert "asked-1" in (await until(organizer, "asked-1")).text
    other_language = "pt" if language != "pt" else "es"
    await organizer.send(f"/faq asked-1 {other_language} {QUESTION[other_language]} | Ok <b>")
    assert "Saved." in (await organizer.next_message()).text
    await organizer.send("/faq asked-1 fr Q | A")
    assert "Usage: /faq" in (await organizer.next_message()).text
    await organizer.send("/unanswered")
    missing = (await organizer.next_message()).text
    assert "missing a language" in missing and "asked-1" in missing

    other = await person(bot, 9200, language, "Caio")
    await other.send(QUESTION[language])
    direct = await other.next_message()
    assert ANSWER[language] in direct.text  # answered at once, no ticket
    await other.press_data(direct.message_id, data_of(direct, "tk:fb:0:"))
    offer = await other.next_message()
    assert "tk:type" in offer.button_data()
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/stats")
    assert "FAQ asked-1: 👍 0 / 👎 1" in (await admin.next_message()).text


@pytest.mark.strict_api
async def test_bad_input_in_a_plain_group_inbox(bot: LocalBot) -> None:
    organizer, group = await organizer_with_inbox(bot, forum=False)
    member = await person(bot, 9300, "en", "Dan")
    await hand_off(member, QUESTION["en"])
    post = await post_recorded(bot, await group.next_message())
    assert post.thread_id is None

    stranger = await person(bot, 9301, "en", "Eve")  # in the group, not an organizer
    await stranger.send("I answer instead", chat=group, reply_to=post.message_id)
    assert "Only organizers" in (await group.next_message()).text

    await organizer.send("x" * 5000, chat=group, reply_to=post.message_id)
    assert "too long" in (await group.next_message()).text  # Telegram's own limit: refused
    long_html = "<b>bold</b> & " + "x" * 4000  # with the heading, over one message
    await organizer.send(long_html, chat=group, reply_to=post.message_id)
    assert "Sent to the member" in (await group.next_message()).text
    first = await member.next_message(timeout=15)
    second = await member.next_message(timeout=15)
    assert "bold &" in first.text and "<b>" not in first.text  # Telegram HTML, as /broadcast
    assert "<b>bold</b> &" in (first.html or "")
    assert "x" * 4000 in first.text + second.text  # split like every long message

    colleague = await person(bot, 9302, "en", "Finn")
    await set_role(bot.db, 9302, Role.organizer)
    await colleague.send("Me too", chat=group, reply_to=post.message_id)
    assert "Olga already answered" in (await group.next_message()).text

    shown = bot.emulator.find_message(INBOX, post.message_id)
    assert shown is not None
    await organizer.press_data(post.message_id, data_of(shown, "tk:do:dismiss:"), chat=group)
    await bot.emulator.wait_for(lambda: shown.button_data() == ["tk:do:reopen:1"])
    member.skip_all()
    await answer_recorded(bot, first.chat_id, first.message_id)
    await member.send("Thanks", reply_to=first.message_id)
    assert "conversation is closed" in (await member.next_message()).text
    await organizer.send("One more thing", chat=group, reply_to=post.message_id)
    assert "reopen it first" in (await group.next_message()).text
    await member.expect_silence(0.3)
    assert [n.author for n in await store.notes_of(bot.db, 1)] == ["member", "organizer"]

    other = await person(bot, 9303, "pt", "Hugo")  # Answer, then type in the private chat
    await hand_off(other, QUESTION["pt"])
    second_post = await until(group, QUESTION["pt"])
    organizer.skip_all()
    await organizer.press_data(
        second_post.message_id, data_of(second_post, "tk:do:answer:"), chat=group
    )
    assert "question #2" in (await organizer.next_message()).text
    await organizer.send(ANSWER["pt"])
    assert "Sent to the member" in (await organizer.next_message()).text
    assert ANSWER["pt"] in (await until(other, HEADER["pt"])).text


@pytest.mark.strict_api
async def test_blocked_erased_capped_and_private_inbox(bot: LocalBot) -> None:
    organizer = await person(bot, ORGANIZER, "en", "Olga")
    await set_role(bot.db, ORGANIZER, Role.organizer)
    member = await person(bot, 9400, "en", "Gil")
    await hand_off(member, QUESTION["en"])
    post = await post_recorded(bot, await organizer.next_message())  # no group: in private
    assert QUESTION["en"] in post.text

    bot.emulator.block_user(9400)  # the member blocks the bot before the answer
    await organizer.send(ANSWER["en"], reply_to=post.message_id)
    assert "Sent to the member" in (await organizer.next_message()).text
    assert "cannot be reached" in (await until(organizer, "cannot be reached")).text
    bot.emulator.unblock_user(9400)

    again = await hand_off(member, QUESTION["en"])  # answered, so not open: a new ticket
    assert "#2" in again.text
    await organizer.next_message()
    await member.send(QUESTION["en"])  # still open: the same one, not sent twice
    unanswered = await member.next_message()
    query = await member.press_data(unanswered.message_id, data_of(unanswered, "tk:ask:"))
    assert "Already sent" in (await member.next_callback_answer(query))["text"]
    for animal in ("cat", "parrot", "hamster"):  # five tickets a day; the sixth is refused
        assert "#" in (await hand_off(member, QUESTION["en"].replace("dog", animal))).text
        await organizer.next_message()
    assert "5 questions" in (await hand_off(member, QUESTION["en"].replace("dog", "fish"))).text

    await erase_member(bot.db, 9400)
    ticket = await store.get_ticket(bot.db, 2)
    assert ticket is not None and ticket.erased and ticket.question == "" and not ticket.member_id
    (mine,) = [p for p in await store.posts_of(bot.db, 2) if p.chat_id == ORGANIZER]
    await organizer.send("Late answer", reply_to=mine.message_id)
    assert "erased their data" in (await organizer.next_message()).text
    await organizer.expect_silence(0.2)


@pytest.mark.strict_api
async def test_unanswered_phrasings_are_grouped_and_attached(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    first, second = await person(bot, 9500, "en"), await person(bot, 9501, "en")
    for user, question in (
        (first, "how to enrol from abroad"),
        (second, "How do I enrol from abroad?"),
    ):
        await user.send(question)
        assert "tk:ask:" in data_of(await user.next_message(), "tk:ask:")
    await admin.send("/unanswered")
    listing = await admin.next_message()
    assert "Similar questions" in listing.text and "2× / 2" in listing.text
    accept = data_of(listing, "tk:alt:")
    assert accept.endswith(":f:join-course")
    await admin.press_data(listing.message_id, accept)
    await admin.expect_silence(0.3)
    await first.send("how to enrol from abroad")
    assert "Open the course page." in (await first.next_message()).text
