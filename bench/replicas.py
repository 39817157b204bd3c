"""Replicas benchmark: 1, 2 and 3 ``python -m bot run`` processes on one PostgreSQL, each
set sending one broadcast against the emulator with Telegram's limits on (30 msg/s overall,
1 msg/s a chat). ``python -m bench.replicas [--recipients 5000] [--replicas 1,2,3]``

Scenarios (Markdown tables for the README):
1. N replicas drain an N-less broadcast together: combined rate (goal 28.5-30 msg/s), share
   of sends refused with 429 (< 1%), lost, duplicated.
2. Two replicas, kill -9 of one half way: lost (0), duplicated (<= the sends it had in
   flight: its share of a second), seconds until the survivor holds the whole budget.
3. Two replicas polling: kill -9 of the poller, seconds until the other polls.

PostgreSQL is started from the server binaries as the tests do (tests/pgserver.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import BotProcess, Emulator, add_members, machine, table
from bot.messaging.compose import split_html
from storage import broadcasts, outbox
from storage.db import Database
from storage.types import utcnow
from tests.pgserver import create_database, start_postgres

FIRST_ID = 200_000
LEASE_SECONDS = 10


@dataclass
class Outcome:
    replicas: int
    recipients: int
    rate: float = 0.0
    refused: int = 0
    sends: int = 0
    lost: int = 0
    duplicated: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(port: int, path: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
            return str(answer.read().decode())
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode())
    except OSError:
        return None


def share_of(port: int) -> float | None:
    page = http(port, "/metrics")
    match = re.search(r"^bot_send_share (\S+)$", page or "", re.M)
    return float(match[1]) if match else None


def role_of(port: int) -> str | None:
    page = http(port, "/healthz")
    return str(json.loads(page).get("role")) if page else None


async def wait_until(check, timeout: float, step: float = 0.1) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if await asyncio.to_thread(check):
            return time.monotonic() - start
        await asyncio.sleep(step)
    raise TimeoutError("condition not met")


class Cluster:
    def __init__(self, emulator: Emulator, url: str, folder: Path, count: int) -> None:
        self.ports = [free_port() for _ in range(count)]
        self.bots = [
            BotProcess(
                emulator,
                url,
                folder / f"bot{i}.log",
                PORT=str(port),
                OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
            )
            for i, port in enumerate(self.ports)
        ]

    async def start(self) -> None:
        for bot in self.bots:
            bot.start()
        total = 30.0
        await wait_until(lambda: sum(share_of(p) or 0 for p in self.ports) == total, 120)

    async def stop(self) -> None:
        for bot in self.bots:
            await bot.stop()


async def broadcast(db: Database) -> int:
    created = await broadcasts.create_broadcast(
        db,
        created_by=0,
        actor_name="bench",
        texts={"es": "Aviso de la red: <b>réplicas</b>"},
        audience=["language:es"],
        now=utcnow(),
        default_language="es",
        split=split_html,
    )
    assert created.id is not None
    return created.id


async def drained(db: Database, broadcast_id: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = await outbox.status_counts(db, broadcast_id)
        if not counts.get("pending") and not counts.get("sending"):
            return
        await asyncio.sleep(1.0)
    raise TimeoutError(f"broadcast {broadcast_id} not drained")


async def scenario(
    server_url: str, replicas: int, recipients: int, *, kill: bool = False
) -> Outcome:
    url = create_database(server_url, f"bench_{replicas}_{int(kill)}_{time.time_ns() % 10**9}")
    emulator = await Emulator.start(overall=30)
    folder = Path(url.rsplit("/", 1)[-1])
    folder = Path("/tmp") / f"cinterfor-bench-{folder}"
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    cluster = Cluster(emulator, url, folder, replicas)
    outcome = Outcome(replicas, recipients)
    try:
        await db.upgrade()
        ids = list(range(FIRST_ID, FIRST_ID + recipients))
        await emulator.users(ids, "es")
        await add_members(db, ids, language="es")
        await cluster.start()
        broadcast_id = await broadcast(db)
        if kill:
            await kill_half_way(emulator, cluster, recipients, outcome)
        await drained(db, broadcast_id, timeout=recipients / 30 * 3 + 120)
        await asyncio.sleep(1.0)
        stats = await emulator.stats()
        delivered = {int(k): v for k, v in stats["delivered"].items()}
        outcome.lost = sum(1 for i in ids if delivered.get(i, 0) == 0)
        outcome.duplicated = sum(max(0, delivered.get(i, 0) - 1) for i in ids)
        seconds = (stats["last_at"] or 0) - (stats["first_at"] or 0)
        outcome.rate = sum(delivered.values()) / seconds if seconds else 0.0
        outcome.refused = stats["calls"].get("sendMessage:429", 0)
        outcome.sends = sum(n for k, n in stats["calls"].items() if k.startswith("sendMessage:"))
        return outcome
    finally:
        await cluster.stop()
        await emulator.stop()
        await db.dispose()


async def kill_half_way(
    emulator: Emulator, cluster: Cluster, recipients: int, outcome: Outcome
) -> None:
    while True:
        if sum((await emulator.stats())["delivered"].values()) >= recipients // 2:
            break
        await asyncio.sleep(0.2)
    victim = cluster.bots[0]
    outcome.extra["in flight bound"] = float(share_of(cluster.ports[0]) or 0)
    await asyncio.to_thread(victim.kill)
    rest = cluster.ports[1:]
    outcome.extra["resume"] = await wait_until(
        lambda: sum(share_of(p) or 0 for p in rest) == 30.0, LEASE_SECONDS * 3
    )


ASKERS = range(7_100_000, 7_100_020)  # they write while no replica polls


async def answered(emulator: Emulator, user_ids: range, timeout: float) -> int:
    """How many of these people got a reply from the bot within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        chats = await asyncio.gather(*(emulator.call("GET", f"chat/{u}") for u in user_ids))
        count = sum(any(m["from_bot"] for m in chat["messages"]) for chat in chats)
        if count == len(user_ids) or time.monotonic() > deadline:
            return count
        await asyncio.sleep(0.5)


async def poller_takeover(server_url: str) -> tuple[float, int]:
    """Seconds until a standby polls once the poller is killed, and the updates lost: the
    messages people sent in between that never got a reply."""
    url = create_database(server_url, f"bench_poll_{time.time_ns() % 10**9}")
    emulator = await Emulator.start(overall=30)
    folder = Path("/tmp") / f"cinterfor-bench-poll-{time.time_ns() % 10**9}"
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    cluster = Cluster(emulator, url, folder, 2)
    try:
        await db.upgrade()
        await cluster.start()
        await wait_until(lambda: {role_of(p) for p in cluster.ports} == {"poller", "standby"}, 60)
        poller = next(i for i, p in enumerate(cluster.ports) if role_of(p) == "poller")
        await emulator.users(list(ASKERS))
        await asyncio.to_thread(cluster.bots[poller].kill)
        other = cluster.ports[1 - poller]
        await asyncio.gather(
            *(emulator.call("POST", "send", {"user_id": u, "text": "/help"}) for u in ASKERS)
        )
        took = await wait_until(lambda: role_of(other) == "poller", LEASE_SECONDS * 3)
        return took, len(ASKERS) - await answered(emulator, ASKERS, 60)
    finally:
        await cluster.stop()
        await emulator.stop()
        await db.dispose()


def rows_of(outcome: Outcome) -> list[tuple[str, str, str]]:
    killed = "resume" in outcome.extra
    n = f"{outcome.replicas} replica{'s' if outcome.replicas > 1 else ''}"
    n += ", kill -9 half way" if killed else ""
    share = outcome.refused / outcome.sends * 100 if outcome.sends else 0.0
    rows = [
        (f"{n}: combined rate", f"{outcome.rate:.1f} msg/s", "28.5-30 msg/s"),
        (f"{n}: 429s", f"{outcome.refused} ({share:.2f}%)", "< 1%"),
        (f"{n}: lost / duplicated", f"{outcome.lost} / {outcome.duplicated}", "0 / 0"),
    ]
    if killed:
        bound = int(outcome.extra["in flight bound"])
        rows[-1] = (
            f"{n}: lost / duplicated",
            f"{outcome.lost} / {outcome.duplicated}",
            f"0 / <= {bound} (in flight)",
        )
        rows.append(
            (
                f"{n}: the survivor holds the budget after",
                f"{outcome.extra['resume']:.1f} s",
                f"<= {LEASE_SECONDS} s",
            )
        )
    return rows


async def main(recipients: int, counts: list[int]) -> None:
    server = start_postgres()
    try:
        rows: list[tuple[str, str, str]] = []
        for count in counts:
            rows += rows_of(await scenario(server.url, count, recipients))
        rows += rows_of(await scenario(server.url, 2, recipients, kill=True))
        took, lost = await poller_takeover(server.url)
        rows.append(
            (
                "kill -9 of the poller: another polls after",
                f"{took:.1f} s",
                f"<= {LEASE_SECONDS} s (OUTBOX_LEASE_SECONDS)",
            )
        )
        rows.append(
            (
                "kill -9 of the poller: updates lost",
                f"{lost} of {len(ASKERS)} sent meanwhile",
                "0",
            )
        )
        print(table(f"Replicas on one PostgreSQL, {recipients:,} recipients ({machine()})", rows))
    finally:
        server.stop()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--replicas", default="1,2,3", help="comma-separated counts")
    args = parser.parse_args()
    asyncio.run(main(args.recipients, [int(n) for n in args.replicas.split(",")]))


if __name__ == "__main__":
    cli()
