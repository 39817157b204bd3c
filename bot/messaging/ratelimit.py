"""One budget for everything the bot sends, with people before bulk.

Telegram allows about 30 messages a second overall, 1 a second per private chat and 20 a
minute per group, shared by replies and broadcasts alike. :class:`SendBudget` counts a send
from the moment it starts until one window after Telegram *answered* it: Telegram saw the
request somewhere in between, so however the network delays requests, Telegram never sees
more than the limit in any window (counting from the start alone lets a delayed burst and
the next one overlap on Telegram's side — measured: 3% of sends refused with 429).

A 429 holds the chat it was about (``retry_after``); 429s for several chats at once are a
flood of the bot as a whole, which holds bulk sends only: replies to people keep going
first, each within its own chat's limit.

Replies to people wait only for the windows. Bulk sends (``rate_limit_args={"bulk":
True}``, the delivery engine) are spaced evenly rather than sent in bursts, never take the
last ``reply_headroom`` places of the second, and step aside whenever a reply is waiting.
:class:`PriorityRateLimiter` plugs the budget into PTB, so every request passes through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.messaging import metrics

log = logging.getLogger(__name__)
# With replicas, a chat taken in the database stays this send's for this long beyond its
# span, so a short local wait between taking it and sending keeps the whole gap.
GATE_FRESH = 0.1
SEND_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendLocation",
        "sendPoll",
    }
)


@dataclass(frozen=True)
class Limits:
    overall_per_second: float = 30
    per_chat_per_second: float = 1
    per_group_per_minute: float = 20
    reply_headroom: int = 1  # places per second that bulk never takes
    flood_chats: int = 3  # 429s for this many chats within flood_span: a bot-wide flood
    flood_span: float = 2.0


@dataclass
class _Window:
    """Sends of one scope: those in flight, and when the finished ones finished."""

    limit: float
    span: float
    in_flight: int = 0
    finished: list[float] = field(default_factory=list)  # a heap of finish times

    def used(self, now: float) -> int:
        while self.finished and now - self.finished[0] >= self.span:
            heapq.heappop(self.finished)
        return self.in_flight + len(self.finished)

    def wait(self, now: float, capacity: float) -> float:
        """Seconds until a place frees up (0: free now; inf: only when a send finishes)."""
        used = self.used(now)
        if used < capacity:
            return 0.0
        finished = sorted(self.finished)
        needed = int(used - capacity)  # how many must expire first
        if needed < len(finished):
            return finished[needed] + self.span - now
        return float("inf")

    def finish(self, now: float, counted: bool = True) -> None:
        self.in_flight -= 1
        if counted:
            heapq.heappush(self.finished, now)


class SendBudget:
    """Windows of sends shared by replies and bulk (see the module docstring)."""

    def __init__(
        self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._overall = _Window(self.limits.overall_per_second, 1.0)
        self._chats: dict[int, _Window] = {}
        self._replies_waiting = 0  # replies held by the bot-wide window alone
        self._chat_replies: Counter[int | None] = Counter()  # replies waiting, by chat
        self._changed = asyncio.Event()
        self._next_bulk = 0.0
        self.paused_until = 0.0  # bulk only: a bot-wide flood
        self._holds: dict[int, float] = {}  # chat -> until when a 429 holds it
        self._recent_floods: deque[tuple[float, int | None]] = deque(maxlen=64)
        # Other replicas' sends to a chat (bot.messaging.shared_budget): seconds to wait.
        self.chat_gate: Callable[[int, float], Awaitable[float]] | None = None

    def set_share(self, overall_per_second: float, reply_headroom: int) -> None:
        """This process's part of the bot's limit when several replicas send."""
        self.limits = replace(
            self.limits, overall_per_second=overall_per_second, reply_headroom=reply_headroom
        )
        self._overall.limit = overall_per_second
        self._changed.set()

    def _chat(self, chat_id: int | None) -> _Window | None:
        if chat_id is None:
            return None
        window = self._chats.get(chat_id)
        if window is None:
            if chat_id < 0:
                window = _Window(self.limits.per_group_per_minute, 60.0)
            else:
                window = _Window(self.limits.per_chat_per_second, 1.0)
            self._chats[chat_id] = window
        return window

    def _wait_time(self, chat_id: int | None, bulk: bool) -> tuple[float, bool]:
        """Seconds until this send may go, and whether only the bot-wide window holds it
        (a reply held by its own chat's window does not make bulk step aside)."""
        now = self._clock()
        chat_wait = 0.0
        if chat_id is not None and chat_id in self._holds:
            chat_wait = self._holds[chat_id] - now
        window = self._chat(chat_id)
        if window is not None:
            chat_wait = max(chat_wait, window.wait(now, window.limit))
        capacity = self.limits.overall_per_second - (self.limits.reply_headroom if bulk else 0)
        overall_wait = self._overall.wait(now, capacity)
        if bulk:  # a bot-wide flood pause and the even bulk schedule
            overall_wait = max(overall_wait, self.paused_until - now, self._next_bulk - now)
        return max(chat_wait, overall_wait), chat_wait <= 0 < overall_wait

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int | None, *, bulk: bool) -> AsyncIterator[None]:
        """Hold a place for one send: wait for it, then keep it until the send finished.

        A send Telegram refused (blocked, 5xx, 429) delivered nothing and is not counted
        against the limit, as Telegram does not count it either."""
        await self._acquire_shared(chat_id, bulk=bulk)
        window = self._chat(chat_id)
        delivered = False
        try:
            yield
            delivered = True
        finally:
            now = self._clock()
            self._overall.finish(now, delivered)
            if window is not None:
                window.finish(now, delivered)
            if bulk and not delivered:
                self._next_bulk = min(self._next_bulk, now)  # its turn was not used
            self._forget_idle(now)
            self._changed.set()

    async def _acquire_shared(self, chat_id: int | None, *, bulk: bool) -> None:
        """With replicas: the chat itself from the database first, then a local place.

        The database statement runs before the place is held, so it does not lengthen
        the time each send occupies the window (it cost 2 and 3 replicas 1-1.5 msg/s). A
        local wait longer than ``GATE_FRESH`` (a bulk pause) gives the place back and takes
        the chat again: the mark taken before may have run out meanwhile."""
        while True:
            gated = self._clock()
            if self.chat_gate is not None and chat_id is not None:
                wait = await self._gate(chat_id)
                if wait > 0:
                    await asyncio.sleep(min(wait, 1.0))
                    continue
                gated = self._clock()
            await self._acquire(chat_id, bulk=bulk)
            if self.chat_gate is None or chat_id is None:
                return
            if self._clock() - gated <= GATE_FRESH:
                return
            self._release(chat_id, bulk=bulk)

    async def _gate(self, chat_id: int) -> float:
        """Seconds until another replica lets ``chat_id`` go (0: taken for this send)."""
        assert self.chat_gate is not None
        limits = self.limits
        span = 60 / limits.per_group_per_minute if chat_id < 0 else 1 / limits.per_chat_per_second
        try:
            return await self.chat_gate(chat_id, span)
        except Exception:
            log.warning("chat %s: could not check other replicas' sends", chat_id)
            return 0.0

    def _release(self, chat_id: int | None, *, bulk: bool) -> None:
        now = self._clock()
        self._overall.finish(now, counted=False)
        window = self._chat(chat_id)
        if window is not None:
            window.finish(now, counted=False)
        if bulk:
            self._next_bulk = min(self._next_bulk, now)
        self._changed.set()

    async def _acquire(self, chat_id: int | None, *, bulk: bool) -> None:
        """Wait for a place. A waiting reply goes before bulk to its own chat always, and
        before all bulk only while the bot-wide window alone holds it: the second reply to
        one chat, held a second by that chat's limit, must not stop every broadcast."""
        everywhere = False  # this reply counted in _replies_waiting
        in_chat = False  # ... and in _chat_replies
        try:
            while True:
                if bulk and (self._replies_waiting or self._chat_replies.get(chat_id)):
                    await self._wait_changed(0.05)
                    continue
                wait, overall_only = self._wait_time(chat_id, bulk)
                if wait <= 0:
                    self._overall.in_flight += 1
                    window = self._chat(chat_id)
                    if window is not None:
                        window.in_flight += 1
                    if bulk:
                        self._schedule_next_bulk()
                    return
                if not bulk and not in_chat:
                    in_chat = True
                    self._chat_replies[chat_id] += 1
                if not bulk and overall_only != everywhere:
                    everywhere = overall_only
                    self._replies_waiting += 1 if everywhere else -1
                    self._changed.set()
                await self._wait_changed(min(wait, 0.25))
        finally:
            self._reply_done(chat_id, everywhere, in_chat)

    def _reply_done(self, chat_id: int | None, everywhere: bool, in_chat: bool) -> None:
        if everywhere:
            self._replies_waiting -= 1
        if in_chat:
            self._chat_replies[chat_id] -= 1
            if not self._chat_replies[chat_id]:
                del self._chat_replies[chat_id]
        if everywhere or in_chat:
            self._changed.set()

    def _schedule_next_bulk(self) -> None:
        """Bulk sends follow an even schedule; a little lateness (waking up takes time) is
        caught up instead of piling up, so the rate holds at the limit."""
        capacity = max(1.0, self.limits.overall_per_second - self.limits.reply_headroom)
        spacing = 1.0 / (capacity + 0.5)  # the window, not the pacing, is the hard limit
        now = self._clock()
        base = self._next_bulk if now - self._next_bulk < spacing else now
        self._next_bulk = base + spacing

    async def _wait_changed(self, timeout: float) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def _forget_idle(self, now: float) -> None:
        if len(self._holds) > 1_000:
            self._holds = {k: v for k, v in self._holds.items() if v > now}
        if len(self._chats) <= 10_000:
            return
        idle = [k for k, w in self._chats.items() if w.used(now) == 0]
        for key in idle:
            del self._chats[key]

    def pause(self, seconds: float) -> None:
        """A bot-wide flood: no bulk send until ``retry_after`` has passed."""
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        """A 429 about one chat: nothing goes to that chat until ``retry_after``."""
        until = self._clock() + seconds
        self._holds[chat_id] = max(self._holds.get(chat_id, 0.0), until)

    def flooded(self, chat_id: int | None, seconds: float) -> str:
        """Telegram said 429 (for ``chat_id``): hold that chat, and bulk too when 429s came
        for several chats at once (or for no chat). Returns the scope: "chat" or "bot"."""
        now = self._clock()
        self._recent_floods.append((now, chat_id))
        chats = {c for at, c in self._recent_floods if now - at <= self.limits.flood_span}
        if chat_id is not None:
            self.hold_chat(chat_id, seconds)
        scope = "chat"
        if chat_id is None or len(chats - {None}) >= self.limits.flood_chats:
            self.pause(seconds)
            scope = "bot"
        metrics.FLOODS.labels(scope).inc()
        self._changed.set()
        return scope

    @property
    def replies_waiting(self) -> int:
        return self._replies_waiting


class SendCancelled(Exception):
    """A bulk send was no longer wanted once its turn came (its person was erased)."""


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB rate limiter over a :class:`SendBudget`; ``rate_limit_args={"bulk": True}`` marks
    bulk sends. A 429 holds its chat (or bulk, for a flood); replies are retried, bulk
    sends go back to the outbox (the delivery engine reschedules them)."""

    def __init__(self, budget: SendBudget | None = None, max_retries: int = 3) -> None:
        self.budget = budget or SendBudget()
        self.max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        retries = 0 if bulk else self.max_retries
        chat_id = _chat_id(data.get("chat_id"))
        for attempt in range(retries + 1):
            try:
                result = await self._call(
                    callback, args, kwargs, endpoint, chat_id, bulk, rate_limit_args
                )
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                scope = self.budget.flooded(chat_id, float(seconds))
                if attempt >= retries:
                    raise
                log.info("429 (%s) on %s: waiting %.1f s", scope, endpoint, seconds)
                continue
            except Exception:
                if not bulk and endpoint in SEND_ENDPOINTS:
                    metrics.REPLIES.labels("error").inc()
                raise
            if not bulk and endpoint in SEND_ENDPOINTS:
                metrics.REPLIES.labels("sent").inc()
            return result
        raise AssertionError("unreachable")

    async def _call(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat_id: int | None,
        bulk: bool,
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in SEND_ENDPOINTS:
            async with self.budget.slot(chat_id, bulk=bulk):
                _still_wanted(rate_limit_args)
                return await callback(*args, **kwargs)
        return await callback(*args, **kwargs)


def _still_wanted(rate_limit_args: dict[str, Any] | None) -> None:
    """``rate_limit_args={"wanted": callable}``: asked once the slot is free, since a bulk
    send may wait seconds for it; False cancels the send."""
    wanted = (rate_limit_args or {}).get("wanted")
    if wanted is not None and not wanted():
        raise SendCancelled


def _chat_id(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
