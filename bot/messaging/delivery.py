"""The delivery engine: drains the outbox at Telegram's limits, and survives crashes.

Rows are claimed from ``storage.outbox`` a few at a time (never more than the workers can
send soon, so priorities hold and a crash strands little), sent through the bot with
``rate_limit_args={"bulk": True}`` — the shared :class:`bot.ratelimit.SendBudget` puts
people's replies first — and each outcome is written within a few milliseconds. Whatever
a send raises is that row's outcome (:func:`classify`), never the end of a sender:

- sent → ``sent`` with Telegram's message id;
- 429 → the chat (or, for a flood, all bulk) waits ``retry_after``; the row goes back as it was;
- 403 → ``blocked``; the member is marked blocked and nothing more is queued for them;
- other 400s → ``failed`` with Telegram's reason (retrying would not help);
- network errors, 5xx, odd answers, anything unexpected → retried with capped exponential
  backoff and jitter, ``failed`` only after ``give_up_after`` (24 h) of trying;
- a timeout → maybe delivered: one careful retry, then ``failed`` (no third copy).

When most recent sends fail as an outage does, a :class:`CircuitBreaker` pauses the queue
and probes with one row, so a long outage costs the rows nothing. A multi-part message
records each delivered part and resumes at the first unsent one. A supervisor restarts any
of the engine's tasks that ends unexpectedly, and logs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.core import logfields
from bot.messaging import metrics
from bot.messaging.circuit import CircuitBreaker
from bot.messaging.outcomes import (
    BLOCKED,
    FLOOD,
    REFUSED,
    TIMEOUT,
    TRANSIENT,
    backoff,
    classify,
    describe,
    keep,
    result,
    seconds_of,
)
from bot.messaging.payload import Progress, send_payload
from bot.messaging.ratelimit import SendCancelled
from storage import outbox
from storage.db import Database
from storage.models import Delivery
from storage.types import utcnow

log = logging.getLogger(__name__)
SEND_TIMEOUT = 20.0  # seconds for one send: a slow answer is not a failed one


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{random.randrange(16**6):06x}"


class DeliveryEngine:
    """Background sender for the outbox; one per bot process, any number of processes."""

    def __init__(
        self,
        bot: ExtBot[Any],
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        workers: int = 8,
        poll_interval: float = 0.5,
        worker: str | None = None,
        lease: timedelta = outbox.LEASE,
        buffer: int | None = None,
        give_up_after: timedelta = outbox.GIVE_UP_AFTER,
        send_timeout: float = SEND_TIMEOUT,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        """``buffer``: rows claimed ahead of the senders — about a second of sending, so
        claims are few and cheap, priorities still hold, and a crash strands little."""
        self.bot = bot
        self.db = db
        self.clock = clock
        self.worker = worker or worker_name()
        self.poll_interval = poll_interval
        self.lease = lease
        self.give_up_after = give_up_after
        self.send_timeout = send_timeout
        self.breaker = breaker or CircuitBreaker()
        self._workers = workers
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue(maxsize=max(workers, buffer or 0))
        self._last_reclaim = float("-inf")
        self._outcomes: list[outbox.Outcome] = []
        self._outcome_added = asyncio.Event()  # wakes the flush loop (also set on stop)
        self._wake = asyncio.Event()
        self._running: dict[str, asyncio.Task[None]] = {}
        self._supervisor: asyncio.Task[None] | None = None
        self._stopping = False
        self._stopped = asyncio.Event()
        self._slot_freed = asyncio.Event()
        self._claimed = asyncio.Event()
        self._claims_begun = 0  # claim rounds started / finished, for claim_soon
        self._claims_done = 0
        self.sent = 0
        self.restarts = 0
        # People erased while their rows were claimed: what this process holds is not sent.
        self._erased: set[int] = set()
        self.listeners: list[Callable[[Delivery, outbox.Outcome], None]] = []

    # ------------------------------------------------------------------ life cycle
    @property
    def started(self) -> bool:
        return bool(self._running)

    @property
    def alive(self) -> bool:
        """Started, not stopping, and the supervisor is watching over every task."""
        return (
            self.started
            and not self._stopping
            and self._supervisor is not None
            and not self._supervisor.done()
        )

    def _loops(self) -> dict[str, Callable[[], Coroutine[Any, Any, None]]]:
        loops: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
            "outbox-claim": self._claim_loop,
            "outbox-flush": self._flush_loop,
            "outbox-renew": self._renew_loop,
        }
        for index in range(self._workers):
            loops[f"outbox-send-{index}"] = self._send_loop
        return loops

    async def start(self) -> None:
        self._stopping = False
        self._stopped = asyncio.Event()
        self._outcome_added.clear()
        self._running = {
            name: asyncio.create_task(loop(), name=name) for name, loop in self._loops().items()
        }
        self._supervisor = asyncio.create_task(self._supervise(), name="outbox-supervisor")

    async def _supervise(self) -> None:
        """Restart any task that ended while the engine runs (none should: this is the net
        under the net), and say so in the log."""
        loops = self._loops()
        while not await self._pause(0.25):
            for name, task in list(self._running.items()):
                if not task.done() or self._stopping:
                    continue
                reason = "cancelled" if task.cancelled() else repr(task.exception())
                log.error("delivery task %s ended unexpectedly (%s); restarting it", name, reason)
                self.restarts += 1
                metrics.ENGINE_RESTARTS.inc()
                self._running[name] = asyncio.create_task(loops[name](), name=name)

    async def stop(self) -> None:
        """Finish the sends in flight, write everything down, give back the rest.

        No loop is cancelled in the middle of a database call: they stop at safe points.
        Rows claimed but not yet being sent go back to the outbox for whoever runs next.
        """
        if not self._running:
            return
        self._stopping = True
        self._stopped.set()
        self._outcome_added.set()
        self._wake.set()
        self._slot_freed.set()
        if self._supervisor is not None:
            await self._supervisor
        senders = [t for n, t in self._running.items() if n.startswith("outbox-send-")]
        others = [t for n, t in self._running.items() if not n.startswith("outbox-send-")]
        await asyncio.gather(self._running["outbox-claim"], return_exceptions=True)
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        await self._queue.join()
        for task in senders:
            task.cancel()  # each is waiting on the empty queue
        await asyncio.gather(*senders, *others, return_exceptions=True)
        await self._flush()
        with contextlib.suppress(Exception):
            await outbox.release_claims(self.db, self.worker)
        self._running, self._supervisor = {}, None

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def claim_soon(self, timeout: float = 0.5) -> None:
        """Wake the sender and wait (briefly) for a claim round that began after this call,
        so rows committed just before are in it (a round already running may miss them)."""
        if not self.started or self._stopping:
            return
        wanted = self._claims_begun + 1
        self.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._claims_done < wanted:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self._claimed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._claimed.wait(), remaining)

    # ------------------------------------------------------------------ loops
    async def _claim_loop(self) -> None:
        while not self._stopping:
            free = self._queue.maxsize - self._queue.qsize()
            if free <= 0:
                # Full: claim again as soon as a sender takes a row (not at the next poll).
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            rows: list[Delivery] = []
            # Cleared before claiming: a wake() during the claim means "look again".
            self._wake.clear()
            self._claims_begun += 1
            round_number = self._claims_begun
            loop_time = asyncio.get_running_loop().time()
            reclaim = loop_time - self._last_reclaim >= self.lease.total_seconds() / 3
            try:
                rows = await outbox.claim_due(
                    self.db, self.worker, self.clock(), free, self.lease, reclaim=reclaim
                )
                if reclaim:
                    self._last_reclaim = loop_time
            except Exception:
                log.exception("could not claim deliveries")
            for row in rows:
                self._queue.put_nowait(row)
            self._claims_done = round_number
            self._claimed.set()
            if rows:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    async def _send_loop(self) -> None:
        while True:
            delivery = await self._queue.get()
            self._slot_freed.set()
            try:
                outcome = await self._send_safely(delivery)
                self._outcomes.append(outcome)
                self._outcome_added.set()
                self._tell_listeners(delivery, outcome)
            finally:
                self._queue.task_done()

    async def _send_safely(self, delivery: Delivery) -> outbox.Outcome:
        try:
            return await self._send(delivery)
        except Exception as exc:  # a bug of ours: the row is retried, the sender lives on
            log.exception("delivery %s: unexpected failure; will retry", delivery.id)
            return self._retry(delivery, exc, Progress(delivery.parts_sent), self.clock())

    def _tell_listeners(self, delivery: Delivery, outcome: outbox.Outcome) -> None:
        for listener in self.listeners:
            try:
                listener(delivery, outcome)
            except Exception:
                log.exception("delivery listener failed")

    async def _pause(self, seconds: float) -> bool:
        """Sleep unless stopping; True when the engine is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)
        return self._stopped.is_set()

    async def _flush_loop(self) -> None:
        """Write outcomes down 20 ms after the first of a batch; asleep while none come
        (an idle bot does not wake 50 times a second for nothing)."""
        while not self._stopping:
            if not self._outcomes:
                self._outcome_added.clear()
                await self._outcome_added.wait()
                continue
            if await self._pause(0.02):
                return  # stop() writes the rest down
            await self._flush()

    async def _renew_loop(self) -> None:
        """Renew this process's claims well within the lease; if the process dies, the
        renewals stop and another process (or this one, restarted) takes the rows back."""
        while not await self._pause(self.lease.total_seconds() / 3):
            try:
                await outbox.renew_claims(self.db, self.worker, self.clock())
            except Exception:
                log.exception("could not renew outbox claims")

    async def _flush(self) -> None:
        if not self._outcomes:
            return
        batch, self._outcomes = self._outcomes, []
        try:
            await outbox.apply_outcomes(self.db, batch, self.clock())
        except Exception:
            log.exception("could not record %d delivery outcomes; retrying", len(batch))
            self._outcomes = batch + self._outcomes
            await asyncio.sleep(0.5)

    async def run_until_idle(self, timeout: float = 30.0, horizon: float = 5.0) -> None:
        """Wait until nothing is pending that falls due within ``horizon`` seconds (a 429's
        ``retry_after``, a short backoff) and nothing is in hand (tests and the CLI)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            until = self.clock() + timedelta(seconds=horizon)
            counts = await outbox.due_counts(self.db, until, self.worker, self.lease)
            if counts == 0 and self._queue.empty() and not self._outcomes:
                return
            self.wake()
            await asyncio.sleep(0.05)
        raise TimeoutError("outbox not drained in time")

    # ------------------------------------------------------------------ one send
    def forget(self, *ids: int) -> None:
        """Do not send the rows already claimed for these members or chats (an erasure:
        the database rows are cancelled; this covers the ones in this process's hands)."""
        self._erased.update(ids)

    def unforget(self, *ids: int) -> None:
        """The person came back (/start after an erasure): their new rows are sent again."""
        self._erased.difference_update(ids)

    def _wanted(self, delivery: Delivery) -> bool:
        return delivery.chat_id not in self._erased and delivery.member_id not in self._erased

    async def _admit(self) -> bool | None:
        """Wait for the circuit breaker: False to send, True to send as the probe, None
        when the engine stops first."""
        if self.breaker.state == "closed":
            return False
        admit = asyncio.ensure_future(self.breaker.admit())
        stopped = asyncio.ensure_future(self._stopped.wait())
        done, _ = await asyncio.wait({admit, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if admit in done:
            return admit.result()
        admit.cancel()
        return None

    async def _send(self, delivery: Delivery) -> outbox.Outcome:
        token = logfields.bind(delivery_id=delivery.id, chat_id=delivery.chat_id)
        try:
            return await self._send_bound(delivery)
        finally:
            logfields.reset(token)

    async def _send_bound(self, delivery: Delivery) -> outbox.Outcome:
        assert delivery.id is not None
        if not self._wanted(delivery):
            return outbox.Outcome(delivery.id, "cancelled", delivery.attempts)
        probe = await self._admit()
        if probe is None:
            return keep(delivery, "requeue", delivery.attempts)
        if probe and self._stopping:
            self.breaker.cancel_probe()
            return keep(delivery, "requeue", delivery.attempts)
        first = delivery.first_attempt_at or self.clock()
        progress = Progress(delivery.parts_sent)
        try:
            message = await send_payload(
                self.bot,
                delivery.chat_id,
                delivery.payload,
                progress,
                self.send_timeout,
                wanted=lambda: self._wanted(delivery),
            )
        except SendCancelled:
            if probe:
                self.breaker.cancel_probe()
            return outbox.Outcome(delivery.id, "cancelled", delivery.attempts)
        except asyncio.CancelledError:
            if probe:
                self.breaker.cancel_probe()  # another row may probe
            raise
        except Exception as exc:
            kind = classify(exc)
            self.breaker.record(kind in (TIMEOUT, TRANSIENT), probe=probe)
            metrics.OUTBOX_SENDS.labels(kind).inc()
            return self._failure(delivery, kind, exc, progress, first)
        self.breaker.record(False, probe=probe)
        metrics.OUTBOX_SENDS.labels("sent").inc()
        self.sent += 1
        message_id = message.message_id if message is not None else progress.message_id
        return outbox.Outcome(
            delivery.id,
            "sent",
            delivery.attempts + 1,
            message_id=message_id or delivery.telegram_message_id,
            parts_sent=progress.parts_sent,
            first_attempt_at=first,
            timeouts=delivery.timeouts,
        )

    def _failure(
        self,
        delivery: Delivery,
        kind: str,
        exc: Exception,
        progress: Progress,
        first: datetime,
    ) -> outbox.Outcome:
        attempts = delivery.attempts + 1
        error = describe(exc)
        if kind == FLOOD:
            assert isinstance(exc, RetryAfter)
            seconds = seconds_of(exc.retry_after)
            retry_at = self.clock() + timedelta(seconds=seconds)
            # Not the row's fault: the attempt does not count.
            return result(
                delivery,
                "requeue",
                delivery.attempts,
                progress,
                first,
                error=f"429 retry after {seconds:g}s",
                retry_at=retry_at,
            )
        if kind == BLOCKED:
            log.info("chat %s blocked the bot: %s", delivery.chat_id, exc)
            return result(
                delivery,
                "blocked",
                attempts,
                progress,
                first,
                error=error,
                extra={"chat_id": delivery.chat_id},
            )
        if kind == REFUSED:
            log.warning("delivery %s refused by Telegram: %s", delivery.id, error)
            return result(delivery, "failed", attempts, progress, first, error=error)
        if kind == TIMEOUT:
            return self._timed_out(delivery, error, progress, first)
        if type(exc).__module__.split(".")[0] != "telegram":
            log.warning("delivery %s: odd answer (%s); will retry", delivery.id, error)
        return self._retry(delivery, exc, progress, first)

    def _timed_out(
        self, delivery: Delivery, error: str, progress: Progress, first: datetime
    ) -> outbox.Outcome:
        """No answer in time: Telegram may have delivered it. One careful retry, no more."""
        timeouts = delivery.timeouts + 1
        attempts = delivery.attempts + 1
        if timeouts >= 2:
            log.warning("delivery %s timed out twice; it may have been delivered", delivery.id)
            error = f"timed out twice, may have been delivered ({error})"
            return result(
                delivery, "failed", attempts, progress, first, error=error, timeouts=timeouts
            )
        retry_at = self.clock() + backoff(attempts)
        return result(
            delivery,
            "retry",
            attempts,
            progress,
            first,
            error=error,
            retry_at=retry_at,
            timeouts=timeouts,
        )

    def _retry(
        self, delivery: Delivery, exc: Exception, progress: Progress, first: datetime
    ) -> outbox.Outcome:
        attempts = delivery.attempts + 1
        now = self.clock()
        if now - first >= self.give_up_after:
            log.warning("delivery %s: giving up after %s: %s", delivery.id, now - first, exc)
            error = f"gave up after {self.give_up_after}: {describe(exc)}"
            return result(delivery, "failed", attempts, progress, first, error=error)
        return result(
            delivery,
            "retry",
            attempts,
            progress,
            first,
            error=describe(exc),
            retry_at=now + backoff(attempts),
        )
