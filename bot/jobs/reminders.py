"""Videoconference reminders: APScheduler (through PTB's job queue) driven by the store.

Every ``SYNC_INTERVAL`` seconds, and exactly at the next due time, :meth:`ReminderScheduler.
run` derives all reminder slots from the events in the store (so an event created, moved or
cancelled by import, by command or by another process is picked up within seconds), does
the due ones through the outbox (each slot once: ``storage.reminders``), announces moves and
cancellations, and schedules a one-off job at the next due time. Nothing lives only in
memory: after a restart the same derivation finds what is due, and what was missed while
the bot was down is sent if the event has not started ("starts in 12 minutes") — only the
latest missed reminder of an event, the earlier ones are recorded as skipped — else skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram.ext import Application, CallbackContext

from bot.app.context import Services, services_of
from bot.render.cards import gets_join_links
from bot.render.notices import render_notice, render_reminder
from storage import reminders as store
from storage.models import Event, Member, Rsvp

log = logging.getLogger(__name__)
SYNC_INTERVAL = 2.0
HORIZON = timedelta(days=40)
DEFAULT_OFFSETS = (24 * 60, 60)
FeedbackHook = Callable[[Services, Event, datetime], Awaitable[int]]
AnyApp = Application[Any, Any, Any, Any, Any, Any]


# ------------------------------------------------------------------ the scheduler
class ReminderScheduler:
    def __init__(
        self,
        services: Services,
        default_offsets: Sequence[int] = DEFAULT_OFFSETS,
        sync_interval: float = SYNC_INTERVAL,
    ) -> None:
        self.services = services
        self.default_offsets = tuple(default_offsets)
        self.sync_interval = sync_interval
        self.feedback_hook: FeedbackHook | None = None
        self._lock = asyncio.Lock()
        self._waiting = False  # a pass waits for the running one
        self._next_job: Any = None
        self._rendered: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._next_due: datetime | None = None

    def render(
        self, member: Member, event: Event, slot: store.Slot, now: datetime, given: Rsvp | None
    ) -> dict[str, Any]:
        """A reminder depends only on the reader's language, zone, join link and answer:
        1,000 members in four zones need a few renderings, not a thousand."""
        key = (
            event.id,
            event.revision,
            slot.slot,
            member.language,
            member.timezone,
            gets_join_links(member),
            given.status if given is not None else None,
            now.replace(second=0, microsecond=0),
        )
        payload = self._rendered.get(key)
        if payload is None:
            if len(self._rendered) > 10_000:
                self._rendered.clear()
            default = self.services.settings.default_language
            payload = render_reminder(member, event, slot, now, default, given)
            self._rendered[key] = payload
        return payload

    def notice(
        self,
        member: Member,
        event: Event,
        kind: str,
        now: datetime,
        was: datetime | None,
        given: Rsvp | None,
    ) -> dict[str, Any]:
        default = self.services.settings.default_language
        return render_notice(member, event, kind, now, default, was=was, given=given)

    async def start(self, application: AnyApp) -> None:
        queue = application.job_queue
        if queue is None:
            raise RuntimeError("the job queue is required (python-telegram-bot[job-queue])")
        queue.run_repeating(
            self._job, interval=self.sync_interval, first=0.1, name="reminders-sync"
        )

    async def _job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.run(context.application)

    async def run(self, application: AnyApp | None = None) -> None:
        """One pass: announce changes, do what is due, schedule the next precise wake-up.

        A pass already running may have read the clock and the events before the change
        that led to this call: this one then waits and runs after it (one waits at most;
        a second caller relies on the waiting pass, which will see all it would)."""
        if self._lock.locked():
            if self._waiting:
                return
            self._waiting = True
        async with self._lock:
            self._waiting = False
            try:
                await self._pass(application)
            except Exception:
                log.exception("reminder pass failed; the next one retries")

    async def _pass(self, application: AnyApp | None) -> None:
        svc = self.services
        now = svc.now()
        woke = False
        for event in await store.unannounced_changes(svc.db):
            told = await store.announce_change(svc.db, event.id, now, self.notice)
            if told is not None:
                log.info("event %s %s: %d members told", event.id, event.status, told)
                woke = woke or told > 0
        events = await store.events_in_window(svc.db, now, HORIZON)
        zones = await store.member_zones(svc.db) if any(e.all_day for e in events) else []
        slots = [s for e in events for s in store.slots_of(e, self.default_offsets, zones)]
        slots += self._feedback_slots(events)
        done = await store.done_slots(svc.db, [e.id for e in events])
        todo = [s for s in slots if (s.event_id, s.revision, s.slot) not in done]
        due = [s for s in todo if s.due_at <= now]
        chosen, superseded = self._latest_per_event(due)
        for missed in superseded:
            if await store.skip_slot(svc.db, missed, now, "superseded by a later reminder"):
                log.info(
                    "reminder %s of %s skipped: a later one went instead",
                    missed.slot,
                    missed.event_id,
                )
        for slot in chosen:
            if await self._fire(slot, now) and svc.delivery is not None:
                # This slot's messages start going before the next slot is expanded (on
                # SQLite the expansion would otherwise hold the one writer's lock).
                await svc.delivery.claim_soon()
        if woke and svc.delivery is not None:
            svc.delivery.wake()
        upcoming = [s.due_at for s in todo if s.due_at > now]
        self._schedule_next(application, min(upcoming) if upcoming else None, now)

    def _feedback_slots(self, events: Sequence[Event]) -> list[store.Slot]:
        if self.feedback_hook is None:
            return []
        return [
            store.Slot(e.id, e.revision, "feedback", e.ends_at)
            for e in events
            if e.feedback_survey_id and e.status == "scheduled"
        ]

    @staticmethod
    def _latest_per_event(
        due: Sequence[store.Slot],
    ) -> tuple[list[store.Slot], list[store.Slot]]:
        """Of an event's due reminders (several after downtime) keep the latest; the others
        are superseded, so nobody gets the 24-hour and the 1-hour reminder at once."""
        groups: dict[tuple[str, str | None], list[store.Slot]] = defaultdict(list)
        chosen: list[store.Slot] = []
        for slot in due:
            if slot.slot == "feedback":
                chosen.append(slot)
            else:
                groups[(slot.event_id, slot.zone)].append(slot)
        superseded: list[store.Slot] = []
        for group in groups.values():
            group.sort(key=lambda s: s.due_at)
            chosen.append(group[-1])
            superseded += group[:-1]
        return chosen, superseded

    async def _fire(self, slot: store.Slot, now: datetime) -> bool:
        svc = self.services
        if slot.slot == "feedback":
            return await self._fire_feedback(slot, now)
        status, count = await store.fire_slot(svc.db, slot, now, self.render)
        late = (self.services.now() - slot.due_at).total_seconds()
        if status == "sent":
            log.info(
                "reminder %s of %s: %d queued (%.1f s after due)",
                slot.slot,
                slot.event_id,
                count,
                late,
            )
        elif status == "skipped":
            log.info("reminder %s of %s skipped: the event had started", slot.slot, slot.event_id)
        return status == "sent" and count > 0

    async def _fire_feedback(self, slot: store.Slot, now: datetime) -> bool:
        svc = self.services
        assert self.feedback_hook is not None
        from storage.catalog import get_event

        event = await get_event(svc.db, slot.event_id)
        if event is None or not await store.skip_slot(svc.db, slot, now, "feedback survey"):
            return False
        sent = await self.feedback_hook(svc, event, now)
        log.info("feedback survey of %s: %d invited", slot.event_id, sent)
        return sent > 0

    def _schedule_next(
        self, application: AnyApp | None, due: datetime | None, now: datetime
    ) -> None:
        """A one-off job exactly at the next due time (the periodic pass is the safety net)."""
        if application is None or application.job_queue is None or due is None:
            return
        if due == self._next_due and self._next_job is not None:
            return
        if self._next_job is not None:
            # APScheduler drops a one-off job once it has fired (next_t stays set), so the
            # job may be gone already.
            with contextlib.suppress(JobLookupError):
                self._next_job.schedule_removal()
        delay = max(0.0, (due - now).total_seconds())
        self._next_job = application.job_queue.run_once(
            self._job, when=delay, name="reminders-next"
        )
        self._next_due = due


def scheduler_of(application: AnyApp) -> ReminderScheduler:
    svc = services_of(application)
    if svc.reminders is None:
        svc.reminders = ReminderScheduler(svc, default_offsets=svc.settings.default_reminders)
    return svc.reminders


async def start_reminders(application: AnyApp) -> None:
    await scheduler_of(application).start(application)
