"""Reminders derived from events: which are due, each done once, expanded into the outbox.

Nothing about a reminder lives only in memory. An event's reminder *slots* follow from the
event itself (its offsets, or 09:00 the day before in each member zone for date-only
events); a slot is done when its :class:`ReminderRun` row exists — inserted in the same
transaction as the outbox rows it produced, so two processes cannot both do it and a crash
cannot half-do it. Rendering the texts is the caller's (``render``): storage knows no words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import audience_query
from storage.db import Database, upsert_insert
from storage.models import Delivery, Event, Member, ReminderRun, Rsvp
from storage.outbox import PRIORITY_NOTICE, PRIORITY_REMINDER, drafts_for, enqueue
from storage.visibility import may_see_event

DAY_BEFORE_HOUR = 9
LATE_START = timedelta(minutes=10)  # "starting now" still makes sense this long after

# payload for one member: (member, event, slot, now) → outbox payload (texts, buttons)
# a reminder for a member, with the RSVP they gave (None: none yet), marked on its button
Render = Callable[[Member, Event, "Slot", datetime, Rsvp | None], dict[str, Any]]
# (member, event, kind, now, the start they knew, their RSVP) -> the notice's payload
RenderNotice = Callable[
    [Member, Event, str, datetime, datetime | None, Rsvp | None], dict[str, Any]
]


@dataclass(frozen=True)
class Slot:
    event_id: str
    revision: int
    slot: str  # minutes before the start ("60"), "day:<zone>", or "manual" (/remind)
    due_at: datetime

    @property
    def offset(self) -> int | None:
        """Minutes before the start; None for the day-before and the manual slots."""
        return int(self.slot) if self.slot.isdigit() else None

    @property
    def zone(self) -> str | None:
        return self.slot[4:] if self.slot.startswith("day:") else None


def day_before_nine(event: Event, zone: str) -> datetime:
    """09:00 in ``zone`` on the day before the event's first day (in the event's zone)."""
    first_day: date = event.starts_at.astimezone(ZoneInfo(event.timezone)).date()
    local = datetime.combine(first_day - timedelta(days=1), time(DAY_BEFORE_HOUR))
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def slots_of(event: Event, default_offsets: Sequence[int], zones: Sequence[str]) -> list[Slot]:
    """Every reminder slot of an event's current revision."""
    if event.status != "scheduled":
        return []
    if event.all_day:
        return [
            Slot(event.id, event.revision, f"day:{zone}", day_before_nine(event, zone))
            for zone in zones
        ]
    offsets = set(event.reminders if event.reminders is not None else default_offsets)
    offsets.add(0)  # "starting now", with the join link
    return [
        Slot(event.id, event.revision, str(m), event.starts_at - timedelta(minutes=m))
        for m in sorted(offsets, reverse=True)
    ]


async def events_in_window(db: Database, now: datetime, horizon: timedelta) -> list[Event]:
    """Events that start within the horizon or have started in the last day."""
    async with db.session() as session:
        query = select(Event).where(
            col(Event.starts_at) >= now - timedelta(days=2),
            col(Event.starts_at) <= now + horizon,
        )
        return list((await session.exec(query)).all())


async def member_zones(db: Database) -> list[str]:
    async with db.session() as session:
        result = await session.exec(select(Member.timezone).distinct())
        return sorted(set(result.all()))


async def done_slots(db: Database, event_ids: Sequence[str]) -> set[tuple[str, int, str]]:
    if not event_ids:
        return set()
    async with db.session() as session:
        rows = await session.exec(
            select(ReminderRun.event_id, ReminderRun.revision, ReminderRun.slot).where(
                col(ReminderRun.event_id).in_(list(event_ids))
            )
        )
        return {(e, r, s) for e, r, s in rows.all()}


async def _claim(
    session: AsyncSession, slot: Slot, status: str, now: datetime, note: str | None
) -> bool:
    """Insert the slot's run row; False when another process already did the slot."""
    statement = (
        upsert_insert(session, ReminderRun)
        .values(
            event_id=slot.event_id,
            revision=slot.revision,
            slot=slot.slot,
            status=status,
            due_at=slot.due_at,
            done_at=now,
            recipients=0,
            note=note,
        )
        .on_conflict_do_nothing(index_elements=["event_id", "revision", "slot"])
    )
    result = await session.exec(statement)
    return bool(result.rowcount)


def reminder_audience(event: Event, zone: str | None) -> Any:
    """Members a reminder of ``event`` goes to: its audience (or those attending, for
    attendees-only events), reminders on, not muted, not "can't come"."""
    selectors = [f"event:{event.id}"] if event.attendees_only else list(event.audience)
    query = audience_query(selectors).where(col(Member.reminders_enabled).is_(True))
    declined = select(Rsvp.member_id).where(
        col(Rsvp.event_id) == event.id, or_(col(Rsvp.status) == "no", col(Rsvp.muted).is_(True))
    )
    query = query.where(
        col(Member.user_id).not_in(declined), col(Member.user_id).in_(may_see_event(event))
    )
    if zone is not None:
        query = query.where(col(Member.timezone) == zone)
    return query


async def _answers(
    session: AsyncSession, event_id: str, statuses: Sequence[str] | None = ("yes", "maybe")
) -> dict[int, Rsvp]:
    """The answers to an event by member: "will attend" and "maybe" by default (the others
    get no reminder), every one with ``statuses`` None."""
    query = select(Rsvp).where(col(Rsvp.event_id) == event_id)
    if statuses is not None:
        query = query.where(col(Rsvp.status).in_(list(statuses)))
    return {rsvp.member_id: rsvp for rsvp in (await session.exec(query)).all()}


async def fire_slot(db: Database, slot: Slot, now: datetime, render: Render) -> tuple[str, int]:
    """Do one due slot: ``("sent", n)``, ``("skipped", 0)`` or ``("taken", 0)`` when another
    process did it. One transaction: the run row and the outbox rows commit together."""
    async with db.session() as session:
        event = await session.get(Event, slot.event_id)
        if event is None or event.revision != slot.revision or event.status != "scheduled":
            return "skipped", 0  # changed since planned; the next plan has the new slots
        started = now >= event.starts_at + (LATE_START if slot.offset == 0 else timedelta(0))
        if started:
            taken = await _claim(session, slot, "skipped", now, "the event had started")
            return ("skipped" if taken else "taken"), 0
        if not await _claim(session, slot, "sent", now, None):
            return "taken", 0
        members = list((await session.exec(reminder_audience(event, slot.zone))).all())
        given = await _answers(session, event.id)
        drafts = drafts_for(
            members,
            key=lambda m: f"reminder:{event.id}:{event.revision}:{slot.slot}:{m.user_id}",
            kind="reminder",
            payload=lambda m: render(m, event, slot, now, given.get(m.user_id)),
            priority=PRIORITY_REMINDER,
            event_id=event.id,
        )
        sent = await enqueue(session, drafts, now)
        await session.exec(
            update(ReminderRun)
            .where(
                col(ReminderRun.event_id) == slot.event_id,
                col(ReminderRun.revision) == slot.revision,
                col(ReminderRun.slot) == slot.slot,
            )
            .values(recipients=sent)
        )
        return "sent", sent


async def skip_slot(db: Database, slot: Slot, now: datetime, note: str) -> bool:
    """Record a missed slot as skipped (a later reminder of the same event went instead)."""
    async with db.session() as session:
        return await _claim(session, slot, "skipped", now, note)


async def send_now(
    db: Database, event_id: str, now: datetime, render: Render, *, actor_id: int
) -> int | None:
    """``/remind``: a reminder to the event's audience right away (its own key, so a second
    /remind a minute later is a second message, but a double tap is not)."""
    async with db.session() as session:
        event = await session.get(Event, event_id)
        if event is None or event.status == "cancelled":
            return None
        stamp = now.strftime("%Y%m%d%H%M")
        slot = Slot(event.id, event.revision, "manual", now)
        members = list((await session.exec(reminder_audience(event, None))).all())
        given = await _answers(session, event.id)
        drafts = drafts_for(
            members,
            key=lambda m: f"remind:{event.id}:{stamp}:{m.user_id}",
            kind="reminder",
            payload=lambda m: render(m, event, slot, now, given.get(m.user_id)),
            priority=PRIORITY_REMINDER,
            event_id=event.id,
        )
        from storage.audit import add_entry

        add_entry(
            session,
            actor_id=actor_id,
            action="remind",
            target=event.id,
            details={"recipients": len(drafts)},
        )
        return await enqueue(session, drafts, now)


# ------------------------------------------------------------------ moved and cancelled
async def unannounced_changes(db: Database) -> list[Event]:
    async with db.session() as session:
        query = select(Event).where(
            or_(
                col(Event.revision) > col(Event.notified_revision),
                col(Event.status) != col(Event.notified_status),
            )
        )
        return list((await session.exec(query)).all())


async def announce_change(
    db: Database, event_id: str, now: datetime, render: RenderNotice
) -> int | None:
    """Tell the members who were reminded of, or said they attend, an event that moved or
    was cancelled — once, by whichever process claims it. Pending reminders of the old
    time (or of a cancelled event) are dropped. Returns how many were told, None if taken.
    """
    async with db.session() as session:
        event = await session.get(Event, event_id)
        if event is None:
            return None
        # read before the claim, which brings the loaded row up to date
        moved = event.revision > event.notified_revision
        was = event.previous_start if moved and event.previous_start != event.starts_at else None
        claimed = await session.exec(
            update(Event)
            .where(
                col(Event.id) == event_id,
                col(Event.revision) == event.revision,  # a move meanwhile: the next pass
                col(Event.notified_revision) == event.notified_revision,
                col(Event.notified_status) == event.notified_status,
            )
            .values(notified_revision=event.revision, notified_status=event.status)
        )
        if not claimed.rowcount:
            return None
        # Moved, or back on after a cancellation or postponement: "new time: ...".
        kind = event.status if event.status in ("cancelled", "postponed") else "moved"
        stale = and_(
            col(Delivery.status) == "pending",
            col(Delivery.event_id) == event_id,
            col(Delivery.kind) == "reminder",
        )
        if kind == "moved":
            current = f"reminder:{event_id}:{event.revision}:"
            stale = and_(stale, ~col(Delivery.key).startswith(current))
        await session.exec(
            update(Delivery).where(stale).values(status="cancelled", last_error=kind)
        )
        reminded = select(Delivery.member_id).where(
            col(Delivery.event_id) == event_id,
            col(Delivery.kind) == "reminder",
            col(Delivery.status) == "sent",
        )
        attending = select(Rsvp.member_id).where(
            col(Rsvp.event_id) == event_id, col(Rsvp.status).in_(["yes", "maybe"])
        )
        members = list(
            (
                await session.exec(
                    select(Member).where(
                        or_(col(Member.user_id).in_(reminded), col(Member.user_id).in_(attending)),
                        col(Member.user_id).in_(may_see_event(event)),
                        col(Member.opted_out).is_(False),
                        col(Member.blocked).is_(False),
                    )
                )
            ).all()
        )
        answers = await _answers(session, event_id, statuses=None)  # each marks its own
        drafts = drafts_for(
            members,
            key=lambda m: f"change:{event.id}:{event.revision}:{event.status}:{m.user_id}",
            kind="notice",
            payload=lambda m: render(m, event, kind, now, was, answers.get(m.user_id)),
            priority=PRIORITY_NOTICE,
            event_id=event.id,
        )
        return await enqueue(session, drafts, now)


# ------------------------------------------------------------------ RSVP and lists
async def set_rsvp(
    db: Database,
    event_id: str,
    member_id: int,
    *,
    status: str | None = None,
    muted: bool | None = None,
    now: datetime,
) -> Rsvp | None:
    """Record "will attend / maybe / can't" or muting; None if the event does not exist."""
    async with db.session() as session:
        if await session.get(Event, event_id) is None:
            return None
        rsvp = await session.get(Rsvp, (event_id, member_id))
        if rsvp is None:
            rsvp = Rsvp(event_id=event_id, member_id=member_id, status=status or "none")
            session.add(rsvp)
        if status is not None:
            rsvp.status = status
        if muted is not None:
            rsvp.muted = muted
        rsvp.updated_at = now
        await session.flush()
        return rsvp


async def rsvp_of(db: Database, event_id: str, member_id: int) -> Rsvp | None:
    """The member's answer to the event (None: never answered)."""
    async with db.session() as session:
        return await session.get(Rsvp, (event_id, member_id))


async def my_events(db: Database, member_id: int, now: datetime) -> list[tuple[Event, Rsvp]]:
    """Upcoming events the member said they will (maybe) attend."""
    async with db.session() as session:
        rows = await session.exec(
            select(Event, Rsvp)
            .join(Rsvp, col(Rsvp.event_id) == col(Event.id))
            .where(
                col(Rsvp.member_id) == member_id,
                col(Rsvp.status).in_(["yes", "maybe"]),
                col(Event.ends_at) >= now,
            )
            .order_by(col(Event.starts_at))
        )
        return [(e, r) for e, r in rows.all()]


async def attendance(db: Database, event_id: str) -> list[tuple[Member, Rsvp]]:
    async with db.session() as session:
        rows = await session.exec(
            select(Member, Rsvp)
            .join(Rsvp, col(Rsvp.member_id) == col(Member.user_id))
            .where(col(Rsvp.event_id) == event_id, col(Rsvp.status) != "none")
            .order_by(col(Rsvp.status), col(Member.first_name))
        )
        return [(m, r) for m, r in rows.all()]


async def reminder_log(db: Database, event_id: str) -> list[ReminderRun]:
    async with db.session() as session:
        rows = await session.exec(
            select(ReminderRun)
            .where(col(ReminderRun.event_id) == event_id)
            .order_by(col(ReminderRun.due_at))
        )
        return list(rows.all())


async def events_changed_since(db: Database) -> tuple[object, ...]:
    """A cheap stamp of the events table (changes by this or another process)."""
    async with db.session() as session:
        row = (await session.exec(select(func.count(), func.max(Event.updated_at)))).one()
        return tuple(row)
