"""Broadcast benchmark: the real bot process draining the outbox against the emulator with
Telegram's limits on. ``python -m bench.broadcast [--recipients N] [--quick]``

Scenarios (printed as Markdown tables for the README):
1. 5,000 recipients, 2% blocked the bot, 1% of sends answered 5xx, limit 30 msg/s: rate,
   lost, duplicated, share of 429s.
2. The same with the emulator's limit raised to 1,000 msg/s: what the engine itself does.
3. kill -9 of the bot half way, then a restart: lost and duplicated.
4. While the broadcast drains, 50 members each ask a question: reply latency p50/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import dataclass, field

from bench.data import bench_broadcast, import_sample
from bench.harness import add_members, machine, percentile, rig, start_bot, table
from storage import outbox
from storage.db import Database

FIRST_ID = 100_000
ASKER_ID = 900_000
QUESTIONS = [
    "¿Cuándo empieza el curso de Big Data?",
    "link da videoconferência de certificação",
    "is there a course on green jobs?",
    "¿Los cursos son gratuitos?",
    "quando é a próxima reunião da Comissão Técnica?",
]


@dataclass
class Outcome:
    recipients: int
    blocked: int
    seconds: float = 0.0
    rate: float = 0.0
    lost: int = 0
    duplicated: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    per_second: list[int] = field(default_factory=list)  # delivered in each second

    @property
    def steady_rate(self) -> float:
        """Messages a second over the middle of the drain (no warm-up, no retry tail)."""
        middle = self.per_second[2:-3]
        return sum(middle) / len(middle) if middle else 0.0

    @property
    def attempts(self) -> int:
        return sum(n for key, n in self.calls.items() if key.startswith("sendMessage:"))

    @property
    def flood_share(self) -> float:
        return self.calls.get("sendMessage:429", 0) / max(1, self.attempts)


async def wait_drained(db: Database, broadcast_id: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = await outbox.status_counts(db, broadcast_id)
        if not counts.get("pending") and not counts.get("sending"):
            return
        await asyncio.sleep(2.0)
    raise TimeoutError(f"broadcast {broadcast_id} not drained: {counts}")


async def run_scenario(
    recipients: int,
    *,
    overall: float,
    blocked_share: float = 0.02,
    fault_rate: float = 0.01,
    kill_half_way: bool = False,
    askers: int = 0,
) -> Outcome:
    async with rig(overall, SEND_RATE_LIMIT=str(overall)) as parts:
        emulator, db, bot = parts.emulator, parts.db, parts.bot
        await db.upgrade()
        ids = list(range(FIRST_ID, FIRST_ID + recipients))
        asker_ids = list(range(ASKER_ID, ASKER_ID + askers))
        await emulator.users(ids, "es")
        await emulator.users(asker_ids, "en")
        await add_members(db, ids, language="es")
        await add_members(db, asker_ids, language="en")
        if askers:
            await import_sample(db)
        rng = random.Random(7)
        blocked = rng.sample(ids, int(recipients * blocked_share))
        await emulator.call("POST", "block", {"ids": blocked})
        await emulator.call("POST", "faults", {"random": {"server_error": fault_rate}, "seed": 1})
        await start_bot(emulator, bot)
        created = await bench_broadcast(db)
        assert created.id is not None and created.recipients == recipients
        pushes: dict[int, float] = {}
        if askers:
            for user_id, question in zip(asker_ids, QUESTIONS * askers, strict=False):
                await asyncio.sleep(rng.uniform(0.2, 1.2))
                answer = await emulator.call("POST", "send", {"user_id": user_id, "text": question})
                pushes[user_id] = answer["at"]
        if kill_half_way:
            while True:
                if sum((await emulator.stats())["delivered"].values()) >= recipients // 2:
                    break
                await asyncio.sleep(0.2)
            bot.kill()
            bot.start()
        await wait_drained(db, created.id, timeout=recipients / overall * 3 + 120)
        await asyncio.sleep(1.0)
        stats = await emulator.stats()
        delivered = {int(k): v for k, v in stats["delivered"].items()}
        wanted = set(ids) - set(blocked)
        outcome = Outcome(
            recipients, len(blocked), calls=stats["calls"], per_second=stats["per_second"]
        )
        outcome.lost = sum(1 for i in wanted if delivered.get(i, 0) == 0)
        outcome.duplicated = sum(max(0, delivered.get(i, 0) - 1) for i in wanted)
        outcome.seconds = (stats["last_at"] or 0) - (stats["first_at"] or 0)
        sent = sum(delivered.get(i, 0) for i in wanted)
        outcome.rate = sent / outcome.seconds if outcome.seconds else 0.0
        for user_id, pushed in pushes.items():
            chat = await emulator.call("GET", f"chat/{user_id}")
            replies = [m["at"] for m in chat["messages"] if m["at"] >= pushed]
            if replies:
                outcome.latencies.append(min(replies) - pushed)
        return outcome


async def main(recipients: int, quick: bool) -> None:
    print(f"Broadcast benchmark on {machine()}; {recipients:,} recipients\n")
    limited = await run_scenario(recipients, overall=30)
    print(
        table(
            f"1. {recipients:,} recipients, 2% blocked, 1% 5xx, limit 30 msg/s",
            [
                ("delivery rate, whole drain", f"{limited.rate:.1f} msg/s", ">= 28.5 msg/s"),
                ("delivery rate, steady state", f"{limited.steady_rate:.1f} msg/s", "—"),
                ("time to drain", f"{limited.seconds:.0f} s", "about 3 min for 5,000"),
                ("lost", str(limited.lost), "0"),
                ("duplicated", str(limited.duplicated), "0"),
                (
                    "429 answers",
                    f"{limited.calls.get('sendMessage:429', 0)} "
                    f"({limited.flood_share:.2%} of sends)",
                    "< 1%",
                ),
                ("5xx answers (retried)", str(limited.calls.get("sendMessage:500", 0)), "—"),
                (
                    "403 blocked",
                    str(limited.calls.get("sendMessage:403", 0)),
                    f"{limited.blocked} marked, not retried",
                ),
            ],
        )
    )
    print()
    fast = await run_scenario(recipients, overall=1000)
    print(
        table(
            "2. Same, emulator limit raised to 1,000 msg/s (the engine on one core)",
            [
                ("delivery rate", f"{fast.rate:.0f} msg/s", ">= 300 msg/s"),
                ("lost / duplicated", f"{fast.lost} / {fast.duplicated}", "0 / 0"),
            ],
        )
    )
    print()
    if quick:
        return
    crashed = await run_scenario(recipients, overall=30, kill_half_way=True)
    print(
        table(
            "3. kill -9 half way through, then a restart",
            [
                ("lost", str(crashed.lost), "0"),
                ("duplicated", str(crashed.duplicated), "<= 1"),
            ],
        )
    )
    print()
    chatty = await run_scenario(recipients, overall=30, askers=50)
    print(
        table(
            "4. 50 members ask a question while the broadcast drains",
            [
                ("replies received", f"{len(chatty.latencies)}/50", "50/50"),
                ("reply latency p50", f"{percentile(chatty.latencies, 0.5):.2f} s", "—"),
                ("reply latency p99", f"{percentile(chatty.latencies, 0.99):.2f} s", "<= 1.5 s"),
                ("broadcast rate meanwhile", f"{chatty.rate:.1f} msg/s", "—"),
            ],
        )
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="scenarios 1 and 2 only")
    args = parser.parse_args()
    asyncio.run(main(args.recipients, args.quick))


if __name__ == "__main__":
    cli()
