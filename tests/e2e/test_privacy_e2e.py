"""Privacy over the emulator: /forgetme leaves nothing of the person in the database files
and keeps the bot silent until /start; /mydata; /privacy; erasure in the middle of an open
survey and of a running broadcast."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.devtools.emulator import EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.messaging.compose import split_html
from storage import broadcasts
from storage.members import get_member, update_member
from storage.models import UnansweredQuestion
from tests.clock import FakeClock as Clock
from tests.conftest import ADMIN_ID
from tests.e2e.test_surveys_e2e import NOW, launch, prepare, press_and_wait
from tests.storage.test_erasure import text_hits

SURNAME = "Wexlerbottom"
QUESTION = "¿Hay un curso de zorblaxian-astronomía? mi correo es wexler-42@example.org"
COMMENT = "nuestro taller de quibbleflux funciona"
SECRETS = (SURNAME, "zorblaxian", "wexler-42", "quibbleflux")


@pytest.fixture
async def running(sqlite_url: str) -> AsyncIterator[LocalBot]:
    clock = Clock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as bot:
        await prepare(bot)
        yield bot


async def person(bot: LocalBot, user_id: int, last_name: str = SURNAME) -> EmulatedUser:
    user = bot.emulator.user(
        user_id=user_id, first_name="Erin", last_name=last_name, language_code="es"
    )
    await user.send("/help")
    await user.next_message()
    await update_member(bot.db, user_id, onboarded=True)
    return user


async def answer_up_to_the_comment(bot: LocalBot, user: EmulatedUser) -> None:
    """Half of skills-2026, ending with a typed comment; not submitted (still open)."""
    await user.press(await user.next_message(), "▶ Responder")
    question = await user.next_message()
    for label in ("Presencial", "4", "No"):
        await press_and_wait(user, question, label, bot)
    await user.send("40")
    assert "(5/6)" in (await user.next_message()).text
    await user.send("2020-03-16")
    assert "(6/6)" in (await user.next_message()).text
    await user.send(COMMENT)
    await user.next_message()  # the summary


def file_hits(bot: LocalBot, needle: str) -> list[str]:
    path = Path(bot.settings.database_url.split(":///", 1)[1])
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return [f.name for f in files if f.exists() and needle.encode() in f.read_bytes()]


async def my_data(user: EmulatedUser) -> dict[str, object]:
    await user.send("/mydata")
    document = await user.next_message()
    assert document.document is not None and document.document.file_name == "mydata.json"
    assert "Todo lo que guardo" in document.body
    data = json.loads(document.document.content)
    assert isinstance(data, dict)
    return data


@pytest.mark.strict_api
async def test_forgetme_leaves_nothing_and_only_says_how_to_come_back(
    running: LocalBot,
) -> None:
    user = await person(running, 8901)
    await user.send(QUESTION)
    assert "No encontré" in (await user.next_message()).text
    await launch(running, "skills-2026")
    await answer_up_to_the_comment(running, user)
    data = await my_data(user)
    assert data["member"]["last_name"] == SURNAME  # type: ignore[index]
    assert [q["text"] for q in data["questions_asked"]] == [QUESTION]  # type: ignore[attr-defined]
    assert COMMENT in json.dumps(data, ensure_ascii=False)
    assert all(file_hits(running, s) for s in SECRETS[:2])  # the bytes search sees them

    await user.send("/forgetme")
    confirm = await user.next_message()
    await user.press(confirm, "fm:yes")
    await running.emulator.wait_for(lambda: "borrados" in confirm.text)
    async with running.db.session() as session:
        assert await session.get(UnansweredQuestion, 1) is None
    for secret in SECRETS:
        assert file_hits(running, secret) == [], secret
        assert await text_hits(running.db, secret) == [], secret

    query = await user.press_data(confirm.message_id, "fm:yes")  # a double tap: silent
    assert "text" not in await user.next_callback_answer(query)
    for text in ("hola", "/survey"):  # one line saying how to come back, nothing else
        await user.send(text)
        assert "/start" in (await user.next_message()).text
    await user.expect_silence(1.0)
    assert await get_member(running.db, 8901) is None  # not re-created, in no audience

    await user.send("/start")
    greeting = await user.next_message()
    assert greeting.button_texts() == ["Español", "Português", "English"]
    member = await get_member(running.db, 8901)
    assert member is not None and not member.onboarded and not member.opted_out


@pytest.mark.strict_api
async def test_mydata_of_a_member_with_nothing_else(running: LocalBot) -> None:
    user = await person(running, 8902)
    data = await my_data(user)
    assert data["member"]["user_id"] == 8902  # type: ignore[index]
    assert data["rsvps"] == data["survey_responses"] == data["questions_asked"] == []
    assert data["deliveries"] == data["drafts"] == []


@pytest.mark.strict_api
async def test_privacy_notice_and_the_admins_text(running: LocalBot) -> None:
    user = await person(running, 8903)
    await user.send("/privacy")
    notice = (await user.next_message()).text
    assert "/forgetme" in notice and "90 días" in notice and "Privacidad" in notice
    await user.send("/privacy set es Nada")
    assert "solo los administradores" in (await user.next_message()).text.lower()
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/privacy set xx Hi")
    assert "Usage: /privacy set" in (await admin.next_message()).text
    await admin.send("/privacy set es Guardamos lo mínimo <y> nada más.")
    assert "saved" in (await admin.next_message()).text
    await user.send("/privacy")
    assert (await user.next_message()).text == "Guardamos lo mínimo <y> nada más."
    await admin.send("/privacy")
    assert "90 days" in (await admin.next_message()).text  # English: still the built-in one
    await admin.send("/privacy set es")
    await admin.next_message()
    await user.send("/privacy")
    assert "/mydata" in (await user.next_message()).text


@pytest.mark.strict_api
async def test_erasure_during_a_running_broadcast(sqlite_url: str) -> None:
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), send_rate_limit=10) as bot:
        others = [await person(bot, 8950 + i, last_name="Other") for i in range(15)]
        erin = await person(bot, 8949)
        await broadcasts.create_broadcast(
            bot.db,
            created_by=ADMIN_ID,
            actor_name="Root",
            texts={"es": "Anuncio de la red"},
            audience=["all"],
            now=NOW,
            default_language="es",
            split=split_html,
        )
        assert bot.services.delivery is not None
        bot.services.delivery.wake()
        await erin.send("/forgetme")
        confirm = await erin.next_message()
        await erin.press(confirm, "fm:yes")
        await bot.emulator.wait_for(lambda: "borrados" in confirm.text)
        erased_at = len(erin.messages)
        await bot.services.delivery.run_until_idle()
        for other in others:
            await bot.emulator.wait_for(
                lambda o=other: any("Anuncio" in m.text for m in o.messages)  # type: ignore[misc]
            )
        await asyncio.sleep(0.3)
        assert len(erin.messages) == erased_at, [m.text for m in erin.messages]
        assert await get_member(bot.db, 8949) is None
        sent = [m for m in erin.messages if "Anuncio" in m.text]
        assert len(sent) <= 1  # at most the one already on its way before the erasure


async def test_the_retention_job_runs_with_the_bot(running: LocalBot) -> None:
    assert running.settings.retention_days == 90
    queue = running.application.job_queue
    assert queue is not None and queue.get_jobs_by_name("retention")
