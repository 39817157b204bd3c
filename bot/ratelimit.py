"""One budget for everything the bot sends, with people before bulk.

Telegram allows about 30 messages a second overall, 1 a second per private chat and 20 a
minute per group, shared by replies and broadcasts alike. :class:`SendBudget` keeps sliding
windows of what was sent; a reply waits only for the windows, while a bulk send also waits
whenever a reply is waiting and never takes the last ``reply_headroom`` places of the second.
:class:`PriorityRateLimiter` plugs the budget into PTB, so every request of the bot passes
through it; the delivery engine marks its requests as bulk with ``rate_limit_args``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
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


class SendBudget:
    """Sliding-window accounting of sends, shared by replies and bulk."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits or Limits()
        self._clock = clock
        self._overall: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}
        self._replies_waiting = 0
        self._changed = asyncio.Event()
        self.paused_until = 0.0

    def _window(self, chat_id: int | None) -> tuple[deque[float] | None, float, float]:
        if chat_id is None:
            return None, 0, 1
        if chat_id < 0:
            return self._chats.setdefault(chat_id, deque()), self.limits.per_group_per_minute, 60
        return self._chats.setdefault(chat_id, deque()), self.limits.per_chat_per_second, 1

    def _wait_time(self, chat_id: int | None, bulk: bool) -> float:
        now = self._clock()
        while self._overall and now - self._overall[0] >= 1:
            self._overall.popleft()
        wait = max(0.0, self.paused_until - now)
        capacity = self.limits.overall_per_second - (self.limits.reply_headroom if bulk else 0)
        if len(self._overall) >= capacity:
            index = int(len(self._overall) - capacity)
            wait = max(wait, self._overall[index] + 1 - now)
        window, limit, span = self._window(chat_id)
        if window is not None:
            while window and now - window[0] >= span:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, window[int(len(window) - limit)] + span - now)
        return wait

    def _record(self, chat_id: int | None) -> None:
        now = self._clock()
        self._overall.append(now)
        window, _, _ = self._window(chat_id)
        if window is not None:
            window.append(now)
        if len(self._chats) > 10_000:  # forget idle chats
            for key in [k for k, w in self._chats.items() if not w or now - w[-1] > 60]:
                del self._chats[key]

    async def acquire(self, chat_id: int | None, *, bulk: bool) -> None:
        """Wait until a send to ``chat_id`` fits the limits, then count it."""
        if not bulk:
            self._replies_waiting += 1
        try:
            while True:
                if bulk and self._replies_waiting:
                    await self._wait_changed(0.05)
                    continue
                wait = self._wait_time(chat_id, bulk)
                if wait <= 0:
                    self._record(chat_id)
                    return
                await self._wait_changed(min(wait, 0.25) if not bulk else wait)
        finally:
            if not bulk:
                self._replies_waiting -= 1
                self._changed.set()

    async def _wait_changed(self, timeout: float) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until ``retry_after`` has passed."""
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    @property
    def replies_waiting(self) -> int:
        return self._replies_waiting


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB rate limiter over a :class:`SendBudget`; ``rate_limit_args={"bulk": True}`` marks
    bulk sends. A 429 pauses the whole budget and the request is retried."""

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
        retries = 0 if bulk else self.max_retries  # the delivery engine reschedules itself
        chat_id = _chat_id(data.get("chat_id"))
        for attempt in range(retries + 1):
            if endpoint in SEND_ENDPOINTS:
                await self.budget.acquire(chat_id, bulk=bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                self.budget.pause(float(seconds))
                if attempt >= retries:
                    raise
                log.info("429 on %s: waiting %.1f s", endpoint, seconds)
        raise AssertionError("unreachable")


def _chat_id(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
