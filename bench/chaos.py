"""Chaos benchmark: a broadcast drained by the real bot process while the emulator misbehaves
in every way it knows. ``python -m bench.chaos [--members N] [--outage S] [--flood S]``

1. A broadcast to N members (5,000) at 30 msg/s while the emulator answers 2% of sends with
   HTTP 200 ``ok: false``, 2% with a 502 HTML page, 1% with a body that is not JSON, 0.5%
   after the client's timeout (delivered, answered late), 0.5% with a reset connection;
   1% of the members' chats do not exist (400 chat not found), 2% blocked the bot (403); one
   chat answers 429 ``retry_after`` 60 for two minutes; a total outage (every method, 60 s)
   starts half way; the bot is killed (-9) at two thirds and restarted. Meanwhile 50
   members ask (/help or a question) outside the outage and the restart.
2. One member floods the bot with 200 texts while 50 others ask: their reply latency.

Delivered, lost and duplicated are counted by the emulator (what reached each chat); rows
left ``sending`` are read from the outbox once the drain is over. ``CHAOS_DEBUG=1`` prints
the chats that got a message twice, their outbox rows and the bot's log file (at INFO).
Small runs: ``--members 600 --outage 10 --flood 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.broadcast import QUESTIONS, wait_drained
from bench.data import bench_broadcast, import_sample
from bench.harness import (
    BotProcess,
    Emulator,
    add_members,
    machine,
    percentile,
    rig,
    start_bot,
    table,
)
from storage import outbox
from storage.db import Database

FIRST_ID = 100_000
ASKER_ID = 900_000
FLOODER_ID = 800_000
WARM_ID = 700_000
RATE = 30.0
LATE_DELAY = 25.0  # past the engine's 20 s send timeout: delivered, but heard of too late
RANDOM_FAULTS = {
    "ok_false": 0.02,
    "html_bad_gateway": 0.02,
    "not_json": 0.01,
    "late": 0.005,
    "reset": 0.005,
}
MISSING_SHARE, BLOCKED_SHARE = 0.01, 0.02
DEBUG = bool(os.environ.get("CHAOS_DEBUG"))
EVENTS: list[tuple[str, float]] = []
# The error handler's answer when a reply could not be sent (a fault hit the reply itself):
# it comes instead of the answer, and is counted apart.
APOLOGY = "Sorry, something went wrong"
APOLOGISED: list[int] = []


@dataclass
class Storm:
    members: int
    missing: int = 0
    blocked: int = 0
    lost: int = 0
    duplicated: int = 0
    drain_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)  # first answers after each start
    asked: int = 0
    in_flight_at_kill: int = 0  # duplicates whose first copy went within 1 s of the kill

    @property
    def reachable(self) -> int:
        return self.members - self.missing - self.blocked


class Calm:
    """Set while no outage or restart is under way: members ask only then."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.event.set()

    async def wait(self) -> None:
        await self.event.wait()


async def warm_up(emulator: Emulator, latencies: list[float]) -> None:
    """One question answered before measuring: the first one after a start builds the
    answerer's index (seconds on a loaded machine), which no member asking later pays."""
    await ask(emulator, WARM_ID, QUESTIONS[0], latencies)


async def setup(emulator: Emulator, db: Database, ids: list[int], askers: list[int]) -> None:
    await db.upgrade()
    if ids:
        await add_members(db, ids, language="es")
    await add_members(db, askers, language="en")
    await add_members(db, [WARM_ID], language="en")
    await emulator.users([*askers, WARM_ID], "en")
    await import_sample(db)


def faults_body(flood_chat: int, flood_until: float, outage: float | None, seed: int) -> Any:
    inject: list[dict[str, Any]] = []
    remaining = flood_until - time.monotonic()
    if remaining > 0:
        inject.append(
            {
                "method": "sendMessage",
                "kind": "flood",
                "chat_id": flood_chat,
                "retry_after": 60,
                "duration": remaining,
            }
        )
    if outage:
        inject.append({"method": "*", "kind": "outage", "duration": outage})
    return {"random": RANDOM_FAULTS, "seed": seed, "delay": LATE_DELAY, "inject": inject}


async def delivered_count(emulator: Emulator, ids: set[int]) -> int:
    stats = await emulator.stats()
    return sum(1 for key in stats["delivered"] if int(key) in ids)


async def wait_delivered(emulator: Emulator, ids: set[int], goal: int) -> None:
    while True:
        if await delivered_count(emulator, ids) >= goal:
            return
        await asyncio.sleep(1.0)  # the stats walk every message: not too often


async def ask(emulator: Emulator, user_id: int, text: str, latencies: list[float]) -> None:
    """One member asks; the latency is the time to the first message back."""
    pushed = (await emulator.call("POST", "send", {"user_id": user_id, "text": text}))["at"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        chat = await emulator.call("GET", f"chat/{user_id}")
        answers = sorted((m["at"], m["text"]) for m in chat["messages"] if m["at"] >= pushed)
        if answers:
            latencies.append(answers[0][0] - pushed)
            if APOLOGY in answers[0][1]:
                APOLOGISED.append(user_id)
            return
        await asyncio.sleep(0.1)


async def askers_task(
    emulator: Emulator, askers: list[int], calm: Calm, spacing: float, latencies: list[float]
) -> int:
    """Each member asks once, ``spacing`` seconds apart, never during an outage or restart."""
    rng = random.Random(11)
    waits: list[asyncio.Task[None]] = []
    for number, user_id in enumerate(askers):
        await asyncio.sleep(rng.uniform(0.5, 1.5) * spacing)
        await calm.wait()
        text = "/help" if number % 2 else QUESTIONS[number % len(QUESTIONS)]
        waits.append(asyncio.create_task(ask(emulator, user_id, text, latencies)))
    await asyncio.gather(*waits)
    return len(waits)


async def storm_events(
    emulator: Emulator,
    bot: BotProcess,
    ids: set[int],
    reachable: int,
    calm: Calm,
    fault_args: tuple[int, float],
    outage: float,
    firsts: list[float],
) -> None:
    """The outage half way, the kill -9 at two thirds (each waiting for its moment)."""
    await wait_delivered(emulator, ids, reachable // 2)
    calm.event.clear()
    EVENTS.append(("outage", time.monotonic()))
    await emulator.call("POST", "faults", faults_body(*fault_args, outage=outage, seed=2))
    await asyncio.sleep(outage + 3)  # replies asked before it have settled
    calm.event.set()
    await wait_delivered(emulator, ids, reachable * 2 // 3)
    calm.event.clear()
    EVENTS.append(("kill", time.monotonic()))
    bot.kill()
    await start_bot(emulator, bot)
    EVENTS.append(("restarted", time.monotonic()))
    await warm_up(emulator, firsts)
    calm.event.set()


async def storm(members: int, outage: float, flood: float, askers: int = 50) -> Storm:
    level = "INFO" if DEBUG else "WARNING"
    async with rig(RATE, SEND_RATE_LIMIT=str(RATE), LOG_LEVEL=level) as parts:
        emulator, db, bot = parts.emulator, parts.db, parts.bot
        if DEBUG:
            print("bot log:", parts.folder / "bot.log")
        ids = list(range(FIRST_ID, FIRST_ID + members))
        asker_ids = list(range(ASKER_ID, ASKER_ID + askers))
        await setup(emulator, db, ids, asker_ids)
        rng = random.Random(7)
        shuffled = rng.sample(ids, len(ids))
        missing = shuffled[: int(members * MISSING_SHARE)]
        blocked = shuffled[len(missing) : len(missing) + int(members * BLOCKED_SHARE)]
        flood_chat = shuffled[-1]
        await emulator.users([i for i in ids if i not in set(missing)], "es")
        await emulator.call("POST", "block", {"ids": blocked})
        await start_bot(emulator, bot)
        result = Storm(members, len(missing), len(blocked))
        await warm_up(emulator, result.firsts)
        fault_args = (flood_chat, time.monotonic() + flood)
        await emulator.call("POST", "faults", faults_body(*fault_args, outage=None, seed=1))
        started = time.monotonic()
        created = await bench_broadcast(db)
        assert created.id is not None and created.recipients == members
        wanted = set(ids) - set(missing) - set(blocked)
        calm = Calm()
        spacing = max(0.3, min(1.0, members / RATE / 2 * 0.8 / askers))
        events = asyncio.create_task(
            storm_events(
                emulator, bot, wanted, result.reachable, calm, fault_args, outage, result.firsts
            )
        )
        result.asked = await askers_task(emulator, asker_ids, calm, spacing, result.latencies)
        await events
        await wait_drained(db, created.id, timeout=members / RATE * 4 + outage + flood + 300)
        await asyncio.sleep(1.0)
        await measure(result, emulator, db, created.id, wanted, started)
        return result


async def measure(
    result: Storm,
    emulator: Emulator,
    db: Database,
    broadcast_id: int,
    wanted: set[int],
    started: float,
) -> None:
    stats = await emulator.stats()
    delivered = {int(k): v for k, v in stats["delivered"].items()}
    result.lost = sum(1 for i in wanted if delivered.get(i, 0) == 0)
    result.duplicated = sum(max(0, delivered.get(i, 0) - 1) for i in wanted)
    every = (await emulator.call("GET", "messages"))["messages"]
    moments = [m["at"] for m in every if m["chat_id"] in wanted]
    firsts: dict[int, float] = {}
    for m in every:
        if delivered.get(m["chat_id"], 0) > 1 and m["chat_id"] in wanted:
            firsts[m["chat_id"]] = min(firsts.get(m["chat_id"], m["at"]), m["at"])
            if DEBUG:
                print("twice", m["chat_id"], f"{m['at'] - started:.2f} s")
    kill = dict(EVENTS).get("kill", 0.0)
    result.in_flight_at_kill = sum(1 for at in firsts.values() if kill - 1 <= at <= kill + 0.5)
    if DEBUG:
        print("events", [(name, f"{at - started:.2f} s") for name, at in EVENTS])
    # the emulator's clock is time.monotonic in another process: the same clock on Linux
    result.drain_seconds = max(moments, default=started) - started
    result.rows = await outbox.status_counts(db, broadcast_id)
    if DEBUG:
        await explain_duplicates(db, delivered, wanted)
    result.faults = stats["faults"]
    result.calls = stats["calls"]


async def explain_duplicates(db: Database, delivered: dict[int, int], wanted: set[int]) -> None:
    """``CHAOS_DEBUG=1``: the outbox rows of the chats that got a message twice."""
    from sqlmodel import col, select

    from storage.models import Delivery

    twice = [i for i in wanted if delivered.get(i, 0) > 1]
    async with db.session() as session:
        query = select(Delivery).where(col(Delivery.chat_id).in_(twice))
        for row in (await session.exec(query)).all():
            print(
                "row",
                row.chat_id,
                row.status,
                f"attempts={row.attempts} timeouts={row.timeouts}",
                row.last_error,
            )


@dataclass
class Flooded:
    latencies: list[float] = field(default_factory=list)
    flood_seconds: float = 0.0
    flood_answered: int = 0


async def flooding(askers: int = 50, texts: int = 200) -> Flooded:
    async with rig(RATE, SEND_RATE_LIMIT=str(RATE)) as parts:
        emulator, db, bot = parts.emulator, parts.db, parts.bot
        asker_ids = list(range(ASKER_ID, ASKER_ID + askers))
        await setup(emulator, db, [], [*asker_ids, FLOODER_ID])
        await start_bot(emulator, bot)
        outcome = Flooded()

        async def flood() -> None:
            begun = time.monotonic()
            for number in range(texts):
                body = {"user_id": FLOODER_ID, "text": QUESTIONS[number % len(QUESTIONS)]}
                await emulator.call("POST", "send", body)
            outcome.flood_seconds = time.monotonic() - begun

        flooder = asyncio.create_task(flood())
        await asyncio.sleep(0.5)
        rng = random.Random(5)
        waits = []
        for number, user_id in enumerate(asker_ids):
            await asyncio.sleep(rng.uniform(0.05, 0.25))
            text = "/help" if number % 2 else QUESTIONS[number % len(QUESTIONS)]
            waits.append(asyncio.create_task(ask(emulator, user_id, text, outcome.latencies)))
        await asyncio.gather(flooder, *waits)
        await asyncio.sleep(5)
        chat = await emulator.call("GET", f"chat/{FLOODER_ID}")
        outcome.flood_answered = len(chat["messages"])
        return outcome


def storm_table(result: Storm, outage: float, flood: float) -> str:
    ideal = result.members / RATE
    late = result.faults.get("late", 0)
    kill = result.in_flight_at_kill
    p50, p99 = percentile(result.latencies, 0.5), percentile(result.latencies, 0.99)
    firsts = ", ".join(f"{s:.1f} s" for s in result.firsts)
    return table(
        f"1. {result.members:,} members at 30 msg/s, faults, {outage:.0f} s outage, kill -9 at 2/3",
        [
            (
                "delivered to reachable members",
                f"{result.reachable - result.lost:,}/{result.reachable:,}",
                f"all but the {result.missing} chat-not-found and {result.blocked} blocked",
            ),
            ("lost", str(result.lost), "0"),
            (
                "duplicated",
                f"{result.duplicated} ({kill} sent just before the kill)",
                f"<= {late} late answers injected + sends in flight at the kill",
            ),
            ("rows left `sending` after the drain", str(result.rows.get("sending", 0)), "0"),
            ("rows by status", ", ".join(f"{k} {v}" for k, v in sorted(result.rows.items())), "—"),
            (
                "time to drain",
                f"{result.drain_seconds:.0f} s ({result.drain_seconds / ideal:.2f}× ideal)",
                f"ideal {ideal:.0f} s + {outage:.0f} s outage + restart",
            ),
            (
                "faults injected",
                ", ".join(f"{k} {v}" for k, v in sorted(result.faults.items())),
                "—",
            ),
            (
                "replies received",
                f"{len(result.latencies)}/{result.asked} "
                f"({sum(1 for i in APOLOGISED if i != WARM_ID)} of them the error apology)",
                f"{result.asked}/{result.asked}",
            ),
            ("reply latency p50", f"{p50:.2f} s", "—"),
            ("reply latency p99", f"{p99:.2f} s", "<= 2 s"),
            ("first answer after each start (not counted above)", firsts, "—"),
            ("flooded chat", f"429 retry_after 60 for {flood:.0f} s", "delivered after"),
        ],
    )


def flood_table(result: Flooded) -> str:
    return table(
        "2. One member sends 200 texts while 50 others ask",
        [
            (
                "replies received",
                f"{len(result.latencies)}/50 ({len(APOLOGISED)} of them the error apology)",
                "50/50",
            ),
            ("reply latency p50", f"{percentile(result.latencies, 0.5):.2f} s", "—"),
            ("reply latency p99", f"{percentile(result.latencies, 0.99):.2f} s", "<= 2 s"),
            ("the flooder's 200 texts pushed in", f"{result.flood_seconds:.1f} s", "—"),
            ("messages the flooder got back", str(result.flood_answered), "—"),
        ],
    )


async def main(members: int, outage: float, flood: float, which: str) -> None:
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"Chaos benchmark on {machine()}, {today}; {members:,} members\n")
    if which in ("all", "storm"):
        print(storm_table(await storm(members, outage, flood), outage, flood))
        print()
    if which in ("all", "flood"):
        APOLOGISED.clear()
        print(flood_table(await flooding()))


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--outage", type=float, default=60.0, help="outage seconds")
    parser.add_argument("--flood", type=float, default=120.0, help="seconds one chat answers 429")
    parser.add_argument("--only", choices=("all", "storm", "flood"), default="all")
    args = parser.parse_args()
    asyncio.run(main(args.members, args.outage, args.flood, args.only))


if __name__ == "__main__":
    cli()
