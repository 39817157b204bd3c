"""The delivery engine: drains the outbox at Telegram's limits, and survives crashes.

Rows are claimed from ``storage.outbox`` a few at a time (never more than the workers can
send soon, so priorities hold and a crash strands little), sent through the bot with
``rate_limit_args={"bulk": True}`` — the shared :class:`bot.ratelimit.SendBudget` puts
people's replies first — and each outcome is written within a few milliseconds:

- sent → ``sent`` with Telegram's message id;
- 429 → the budget pauses for ``retry_after`` and the row goes back unchanged (not dropped);
- 403 → ``blocked``; the member is marked blocked and nothing more is queued for them;
- 5xx / timeouts → retried with exponential backoff, ``failed`` after ``MAX_ATTEMPTS``;
- other 400s → ``failed`` (retrying would not help).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core.outbound import OutboundMessage
from bot.messaging.markup import inline_markup
from bot.messaging.ratelimit import SendCancelled
from storage import outbox
from storage.db import Database
from storage.models import Delivery
from storage.types import utcnow

log = logging.getLogger(__name__)
BULK = {"bulk": True}
CAPTION_LIMIT = 1024


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{random.randrange(16**6):06x}"


async def send_payload(
    bot: ExtBot[Any],
    chat_id: int,
    payload: dict[str, Any],
    wanted: Callable[[], bool] | None = None,
) -> Message:
    """Send one stored payload (:class:`OutboundMessage`): text parts, or a document/photo
    with the text as caption. ``wanted`` is asked again when the rate limiter lets each
    part go (raises :class:`SendCancelled` when it says no).

    A long text is stored as several ``parts`` and sent in order within the one delivery;
    buttons go on the last message. Returns the last message sent.
    """
    outbound = OutboundMessage.from_payload(payload)
    markup = inline_markup(outbound.buttons)
    parse_mode = outbound.parse_mode
    parts = outbound.parts
    message: Message | None = None
    bulk = BULK if wanted is None else BULK | {"wanted": wanted}
    if outbound.media is not None:
        media, file_id = outbound.media
        caption = parts[0] if len(parts) == 1 and len(parts[0]) <= CAPTION_LIMIT else None
        send = bot.send_document if media == "document" else bot.send_photo
        message = await send(
            chat_id,
            file_id,
            caption=caption,
            parse_mode=parse_mode,
            reply_markup=markup if caption is not None else None,
            rate_limit_args=bulk,
        )
        if caption is not None:
            return message
    for index, part in enumerate(parts):
        if not part:
            continue
        message = await bot.send_message(
            chat_id,
            part,
            parse_mode=parse_mode,
            reply_markup=markup if index == len(parts) - 1 else None,
            disable_notification=outbound.silent,
            rate_limit_args=bulk,
        )
    if message is None:
        raise ValueError("empty payload")
    return message


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … seconds (capped at five minutes), with jitter so retries spread out."""
    seconds = min(300.0, 2.0 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


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
    ) -> None:
        """``buffer``: rows claimed ahead of the senders — about a second of sending, so
        claims are few and cheap, priorities still hold, and a crash strands little."""
        self.bot = bot
        self.db = db
        self.clock = clock
        self.worker = worker or worker_name()
        self.poll_interval = poll_interval
        self.lease = lease
        self._workers = workers
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue(maxsize=max(workers, buffer or 0))
        self._last_reclaim = float("-inf")
        self._outcomes: list[outbox.Outcome] = []
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._senders: list[asyncio.Task[None]] = []
        self._stopping = False
        self._stopped = asyncio.Event()
        self._slot_freed = asyncio.Event()
        self._claimed = asyncio.Event()
        self._claims_begun = 0  # claim rounds started / finished, for claim_soon
        self._claims_done = 0
        self.sent = 0
        # People erased while their rows were claimed: what this process holds is not sent.
        self._erased: set[int] = set()
        self.listeners: list[Callable[[Delivery, outbox.Outcome], None]] = []

    # ------------------------------------------------------------------ life cycle
    @property
    def started(self) -> bool:
        return bool(self._senders)

    async def start(self) -> None:
        self._stopping = False
        self._stopped = asyncio.Event()
        self._claim_task = asyncio.create_task(self._claim_loop(), name="outbox-claim")
        self._senders = [
            asyncio.create_task(self._send_loop(), name=f"outbox-send-{i}")
            for i in range(self._workers)
        ]
        self._tasks = [
            asyncio.create_task(self._flush_loop(), name="outbox-flush"),
            asyncio.create_task(self._renew_loop(), name="outbox-renew"),
        ]

    async def stop(self) -> None:
        """Finish the sends in flight, write everything down, give back the rest.

        No loop is cancelled in the middle of a database call: they stop at safe points.
        Rows claimed but not yet being sent go back to the outbox for whoever runs next.
        """
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        self._slot_freed.set()
        await self._claim_task
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        await self._queue.join()
        for task in self._senders:
            task.cancel()  # each is waiting on the empty queue
        await asyncio.gather(*self._senders, return_exceptions=True)
        await asyncio.gather(*self._tasks)
        await self._flush()
        await outbox.release_claims(self.db, self.worker)
        self._tasks, self._senders = [], []

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
                outcome = await self._send(delivery)
                self._outcomes.append(outcome)
                for listener in self.listeners:
                    listener(delivery, outcome)
            finally:
                self._queue.task_done()

    async def _pause(self, seconds: float) -> bool:
        """Sleep unless stopping; True when the engine is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)
        return self._stopped.is_set()

    async def _flush_loop(self) -> None:
        while not await self._pause(0.02):
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

    def forget(self, *ids: int) -> None:
        """Do not send the rows already claimed for these members or chats (an erasure:
        the database rows are cancelled; this covers the ones in this process's hands)."""
        self._erased.update(ids)

    def unforget(self, *ids: int) -> None:
        """The person came back (/start after an erasure): their new rows are sent again."""
        self._erased.difference_update(ids)

    def _wanted(self, delivery: Delivery) -> bool:
        return delivery.chat_id not in self._erased and delivery.member_id not in self._erased

    # ------------------------------------------------------------------ one send
    async def _send(self, delivery: Delivery) -> outbox.Outcome:
        assert delivery.id is not None
        attempts = delivery.attempts + 1
        if not self._wanted(delivery):
            return outbox.Outcome(delivery.id, "cancelled", delivery.attempts)
        try:
            message = await send_payload(
                self.bot, delivery.chat_id, delivery.payload, lambda: self._wanted(delivery)
            )
        except SendCancelled:
            return outbox.Outcome(delivery.id, "cancelled", delivery.attempts)
        except Forbidden as exc:
            log.info("chat %s blocked the bot: %s", delivery.chat_id, exc)
            return outbox.Outcome(
                delivery.id,
                "blocked",
                attempts,
                error=str(exc),
                extra={"chat_id": delivery.chat_id},
            )
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            return outbox.Outcome(  # not the row's fault: the attempt does not count
                delivery.id,
                "requeue",
                delivery.attempts,
                error=f"429 retry after {seconds:g}s",
                retry_at=self.clock() + timedelta(seconds=seconds),
            )
        except BadRequest as exc:
            log.warning("delivery %s refused by Telegram: %s", delivery.id, exc)
            return outbox.Outcome(delivery.id, "failed", attempts, error=str(exc))
        except (NetworkError, TelegramError) as exc:
            if attempts >= outbox.MAX_ATTEMPTS:
                return outbox.Outcome(delivery.id, "failed", attempts, error=str(exc))
            return outbox.Outcome(
                delivery.id,
                "retry",
                attempts,
                error=str(exc),
                retry_at=self.clock() + backoff(attempts),
            )
        self.sent += 1
        return outbox.Outcome(delivery.id, "sent", attempts, message_id=message.message_id)


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
