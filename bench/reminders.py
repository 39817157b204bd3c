"""Reminder benchmark: the real bot process against the emulator with Telegram's limits.
``python -m bench.reminders [--members N]``

1. 1,000 members × 3 videoconferences whose 1-hour reminders fall due in the same minute:
   how late the first reminder leaves, lateness p50/p99 of all of them (the rest go at the
   delivery limit), each member reminded exactly once per event.
2. kill -9 of the bot before the due time, started again after it: every member reminded
   exactly once (late, "starts in 59 minutes").
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from datetime import timedelta

from bench.harness import (
    Emulator,
    add_members,
    machine,
    percentile,
    rig,
    table,
)
from storage import events as event_store
from storage.db import Database
from storage.models import Event
from storage.types import utcnow

FIRST_ID = 200_000
ZONES = ("America/Montevideo", "America/Sao_Paulo", "Europe/Madrid", "America/Mexico_City")
EVENTS = 3
LEAD = 40.0  # seconds from set-up to the due time


async def setup(db: Database, emulator: Emulator, members: int) -> tuple[list[int], float]:
    """Members in four zones and three events whose 1-hour reminder is due in LEAD s.
    Returns the ids and the due time on the emulator's clock."""
    ids = list(range(FIRST_ID, FIRST_ID + members))
    await emulator.users(ids)
    for index, zone in enumerate(ZONES):
        await add_members(
            db, ids[index :: len(ZONES)], language=("es", "pt", "en", "es")[index], zone=zone
        )
    due = utcnow() + timedelta(seconds=LEAD)
    clock = (await emulator.call("GET", "messages"))["now"]
    wall = utcnow()
    for number in range(EVENTS):
        start = due + timedelta(hours=1)
        await event_store.create_event(
            db,
            Event(
                id=f"vc-bench-{number}",
                title={
                    "es": f"Videoconferencia {number}",
                    "pt": f"Videoconferência {number}",
                    "en": f"Videoconference {number}",
                },
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                timezone="America/Montevideo",
                platform="Zoom",
                join_url="https://example.org/j/1",
                audience=["all"],
                reminders=[60],
            ),
            actor_id=0,
            actor_name="bench",
        )
    return ids, clock + (due - wall).total_seconds()


async def wait_for_messages(emulator: Emulator, count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        rows = (await emulator.call("GET", "messages"))["messages"]
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(2.0)


async def scenario(members: int, *, kill_before_due: bool) -> dict[str, float]:
    async with rig(30) as parts:
        emulator, db, bot = parts.emulator, parts.db, parts.bot
        await db.upgrade()
        ids, due = await setup(db, emulator, members)
        bot.start()
        if kill_before_due:
            await asyncio.sleep(LEAD - 15)
            bot.kill()
            await asyncio.sleep(25)  # down across the due time
            bot.start()
        expected = members * EVENTS
        rows = await wait_for_messages(emulator, expected, timeout=expected / 25 + 120)
        await asyncio.sleep(2.0)
        rows = (await emulator.call("GET", "messages"))["messages"]
        per_member = Counter(row["chat_id"] for row in rows)
        late = sorted(row["at"] - due for row in rows)
        return {
            "sent": len(rows),
            "expected": expected,
            "exactly_once": sum(1 for i in ids if per_member[i] == EVENTS),
            "members": members,
            "first": late[0] if late else float("nan"),
            "p50": percentile(late, 0.5),
            "p99": percentile(late, 0.99),
            "last": late[-1] if late else float("nan"),
        }


async def main(members: int) -> None:
    print(f"Reminder benchmark on {machine()}; {members:,} members × {EVENTS} events\n")
    on_time = await scenario(members, kill_before_due=False)
    print(
        table(
            f"1. {members:,} members × {EVENTS} videoconferences due the same minute, "
            "limit 30 msg/s",
            [
                ("first reminder after its due time", f"{on_time['first']:.2f} s", "<= 1 s"),
                (
                    "lateness p50 / p99",
                    f"{on_time['p50']:.0f} s / {on_time['p99']:.0f} s",
                    "the rest at the delivery limit",
                ),
                (
                    "last reminder",
                    f"{on_time['last']:.0f} s "
                    f"({on_time['sent'] / max(on_time['last'], 1):.1f} msg/s)",
                    f"about {on_time['expected'] / 29:.0f} s at 29 msg/s",
                ),
                (
                    "members reminded exactly once per event",
                    f"{on_time['exactly_once']:,}/{on_time['members']:,}",
                    "all",
                ),
            ],
        )
    )
    print()
    restarted = await scenario(members, kill_before_due=True)
    print(
        table(
            "2. kill -9 15 s before the due time, started again 10 s after it",
            [
                (
                    "members reminded exactly once per event",
                    f"{restarted['exactly_once']:,}/{restarted['members']:,}",
                    "all",
                ),
                (
                    "reminders sent / expected",
                    f"{restarted['sent']:,}/{restarted['expected']:,}",
                    "equal",
                ),
                ("first reminder after its due time", f"{restarted['first']:.1f} s", "at restart"),
            ],
        )
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    asyncio.run(main(parser.parse_args().members))


if __name__ == "__main__":
    cli()
