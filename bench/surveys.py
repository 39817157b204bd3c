"""Survey benchmark: ``python -m bench.surveys [--members N] [--responses N]``

1. 500 members answer a 10-question survey at once, through the emulator with Telegram's
   limits on (the bot as ``python -m bot run`` in its own process, the emulator in this
   one): answers per second, latency from a
   member's tap or message to the bot's visible answer (p50/p99), and answers lost.
   Nine questions are buttons (the message is edited in place), the last one is a typed
   number (answered with a new message, so it waits for Telegram's 30 msg/s like the first
   message of each member).
2. Results (rates, counts, means) and the CSV for 10,000 stored responses, timed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time

from sqlalchemy import insert

from bench.data import add_responses, import_survey
from bench.harness import add_members, machine, percentile, scratch_database, table
from bench.procbot import BotUnderTest, launch, wait_polling
from bot.core.i18n import Translator
from bot.devtools.emulator import BotAPIEmulator, EmulatedUser, FloodLimits
from bot.render.exports import to_csv, to_xlsx
from storage import surveys as store
from storage.db import Database
from storage.models import Answer
from storage.types import utcnow

ADMIN = 9_000_001
FIRST_ID = 300_000
REPEATS = 5


async def one_member(
    user: EmulatedUser, rng: random.Random, taps: list[float], typed: list[float]
) -> bool:
    invitation = await user.next_message(timeout=300)
    started = time.monotonic()
    await user.press(invitation, "▶ Responder")
    question = await user.next_message(timeout=300)  # under the survey's title
    typed.append(time.monotonic() - started)
    for _ in range(9):
        choices = [
            b
            for row in question.buttons
            for b in row
            if b.callback_data and b.callback_data.startswith("sv:a:")
        ]
        if not choices:
            raise RuntimeError(f"member {user.user_id}: no answer buttons on {question.text!r}")
        edits = question.edits
        started = time.monotonic()
        await user.press(question, rng.choice(choices).callback_data or "")
        await user.next_edit(question, edits, timeout=120)
        taps.append(time.monotonic() - started)
    started = time.monotonic()
    await user.send(str(rng.randint(0, 100)))
    summary = await user.next_message(timeout=300)
    typed.append(time.monotonic() - started)
    edits = summary.edits
    started = time.monotonic()
    await user.press(summary, "✅ Enviar respuestas")
    await user.next_edit(summary, edits, timeout=120)
    taps.append(time.monotonic() - started)
    return "Gracias" in summary.text


async def prepare(database_url: str, ids: list[int]) -> None:
    """A migrated database with the 10-question survey and the members who answer it."""
    db = Database(database_url)
    await db.upgrade()
    await import_survey(db)
    await add_members(db, ids, language="es")
    await db.dispose()


async def stored_results(database_url: str) -> tuple[int, int]:
    """Answers stored and responses sent, read from the database the bot wrote."""
    db = Database(database_url)
    try:
        result = await store.results(db, "bench")
        assert result is not None
        return sum(item.answered for item in result.per_question), result.submitted
    finally:
        await db.dispose()


async def answering(members: int) -> dict[str, float]:
    """The bot as ``python -m bot run`` in its own process (as in bench/updates.py), the
    emulator with Telegram's limits and the members in this one."""
    database_url, folder = scratch_database()
    ids = list(range(FIRST_ID, FIRST_ID + members))
    await prepare(database_url, ids)
    emulator = BotAPIEmulator(limits=FloodLimits(), record_calls=False)
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
        users = [emulator.user(user_id=i, language_code="es") for i in ids]
        admin = emulator.user(user_id=ADMIN, first_name="Admin", language_code="es")
        await launch(admin)
        await emulator.wait_for(
            lambda: all(u.messages for u in users), 300, what="every invitation"
        )
        rng = random.Random(5)
        taps: list[float] = []
        typed: list[float] = []
        started = time.monotonic()
        bot_cpu, own_cpu = bot.cpu(), time.process_time()
        done = await asyncio.gather(*(one_member(u, rng, taps, typed) for u in users))
        elapsed = time.monotonic() - started
        bot_cpu, own_cpu = bot.cpu() - bot_cpu, time.process_time() - own_cpu
        stored, submitted = await stored_results(database_url)
        return {
            "members": members,
            "finished": sum(done),
            "elapsed": elapsed,
            "answers": members * 10,
            "stored": stored,
            "submitted": submitted,
            "tap_p50": percentile(taps, 0.5),
            "tap_p99": percentile(taps, 0.99),
            "typed_p50": percentile(typed, 0.5),
            "typed_p99": percentile(typed, 0.99),
            "bot_cpu": bot_cpu,
            "own_cpu": own_cpu,
        }
    finally:
        await bot.stop()
        await emulator.stop()


async def big_results(responses: int) -> dict[str, float]:
    database_url, _ = scratch_database()
    db = Database(database_url)
    await db.upgrade()
    await import_survey(db)
    ids = list(range(FIRST_ID, FIRST_ID + responses))
    await add_members(db, ids)
    rng = random.Random(3)
    now = utcnow()
    async with db.session() as session:
        await add_responses(session, ids, now)
        values = {
            1: lambda: f"o{rng.randint(1, 4)}",
            2: lambda: rng.randint(1, 5),
            3: lambda: rng.choice(["yes", "no"]),
            10: lambda: rng.randint(0, 100),
        }
        rows = [
            {
                "response_id": n + 1,
                "question_id": f"q{q}",
                "value": values.get(q, values[(q - 1) % 3 + 1])(),
                "answered_by": i,
                "answered_at": now,
            }
            for n, i in enumerate(ids)
            for q in range(1, 11)
        ]
        for start in range(0, len(rows), 5000):
            await session.exec(insert(Answer).values(rows[start : start + 5000]))
    del rows  # 100,000 dicts the bot would not hold: they only slow the collector down
    gc.collect()
    tr = Translator("es")
    timings: dict[str, list[float]] = {"results": [], "csv": [], "both": []}
    for _ in range(REPEATS):  # the first pass is cold (nothing cached), reported apart
        started = time.perf_counter()
        result = await store.results(db, "bench")
        results_s = time.perf_counter() - started
        assert result is not None and result.submitted == responses
        started = time.perf_counter()
        questions, export = await store.export_rows(db, "bench")
        csv_bytes = to_csv(questions, export, tr, "es")
        csv_s = time.perf_counter() - started
        timings["results"].append(results_s)
        timings["csv"].append(csv_s)
        timings["both"].append(results_s + csv_s)
    started = time.perf_counter()
    to_xlsx(questions, export, tr, "es", "bench")
    xlsx_s = time.perf_counter() - started
    await db.dispose()
    return {
        "results": statistics.median(timings["results"]),
        "csv": statistics.median(timings["csv"]),
        "both": statistics.median(timings["both"]),
        "both_cold": timings["both"][0],
        "both_worst": max(timings["both"]),
        "xlsx": xlsx_s,
        "rows": len(export),
        "csv_mb": len(csv_bytes) / 1e6,
    }


async def main(members: int, responses: int) -> None:
    print(f"Survey benchmark on {machine()}\n")
    run = await answering(members)
    print(
        table(
            f"1. {members} members answer a 10-question survey at once (limit 30 msg/s)",
            [
                (
                    "answers per second",
                    f"{run['answers'] / run['elapsed']:.0f} "
                    f"({run['answers']:,} in {run['elapsed']:.0f} s)",
                    "≥ 80",
                ),
                (
                    "tap → edited question, p50 / p99",
                    f"{run['tap_p50']:.1f} / {run['tap_p99']:.1f} s",
                    "—",
                ),
                (
                    "typed answer or first question → new message, p50 / p99",
                    f"{run['typed_p50']:.1f} / {run['typed_p99']:.1f} s",
                    "bounded by 30 msg/s shared by all",
                ),
                (
                    "CPU: the bot's process / the emulator and members' process",
                    f"{run['bot_cpu']:.0f} / {run['own_cpu']:.0f} s",
                    "—",
                ),
                ("answers lost", f"{run['answers'] - run['stored']}", "0"),
                ("responses sent", f"{run['submitted']}/{run['members']}", "all"),
            ],
        )
    )
    print()
    big = await big_results(responses)
    print(
        table(
            f"2. Results and exports for {responses:,} stored responses",
            [
                (
                    f"results (rates, counts, means), median of {REPEATS}",
                    f"{big['results']:.2f} s",
                    "< 2 s with CSV",
                ),
                (
                    f"CSV, median of {REPEATS}",
                    f"{big['csv']:.2f} s ({big['csv_mb']:.1f} MB)",
                    "< 2 s with results",
                ),
                (f"results + CSV, median of {REPEATS}", f"{big['both']:.2f} s", "< 2 s"),
                (
                    "results + CSV, first (cold) / worst run",
                    f"{big['both_cold']:.2f} / {big['both_worst']:.2f} s",
                    "—",
                ),
                ("XLSX", f"{big['xlsx']:.2f} s", "—"),
            ],
        )
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--responses", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.responses))


if __name__ == "__main__":
    cli()
