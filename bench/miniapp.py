"""Mini App API benchmark: ``python -m bench.miniapp [--organizers 50] [--responses 10000]``

The bot runs as ``python -m bot run`` in its own process (polling the emulator, its HTTP
server on PORT with WEBAPP_URL set); this process holds the emulator and the organizers.
A survey of 66 institutions' members has ``--responses`` submitted responses of 10
answers each. ``--organizers`` organizers open its board at once
(``GET /app/api/board/surveys/bench``), each with their own signed init data: first back
to back (each sends its next request as soon as the last is answered: the worst case),
then paced (each refreshes its board every 2 s, as a page showing live counts would).
Latency p50/p99, requests per second, and the first (cold) request, which computes the
board before it is kept for that version of the responses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import insert, update

from bench.data import add_responses, import_survey
from bench.harness import machine, percentile, python_env, scratch_database, table
from bench.procbot import free_port, wait_polling
from bot.devtools.emulator import BotAPIEmulator
from bot.webapp.auth import sign_init_data
from storage.db import Database
from storage.models import Answer, Institution, Member
from storage.types import utcnow

FIRST_ORGANIZER = 8_000_000
FIRST_MEMBER = 300_000
INSTITUTIONS = 66
GOAL_P99 = 0.150
PACE = 2.0  # seconds between two refreshes of one organizer's board (paced run)


async def prepare(database_url: str, responses: int, organizers: int) -> None:
    """The survey, its members spread over 66 institutions, their submitted answers."""
    from bench.harness import add_members

    db = Database(database_url)
    await db.upgrade()
    await import_survey(db)
    ids = list(range(FIRST_MEMBER, FIRST_MEMBER + responses))
    await add_members(db, ids)
    staff = list(range(FIRST_ORGANIZER, FIRST_ORGANIZER + organizers))
    await add_members(db, staff)
    now = utcnow()
    rng = random.Random(7)
    async with db.session() as session:
        session.add_all(
            Institution(
                id=f"i{n}",
                acronym=f"I{n}",
                country="UY",
                timezone="America/Montevideo",
                name={"es": f"Institución {n}"},
                updated_at=now,
            )
            for n in range(INSTITUTIONS)
        )
        for n in range(INSTITUTIONS):
            await session.exec(
                update(Member)
                .where(Member.user_id.in_(ids[n::INSTITUTIONS]))  # type: ignore[attr-defined]
                .values(verified_institution_id=f"i{n}", institution_id=f"i{n}")
            )
        await session.exec(
            update(Member).where(Member.user_id.in_(staff)).values(role="organizer")  # type: ignore[attr-defined]
        )
        await add_responses(session, ids, now)
        rows = [
            {
                "response_id": k + 1,
                "question_id": f"q{q}",
                "value": rng.randint(0, 100)
                if q == 10
                else (
                    rng.choice(["yes", "no"])
                    if q % 3 == 0
                    else (f"o{rng.randint(1, 4)}" if q % 3 == 1 else rng.randint(1, 5))
                ),
                "answered_by": i,
                "answered_at": now,
            }
            for k, i in enumerate(ids)
            for q in range(1, 11)
        ]
        for start in range(0, len(rows), 5000):
            await session.exec(insert(Answer).values(rows[start : start + 5000]))
    await db.dispose()


def init_data(token: str, user_id: int) -> str:
    user = {"id": user_id, "first_name": f"U{user_id}", "language_code": "es"}
    return sign_init_data(token, {"auth_date": int(time.time()), "user": user})


async def organizer(
    http: aiohttp.ClientSession,
    url: str,
    header: str,
    rounds: int,
    latencies: list[float],
    every: float = 0.0,
) -> int:
    """``rounds`` requests, each as soon as the last is answered (``every`` 0) or one every
    ``every`` seconds (a page refreshing a live board); returns how many failed."""
    failures = 0
    await asyncio.sleep(random.random() * every)  # organizers do not all start at once
    for _ in range(rounds):
        started = time.perf_counter()
        async with http.get(url, headers={"Authorization": header}) as got:
            body = await got.read()
        took = time.perf_counter() - started
        latencies.append(took)
        if got.status != 200 or not json.loads(body)["institutions"]:
            failures += 1
        if every:
            await asyncio.sleep(max(0.0, every - took))
    return failures


async def wait_http(http: aiohttp.ClientSession, base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            async with http.get(base + "/healthz") as got:
                if got.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError("the bot's HTTP server never answered")


def start_bot(env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    """``python -m bot run`` in its own process, its log in the scratch folder."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=folder,
        stdout=(folder / "bot.log").open("ab"),
        stderr=subprocess.STDOUT,
    )


async def run(organizers: int, responses: int, rounds: int) -> dict[str, float]:
    database_url, folder = scratch_database()
    await prepare(database_url, responses, organizers)
    emulator = BotAPIEmulator(record_calls=False)
    await emulator.start()
    port = free_port()
    env = python_env(
        BOT_TOKEN=emulator.token,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        LOG_LEVEL="WARNING",
        PORT=str(port),
        DATABASE_URL=database_url,
        WEBAPP_URL="https://example.org/app/",
    )
    bot = start_bot(env, folder)
    base = f"http://127.0.0.1:{port}"
    url = base + "/app/api/board/surveys/bench"
    try:
        await wait_polling(emulator)
        connector = aiohttp.TCPConnector(limit=organizers)
        async with aiohttp.ClientSession(connector=connector) as http:
            await wait_http(http, base)
            headers = [
                "tma " + init_data(emulator.token, FIRST_ORGANIZER + n) for n in range(organizers)
            ]
            cold: list[float] = []
            await organizer(http, url, headers[0], 1, cold)
            figures: dict[str, float] = {"cold": cold[0]}
            for name, every, count in (("closed", 0.0, rounds), ("paced", PACE, rounds)):
                latencies: list[float] = []
                started = time.perf_counter()
                failed = await asyncio.gather(
                    *(organizer(http, url, h, count, latencies, every) for h in headers)
                )
                elapsed = time.perf_counter() - started
                figures |= {
                    f"{name}_p50": percentile(latencies, 0.5),
                    f"{name}_p99": percentile(latencies, 0.99),
                    f"{name}_max": max(latencies),
                    f"{name}_rate": len(latencies) / elapsed,
                    f"{name}_requests": len(latencies),
                    f"{name}_failed": sum(failed),
                }
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 20)
        await emulator.stop()
    return figures


def rows(figures: dict[str, float]) -> list[tuple[str, str, str]]:
    goal = f"≤ {GOAL_P99 * 1000:.0f} ms"
    found: list[tuple[str, str, str]] = []
    for name, label in (
        ("closed", "back to back (next request as soon as answered)"),
        ("paced", f"one request every {PACE:.0f} s per organizer"),
    ):
        found += [
            (f"{label}: p50", f"{figures[name + '_p50'] * 1000:.0f} ms", "—"),
            (f"{label}: p99", f"{figures[name + '_p99'] * 1000:.0f} ms", goal),
            (f"{label}: slowest", f"{figures[name + '_max'] * 1000:.0f} ms", "—"),
            (
                f"{label}: requests/s",
                f"{figures[name + '_rate']:.0f} ({figures[name + '_requests']:.0f} requests, "
                f"{figures[name + '_failed']:.0f} failed)",
                "—",
            ),
        ]
    found.append(
        ("first request (board computed, then kept)", f"{figures['cold'] * 1000:.0f} ms", "—")
    )
    return found


async def main(organizers: int, responses: int, rounds: int) -> None:
    figures = await run(organizers, responses, rounds)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Mini App API benchmark on {machine()}, {when}, load average {load}\n")
    print(
        table(
            f"{organizers} organizers on GET /app/api/board/surveys/{{id}}, "
            f"a survey of {responses:,} responses",
            rows(figures),
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizers", type=int, default=50)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="requests per organizer")
    options = parser.parse_args()
    asyncio.run(main(options.organizers, options.responses, options.rounds))
