"""One getUpdates poller among replicas: a lease row in the database (``leaderlease``).

Telegram answers a second poller with 409 Conflict, so replicas in polling mode elect one:
the holder renews its lease every ``ttl / 4``; the others stand by (serving /healthz and
/metrics and sending from the outbox) and try to take the lease as often. A poller that
dies stops renewing, and a standby polls within ``ttl + ttl / 4`` — inside
``OUTBOX_LEASE_SECONDS`` with ``ttl`` two thirds of it. A poller that cannot renew its
lease stops polling before the lease runs out, so two never poll for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from storage import replicas
from storage.db import Database

log = logging.getLogger(__name__)
POLLER = "poller"


def poller_ttl(outbox_lease_seconds: float) -> float:
    return max(1.0, outbox_lease_seconds * 2 / 3)


class Election:
    """Holds the lease ``name`` for ``worker`` while it can; calls ``on_elected`` and
    ``on_deposed`` as the role comes and goes."""

    def __init__(
        self,
        db: Database,
        worker: str,
        ttl: float,
        *,
        name: str = POLLER,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.worker = worker
        self.ttl = ttl
        self.name = name
        self.clock = clock
        self.leader = False
        self.decided = False  # a first attempt was made: leader, or standing by
        self._last_renewed = float("-inf")

    @property
    def interval(self) -> float:
        return self.ttl / 4

    async def step(self) -> bool:
        """Try to take or renew the lease once; whether this worker holds it now."""
        now = self.clock()
        try:
            held = await replicas.hold_lease(self.db, self.name, self.worker, now, self.ttl)
        except Exception:
            log.warning("could not renew the %s lease", self.name, exc_info=True)
            # Still ours only while the last renewal has time left (with a margin).
            return self.leader and now - self._last_renewed < self.ttl - 2 * self.interval
        if held:
            self._last_renewed = now
        return held

    async def run(
        self,
        stop: asyncio.Event,
        on_elected: Callable[[], Awaitable[None]],
        on_deposed: Callable[[], Awaitable[None]],
    ) -> None:
        try:
            while not stop.is_set():
                held = await self.step()
                if held and not self.leader:
                    self.leader = True
                    log.info("this replica (%s) is the %s now", self.worker, self.name)
                    await on_elected()
                elif not held and self.leader:
                    self.leader = False
                    log.warning("this replica (%s) is no longer the %s", self.worker, self.name)
                    await on_deposed()
                self.decided = True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.interval)
        finally:
            if self.leader:
                self.leader = False
                await on_deposed()
                with contextlib.suppress(Exception):
                    await replicas.release_lease(self.db, self.name, self.worker)
