"""CPU per update: ``python -m bench.updates [--count N]``

The project's bot (``python -m bot run``, SQLite, the sample network, no flood limits) and
a bare python-telegram-bot echo bot (:mod:`bench.echo_bot`) are each run in their own
process against the emulator served by this one; the CPU time the bot process spends is
read from ``/proc`` and its idle rate (polling, periodic jobs) is subtracted. Three kinds of
update: ``/help``, a question answered from the catalog, and a survey button tap (the
option of a question, answered by editing the message in place). One-time work (imports,
the question answerer's index) is done by a warm-up before anything is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.data import import_survey
from bench.harness import add_members, machine, table
from bench.procbot import BotUnderTest, cpu_per_update, idle_rate, launch, wait_polling
from bot.app.config import load_settings
from bot.devtools.emulator import BotAPIEmulator, EmulatedUser
from bot.devtools.sample import load_sample_data
from storage.db import Database
from storage.types import utcnow

ADMIN = 9_000_001
FIRST_ID = 400_000
QUESTION = "¿cuándo empieza el curso de big data?"


async def prepare(database_url: str, members: int) -> None:
    """A migrated database with the sample network, a survey and onboarded members."""
    db = Database(database_url)
    await db.upgrade()
    settings = load_settings(bot_token="1:bench", database_url=database_url)
    await load_sample_data(db, settings, now=utcnow())
    await import_survey(db)
    await add_members(db, range(FIRST_ID, FIRST_ID + members), language="es")
    await db.dispose()


async def answered(user: EmulatedUser, text: str, timeout: float = 60) -> None:
    """Type ``text`` and wait for the first message of the answer."""
    await user.send(text)
    await user.next_message(timeout=timeout)


async def first_question(user: EmulatedUser) -> object:
    """Open the survey invitation and return the message of its first question."""
    invitation = await user.next_message(timeout=120)
    await user.press(invitation, "▶ Responder")
    return await user.next_message(timeout=60)  # under the survey's title


async def tap_option(user: EmulatedUser, question: object) -> None:
    from bot.devtools.emulator import BotMessage

    assert isinstance(question, BotMessage)
    option = next(b for row in question.buttons for b in row if b.text.startswith("Opción"))
    edits = question.edits
    await user.press(question, option.text)
    await user.next_edit(question, edits, timeout=60)


async def measure_echo(count: int, folder: Path) -> dict[str, float]:
    emulator = BotAPIEmulator(record_calls=False)
    await emulator.start()
    bot = BotUnderTest.start(emulator, ["bench.echo_bot"], folder / "echo.log")
    try:
        await wait_polling(emulator)
        users = [emulator.user(user_id=FIRST_ID + i, language_code="es") for i in range(count)]
        await asyncio.gather(*(answered(u, "warm up") for u in users))
        idle = await idle_rate(bot)
        text = await cpu_per_update(bot, idle, count, lambda i: answered(users[i], "/help"))
        last = [u.messages[-1] for u in users]

        async def tap(i: int) -> None:
            edits = last[i].edits
            await users[i].press(last[i], "tap")
            await users[i].next_edit(last[i], edits, timeout=60)

        taps = await cpu_per_update(bot, idle, count, tap)
        return {"text": text, "tap": taps, "idle": idle * 1000}
    finally:
        await bot.stop()
        await emulator.stop()


async def measure_project(count: int, folder: Path) -> dict[str, float]:
    database_url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    await prepare(database_url, count)
    emulator = BotAPIEmulator(record_calls=False)
    await emulator.start()
    bot = BotUnderTest.start(
        emulator,
        ["bot", "run"],
        folder / "bot.log",
        DATABASE_URL=database_url,
        ADMIN_IDS=str(ADMIN),
    )
    try:
        await wait_polling(emulator)
        users = [emulator.user(user_id=FIRST_ID + i, language_code="es") for i in range(count)]
        await asyncio.gather(*(answered(u, "/help") for u in users))  # warm up
        await answered(users[0], QUESTION)  # the answerer's index is built once, at first use
        idle = await idle_rate(bot)
        help_ms = await cpu_per_update(bot, idle, count, lambda i: answered(users[i], "/help"))
        question_ms = await cpu_per_update(bot, idle, count, lambda i: answered(users[i], QUESTION))
        admin = emulator.user(user_id=ADMIN, first_name="Admin", language_code="es")
        await launch(admin)
        questions = await asyncio.gather(*(first_question(u) for u in users))
        await asyncio.sleep(1.0)
        tap_ms = await cpu_per_update(
            bot, idle, count, lambda i: tap_option(users[i], questions[i])
        )
        return {"help": help_ms, "question": question_ms, "tap": tap_ms, "idle": idle * 1000}
    finally:
        await bot.stop()
        await emulator.stop()


def times(value: float, yardstick: float) -> str:
    """``3.1×``; a question mark when the yardstick came out as nothing (a noisy idle rate)."""
    return f"{value / yardstick:.1f}×" if yardstick > 0 else "?×"


async def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cinterfor-bench-"))
    started = time.monotonic()
    echo = await measure_echo(count, folder)
    project = await measure_project(count, folder)
    print(f"CPU per update on {machine()}, {count} updates of each kind\n")
    print(
        table(
            "CPU milliseconds per update (bot process; idle rate subtracted)",
            [
                ("echo bot: text", f"{echo['text']:.1f} ms", "—"),
                ("echo bot: button tap", f"{echo['tap']:.1f} ms", "—"),
                (
                    "/help",
                    f"{project['help']:.1f} ms ({times(project['help'], echo['text'])} echo)",
                    "≤ 2× echo",
                ),
                (
                    "a question",
                    f"{project['question']:.1f} ms "
                    f"({times(project['question'], echo['text'])} echo)",
                    "≤ 3× echo",
                ),
                ("survey button tap", f"{project['tap']:.1f} ms", "≤ 10 ms"),
                ("idle (per second)", f"{project['idle']:.1f} ms/s", "—"),
            ],
        )
    )
    print(f"\n(took {time.monotonic() - started:.0f} s; logs in {folder})")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    asyncio.run(main(parser.parse_args().count))


if __name__ == "__main__":
    cli()
