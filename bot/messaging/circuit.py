"""A circuit breaker for the outbox: when Telegram is down, stop spending rows on it.

When most of the recent sends failed as an outage fails (network errors, timeouts, 5xx,
answers that are not the Bot API's), the breaker *opens*: no row is sent for a cool-down.
Then one row goes as a *probe*: delivered, the breaker closes and sending resumes at once;
failed, it opens again for twice as long (capped). Refusals that are the row's own fault
(400, 403, 429) prove that Telegram is up and count as successes here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable

from bot.messaging import metrics

log = logging.getLogger(__name__)
CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    def __init__(
        self,
        *,
        window: int = 20,
        min_calls: int = 6,
        threshold: float = 0.6,
        cooldown: float = 2.0,
        max_cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.min_calls = min_calls
        self.threshold = threshold
        self.base_cooldown = cooldown
        self.max_cooldown = max_cooldown
        self._clock = clock
        self._recent: deque[bool] = deque(maxlen=window)  # True: an outage-like failure
        self.state = CLOSED
        self._cooldown = cooldown
        self._open_until = 0.0
        self._probing = False
        self._changed = asyncio.Event()
        self.opened = 0  # times the breaker opened (tests, logs)
        metrics.CIRCUIT_OPEN.set(0)

    def record(self, outage_like: bool, *, probe: bool = False) -> None:
        """The outcome of one send (``probe``: the send was the half-open probe)."""
        if probe:
            self._probing = False
            if outage_like:
                self._open(self._cooldown * 2)
            else:
                self._close()
            return
        self._recent.append(outage_like)
        if self.state == CLOSED and self._tripped():
            self._open(self.base_cooldown)

    def _tripped(self) -> bool:
        failures = sum(self._recent)
        return len(self._recent) >= self.min_calls and failures / len(self._recent) >= (
            self.threshold
        )

    def _open(self, cooldown: float) -> None:
        self._cooldown = min(self.max_cooldown, max(self.base_cooldown, cooldown))
        self._open_until = self._clock() + self._cooldown
        if self.state == CLOSED:
            self.opened += 1
            log.warning(
                "Telegram looks unreachable: outbox paused (probing every %.0f s)", self._cooldown
            )
        self.state = OPEN
        metrics.CIRCUIT_OPEN.set(1)
        self._changed.set()

    def _close(self) -> None:
        if self.state != CLOSED:
            log.warning("Telegram answers again: outbox resumed")
        self.state = CLOSED
        self._recent.clear()
        self._cooldown = self.base_cooldown
        metrics.CIRCUIT_OPEN.set(0)
        self._changed.set()

    async def admit(self) -> bool:
        """Wait until a send may go; True when that send is the probe."""
        while True:
            if self.state == CLOSED:
                return False
            now = self._clock()
            if self.state == OPEN and now >= self._open_until:
                self.state = HALF_OPEN
            if self.state == HALF_OPEN and not self._probing:
                self._probing = True
                return True
            wait = max(0.05, self._open_until - now) if self.state == OPEN else 0.25
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(wait, 1.0))

    def cancel_probe(self) -> None:
        """The probe was not sent after all (the engine stops): let another one go."""
        self._probing = False
        self._changed.set()
