"""Organizers on existing events: /editevent (one field, through the draft's steps),
/cancelevent, /remind (the reminder now) and /attendees (counts, names and a CSV)."""

from __future__ import annotations

import csv
import html
import io
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update

from bot.app.context import BotContext
from bot.core.enums import EventStatus, Role, RsvpStatus
from bot.core.i18n import format_number
from bot.core.ids import SLUG
from bot.render.callbacks.events import CancelEventPressed, EditField, EditFieldPicked
from bot.render.exports import neutralise
from bot.render.notices import render_reminder
from handlers.common import (
    Button,
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
)
from handlers.events.draft import EVENT_FLOW, EventDraft, check_time, event_audience, times
from handlers.events.prompts import ask, cancel_row
from storage import catalog
from storage import events as event_store
from storage import reminders as store
from storage.models import Event, Member, Rsvp

EDIT_FIELDS: tuple[EditField, ...] = ("time", "title", "link", "place", "reminders", "audience")
# The step where the edit of each field starts, and the one after it, where it is done.
EDIT_STARTS_AT = {
    "time": "date",
    "title": "title",
    "link": "link",
    "place": "platform",
    "reminders": "reminders",
    "audience": "audience",
}
EDIT_DONE_AT = {
    "time": "platform",
    "title": "date",
    "link": "audience",
    "place": "audience",
    "reminders": "confirm",
    "audience": "reminders",
}
ATTENDEES_SHOWN = 50
Attendance = list[tuple[Member, Rsvp]]


async def send_back(update: Update, ctx: BotContext, draft: EventDraft, problem: str) -> None:
    """A time refused at the last moment: say why and ask again (the draft moved back)."""
    await EVENT_FLOW.save(ctx, draft)
    await reply(update, ctx, problem)
    await ask(update, ctx, draft)


async def event_from_args(update: Update, ctx: BotContext, usage: str) -> Event | None:
    """The event named by the command's argument; None after telling what went wrong."""
    tr = ctx.tr
    if not ctx.args:
        await reply(
            update, ctx, tr("Usage: {command} ID — see /events for the ids.", command=usage)
        )
        return None
    event_id = ctx.args[0].lower()[:64]
    event = await catalog.get_event(ctx.svc.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        text = tr("There is no event “{id}”. See /events for the list.", id=html.escape(event_id))
        await reply(update, ctx, text)
    return event


# ------------------------------------------------------------------ /editevent
def _draft_of(event: Event) -> EventDraft:
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    length = event.ends_at - event.starts_at
    return EventDraft(
        step="choose",
        editing=event.id,
        titles=dict(event.title),
        date=local.date().isoformat(),
        time=None if event.all_day else local.strftime("%H:%M"),
        zone=event.timezone,
        duration=int(length.total_seconds() // 60),
        days=max(1, length.days),
        platform=event.platform,
        link=event.join_url,
        location=event.location,
        audience=list(event.audience),
        reminders=event.reminders,
    )


@requires_role(Role.organizer)
async def editevent_command(update: Update, ctx: BotContext) -> None:
    event = await event_from_args(update, ctx, "/editevent")
    if event is None:
        return
    if event.status == EventStatus.cancelled:
        title = html.escape(ctx.pick(event.title))
        text = ctx.tr(
            "<b>{title}</b> was cancelled: it can no longer be edited. Create a new event "
            "with /newevent.",
            title=title,
        )
        await reply(update, ctx, text)
        return
    await EVENT_FLOW.begin(update, ctx, _draft_of(event))
    tr = ctx.tr
    labels = {
        "time": tr("🕒 Date and time"),
        "title": tr("Title"),
        "link": tr("Link"),
        "place": tr("Platform or place"),
        "reminders": tr("Reminders"),
        "audience": tr("Audience"),
    }
    rows: list[list[Button]] = [
        [(labels[f], EditFieldPicked(f).pack()) for f in EDIT_FIELDS[i : i + 2]]
        for i in range(0, len(EDIT_FIELDS), 2)
    ]
    rows.append(cancel_row(ctx))
    title = html.escape(ctx.pick(event.title))
    text = tr("What do you want to change in <b>{title}</b>?", title=title)
    await reply(update, ctx, text, buttons=rows)


@requires_role(Role.organizer)
async def editfield_button(update: Update, ctx: BotContext) -> None:
    data = EditFieldPicked.parse(update.callback_query.data if update.callback_query else None)
    draft = await EVENT_FLOW.load_pressed(update, ctx)
    if data is None or draft is None or not draft.editing or draft.step != "choose":
        await refuse_button(update, ctx, "edit field does not fit")
        return
    await answer_query(update)
    draft.edit, draft.step = data.field, EDIT_STARTS_AT[data.field]
    await EVENT_FLOW.save(ctx, draft)
    await ask(update, ctx, draft)


def _changes(draft: EventDraft, event_id: str) -> dict[str, Any]:
    """The event's columns the edit of ``draft.edit`` (not the time) sets."""
    changes: dict[str, dict[str, Any]] = {
        "title": {"title": draft.titles},
        "link": {"join_url": draft.link},
        "place": {"platform": draft.platform, "location": draft.location, "join_url": draft.link},
        "reminders": {"reminders": draft.reminders},
        "audience": {"audience": event_audience(draft, event_id)},
    }
    return changes[draft.edit or "title"]


async def apply_edit(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    """Save the one field the edit changed (a new time is checked once more first)."""
    svc, tr = ctx.svc, ctx.tr
    assert draft.editing is not None
    event_id = draft.editing
    actor_id, actor_name = ctx.member.user_id, display_name(ctx.member)
    if draft.edit == "time":
        problem = check_time(draft, svc.now(), tr)
        if problem is not None:
            await send_back(update, ctx, draft, problem)
            return
        start, end, all_day = times(draft)
        changed = await event_store.move_event(
            svc.db, event_id, start, end, all_day, actor_id=actor_id, actor_name=actor_name
        )
        note = tr("New time saved. Members already reminded or attending will be told.")
    else:
        changed = await event_store.change_event(
            svc.db, event_id, _changes(draft, event_id), actor_id=actor_id, actor_name=actor_name
        )
        note = tr("Saved.")
    await EVENT_FLOW.drop(ctx)
    if changed is None:
        await reply(update, ctx, tr("That event no longer exists or was cancelled."))
        return
    await reply(update, ctx, f"{note} /event {event_id}")


# ------------------------------------------------------------------ /cancelevent
@requires_role(Role.organizer)
async def cancelevent_command(update: Update, ctx: BotContext) -> None:
    tr = ctx.tr
    event = await event_from_args(update, ctx, "/cancelevent")
    if event is None:
        return
    if event.status == EventStatus.cancelled:
        await reply(update, ctx, tr("That event is already cancelled."))
        return
    text = tr(
        "Cancel <b>{title}</b>? Pending reminders are dropped and members who were reminded "
        "or said they attend are told.",
        title=html.escape(ctx.pick(event.title)),
    )
    buttons = [
        (tr("Yes, cancel it"), CancelEventPressed(event.id, confirmed=True).pack()),
        (tr("No"), CancelEventPressed(event.id, confirmed=False).pack()),
    ]
    await reply(update, ctx, text, buttons=[buttons])


@requires_role(Role.organizer)
async def cancelevent_button(update: Update, ctx: BotContext) -> None:
    tr = ctx.tr
    data = CancelEventPressed.parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed cancel data")
        return
    await answer_query(update)
    if not data.confirmed:
        await edit_or_reply(update, ctx, tr("Nothing was changed."))
        return
    member = ctx.member
    cancelled = await event_store.cancel_event(
        ctx.svc.db, data.event_id, actor_id=member.user_id, actor_name=display_name(member)
    )
    if cancelled is None:
        await edit_or_reply(update, ctx, tr("That event no longer exists or was cancelled."))
        return
    await edit_or_reply(
        update, ctx, tr("Cancelled. Members who were reminded or said they attend are being told.")
    )


# ------------------------------------------------------------------ /remind, /attendees
@requires_role(Role.organizer)
async def remind_command(update: Update, ctx: BotContext) -> None:
    svc, tr = ctx.svc, ctx.tr
    event = await event_from_args(update, ctx, "/remind")
    if event is None:
        return
    if event.ends_at < svc.now():
        await reply(update, ctx, tr("That event is over."))
        return
    default = svc.settings.default_language
    count = await store.send_now(
        svc.db,
        event.id,
        svc.now(),
        lambda m, e, s, now, given: render_reminder(m, e, s, now, default, given),
        actor_id=ctx.member.user_id,
    )
    if count is None:
        await reply(update, ctx, tr("That event no longer exists or was cancelled."))
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    text = tr.ngettext("Reminder queued for {n} member.", "Reminder queued for {n} members.", count)
    await reply(update, ctx, text)


@requires_role(Role.organizer)
async def attendees_command(update: Update, ctx: BotContext) -> None:
    event = await event_from_args(update, ctx, "/attendees")
    if event is None:
        return
    rows = await store.attendance(ctx.svc.db, event.id)
    await reply(update, ctx, _attendance_text(ctx, event, rows))
    if rows:
        chat = update.effective_chat
        assert chat is not None
        csv_file = InputFile(
            _attendance_csv(rows), filename=f"attendees-{event.id}.csv", attach=True
        )
        await ctx.bot.send_document(chat.id, csv_file)


def _attendance_text(ctx: BotContext, event: Event, rows: Attendance) -> str:
    tr = ctx.tr

    def number(n: int) -> str:
        return format_number(n, tr.language)

    counts = {s: sum(1 for _, r in rows if r.status == s) for s in RsvpStatus}
    lines = [
        f"<b>{html.escape(ctx.pick(event.title))}</b>",
        tr(
            "Will attend: {yes} · maybe: {maybe} · can't: {no}",
            yes=number(counts[RsvpStatus.yes]),
            maybe=number(counts[RsvpStatus.maybe]),
            no=number(counts[RsvpStatus.no]),
        ),
    ]
    attending = [m for m, r in rows if r.status == RsvpStatus.yes]
    lines += [f"• {html.escape(display_name(m))}" for m in attending[:ATTENDEES_SHOWN]]
    if len(attending) > ATTENDEES_SHOWN:
        more = number(len(attending) - ATTENDEES_SHOWN)
        lines.append(tr("… and {n} more (see the CSV).", n=more))
    return "\n".join(lines)


def _attendance_csv(rows: Attendance) -> bytes:
    """UTF-8 with a BOM (spreadsheets), formulas neutralised in what members typed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "username", "institution", "country", "language", "answer"])
    for m, r in rows:
        institution = m.institution_id or m.institution_other or ""
        writer.writerow(
            [
                neutralise(display_name(m)),
                neutralise(m.username or ""),
                neutralise(institution),
                m.country or "",
                m.language,
                r.status,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode()
