"""Issue 15 over the emulator: a survey of the data file opens by itself at ``opens`` (its
invitations through the outbox, once, with two bot processes on one database) unless the
file says ``status: draft``; /launch asks first, with the number of members it will invite."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import CallbackContext

from bot.devtools.emulator import EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.importer.load import run_import
from bot.jobs.surveys import survey_tick
from storage import surveys as store
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.helpers import drain, onboarded, two_processes

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OPENS = NOW + timedelta(hours=2)
SURVEYS = """
version: 1
surveys:
  - id: on-time
    title: {es: "Encuesta puntual", en: "On-time survey"}
    opens: 2026-12-01T11:00            # 14:00 UTC
    closes: 2026-12-20T18:00
    timezone: America/Montevideo
    questions:
      - {id: q1, kind: yesno, text: {es: "¿Todo bien?", en: "All fine?"}}
  - id: held
    title: {es: "Encuesta retenida", en: "Held survey"}
    status: draft
    opens: 2026-12-01T11:00
    closes: 2026-12-20T18:00
    timezone: America/Montevideo
    questions:
      - {id: q1, kind: yesno, text: {es: "¿Todo bien?", en: "All fine?"}}
""".encode()

pytestmark = pytest.mark.strict_api


async def members(bot: LocalBot, ids: range) -> dict[int, EmulatedUser]:
    return await onboarded(bot, dict.fromkeys(ids, (None, "es")))


async def tick_both(first: LocalBot, second: LocalBot) -> None:
    await asyncio.gather(
        survey_tick(CallbackContext(first.application)),
        survey_tick(CallbackContext(second.application)),
    )
    await drain(first, second)


async def test_opens_by_itself_once_with_two_processes_unless_draft(database_url: str) -> None:
    clock = FakeClock(NOW)
    async with two_processes(database_url, clock) as (first, second):
        users = await members(first, range(3300, 3310))
        outcome = await run_import(
            first.db,
            [("surveys.yaml", SURVEYS)],
            default_language="es",
            default_timezone="America/Montevideo",
        )
        assert outcome.ok, outcome.errors
        await tick_both(first, second)
        assert all(len(u.messages) == 1 for u in users.values())  # not yet: only /help
        clock.set(OPENS + timedelta(minutes=1))
        await tick_both(first, second)
        await tick_both(first, second)
        await asyncio.sleep(0.5)
        found = await store.get_survey(first.db, "on-time")
        held = await store.get_survey(first.db, "held")
    assert found is not None and found[0].status == "open"
    assert held is not None and held[0].status == "draft"
    invitations = {uid: [m.text for m in u.messages[1:]] for uid, u in users.items()}
    assert all(len(texts) == 1 for texts in invitations.values()), invitations
    assert all("Encuesta puntual" in texts[0] for texts in invitations.values())


async def test_launch_asks_with_the_recipient_count(sqlite_url: str) -> None:
    clock = FakeClock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as bot:
        users = await members(bot, range(3400, 3403))
        admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
        await admin.send_document("surveys.yaml", SURVEYS, caption="/import")
        assert "Import done" in (await admin.next_message()).text
        await admin.send("/launch held")
        asked = await admin.next_message()
        count = re.search(r"invite (\d+) members\?", asked.text)
        assert "Held survey" in asked.text and count is not None and int(count[1]) == 4
        await admin.press(asked, "Cancel")
        await bot.emulator.wait_for(lambda: "Nothing was changed" in asked.text)
        held = await store.get_survey(bot.db, "held")
        assert held is not None and held[0].status == "draft"

        await admin.send("/launch held")
        again = await admin.next_message()
        await admin.press(again, "✅ Open and invite")
        await bot.emulator.wait_for(lambda: "Survey open: 4 members invited." in again.text)
        forged = await admin.press_data(again.message_id, "sv:launch:Not A Slug:1")
        assert "no longer valid" in (await admin.next_callback_answer(forged))["text"]
        clock.set(OPENS + timedelta(minutes=1))  # the invitations wait for opens
        assert bot.services.delivery is not None
        bot.services.delivery.wake()
        await bot.services.delivery.run_until_idle(20, horizon=0)

        def invited_once() -> bool:
            return all(
                sum("Encuesta retenida" in m.text for m in u.messages) == 1 for u in users.values()
            )

        await bot.emulator.wait_for(invited_once)
