"""One send budget for several replicas of the bot on one PostgreSQL database.

Telegram's limits are per bot, not per process. Each replica keeps its fast, in-process
:class:`~bot.messaging.ratelimit.SendBudget` and leases a *share* of the bot's limit from
the database: every ``interval`` it renews its row in ``sendreplica`` and reads the live
replicas; the limit is divided among them in whole messages (the remainder and the reply
headroom go to the oldest). So the sum of the replicas' windows never exceeds the bot's.

- A replica that joins others sends nothing until ``settle`` has passed (longer than
  ``interval``), so the others have cut their shares before it takes its own; one alone
  takes the whole limit at once.
- A replica that dies is forgotten after ``stale`` seconds; the others then grow.
- A replica that cannot renew its row for ``stale`` seconds stops sending bulk (its share
  falls to 0) as the others will count it gone.
- Per-chat limits: before each send (before its local place, so the statement does not
  hold a place of the window) the chat is taken in ``chatsendmark`` for one span (1 s a
  private chat, 3 s a group), one statement; a chat another replica holds waits.

SQLite stays single-process: none of this runs there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from bot.messaging import metrics
from bot.messaging.ratelimit import GATE_FRESH, SendBudget
from storage import replicas
from storage.db import Database

log = logging.getLogger(__name__)
SEND_MARGIN = 0.25  # seconds added to a chat's span: the time a send takes to arrive


def split_limit(total: int, headroom: int, index: int, count: int) -> tuple[int, int]:
    """The share (messages a second) and reply headroom of replica ``index`` of ``count``."""
    base, extra = divmod(total, count)
    share = base + (1 if index < extra else 0)
    return share, (min(headroom, share) if index == 0 else 0)


class SharedBudget:
    """Keeps ``budget`` at this replica's share of ``total`` (see the module docstring)."""

    def __init__(
        self,
        budget: SendBudget,
        db: Database,
        worker: str,
        *,
        total: float,
        interval: float = 0.5,
        stale: float = 3.0,
        settle: float = 1.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.budget = budget
        self.db = db
        self.worker = worker
        self.total = int(total)
        self.headroom = budget.limits.reply_headroom
        self.interval = interval
        self.stale = stale
        self.settle = settle
        self.clock = clock
        self.replicas = 0
        self.share = 0
        self._last_ok = float("-inf")
        # This replica's own marks (chat -> until): taking a chat again after a long local
        # wait must not wait for the mark this very send took (it cut 3 replicas to 20 msg/s).
        self._marks: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Join (share 0 until settled) and keep the share up to date in the background."""
        self.budget.set_share(0, 0)
        self.budget.chat_gate = self._take_chat
        await self.refresh()
        self._task = asyncio.create_task(self._run(), name="shared-send-budget")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.budget.chat_gate = None
        with contextlib.suppress(Exception):
            await replicas.leave(self.db, self.worker)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.refresh()

    async def refresh(self) -> None:
        """One heartbeat: renew this replica's row and set its share from the live ones."""
        now = self.clock()
        try:
            live = await replicas.heartbeat(self.db, self.worker, now, self.stale)
        except Exception:
            log.warning("could not renew this replica's send share", exc_info=True)
            if now - self._last_ok >= self.stale - self.interval:
                self._apply(0, 0, self.replicas)  # the others will take us for gone
            return
        self._last_ok = now
        mine = next((i for i, r in enumerate(live) if r.worker == self.worker), None)
        joined = live[mine].joined_at if mine is not None else now
        if mine is None or (len(live) > 1 and now - joined < self.settle):
            self._apply(0, 0, len(live))
            return
        share, headroom = split_limit(self.total, self.headroom, mine, len(live))
        self._apply(share, headroom, len(live))

    def _apply(self, share: int, headroom: int, count: int) -> None:
        if (share, count) != (self.share, self.replicas):
            log.info(
                "send share: %s of %s messages a second (%s replicas)", share, self.total, count
            )
        self.share, self.replicas = share, count
        metrics.SEND_SHARE.set(share)
        self.budget.set_share(share, headroom)

    async def _take_chat(self, chat_id: int, span: float) -> float:
        if self.replicas <= 1:
            return 0.0  # alone: the local windows suffice (a newcomer settles first)
        now = self.clock()
        until = now + span + SEND_MARGIN + GATE_FRESH
        mine = self._marks.get(chat_id)
        wait = await replicas.take_chat(self.db, chat_id, now, until, mine=mine)
        if wait <= 0:
            if len(self._marks) > 1_000:
                self._marks = {c: u for c, u in self._marks.items() if u > now}
            self._marks[chat_id] = until
        return wait
