"""/newevent: the guided conversation of an organizer creating an event.

Each typed answer has its step's function (``@EVENT_FLOW.on_message``), which returns a
problem to show or None; each kind of button its handler. After a step the next question
is asked — or, in an /editevent that reached the end of its one field, the edit is saved.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app.context import BotContext
from bot.core.audience import AudienceError, parse_selectors
from bot.core.enums import Role
from bot.core.geo import resolve_zone
from bot.core.ids import short_id
from bot.core.timeparse import example_day, parse_duration, parse_natural
from bot.render.callbacks.base import CallbackData
from bot.render.callbacks.events import (
    AudiencePicked,
    DraftAction,
    DraftPressed,
    DurationPicked,
    PlatformPicked,
    RemindersPicked,
    TitleLanguagePicked,
)
from handlers.common import (
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
)
from handlers.events.draft import (
    DAY_CHOICES,
    DURATIONS,
    EVENT_FLOW,
    MAX_OFFSETS,
    EventDraft,
    check_time,
    event_audience,
    parse_date,
    parse_offsets,
    times,
)
from handlers.events.editing import EDIT_DONE_AT, apply_edit, send_back
from handlers.events.prompts import ask
from storage import events as event_store
from storage.audience import unknown_references
from storage.models import Event

Taker = Callable[[BotContext, EventDraft, str], Awaitable[str | None]]
C = TypeVar("C", bound=CallbackData)


@requires_role(Role.organizer)
async def newevent_command(update: Update, ctx: BotContext) -> None:
    draft = EventDraft(zone=ctx.member.timezone)
    await EVENT_FLOW.begin(update, ctx, draft)
    await ask(update, ctx, draft)


async def after_step(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    """Ask the next question — or, in an edit that is complete, save it."""
    if draft.editing and draft.step == EDIT_DONE_AT.get(draft.edit or ""):
        await apply_edit(update, ctx, draft)
    else:
        await ask(update, ctx, draft)


# ------------------------------------------------------------------ typed answers
def typed(take: Taker) -> Callable[[Update, BotContext, EventDraft], Awaitable[None]]:
    """A message step from a function that applies a typed answer (None: accepted)."""

    async def step(update: Update, ctx: BotContext, draft: EventDraft) -> None:
        message = update.effective_message
        if message is None or not message.text:
            await ask(update, ctx, draft)  # a photo or a sticker: the question again
            return
        before = draft.step
        problem = await take(ctx, draft, message.text.strip())
        if problem is None:
            await EVENT_FLOW.save(ctx, draft)
            await after_step(update, ctx, draft)
            return
        await reply(update, ctx, problem)
        if draft.step != before:  # sent back (a time that does not exist, or past)
            await EVENT_FLOW.save(ctx, draft)
            await ask(update, ctx, draft)

    return step


@EVENT_FLOW.on_message("title-lang", "title-more", "platform", "confirm", "choose")
async def buttons_only(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    await reply(update, ctx, ctx.tr("Please use the buttons of the last message, or /cancel."))


@EVENT_FLOW.on_message("title")
@typed
async def take_title(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    if not 3 <= len(text) <= 200:
        return ctx.tr("A title has 3 to 200 characters.")
    draft.pending, draft.step = text, "title-lang"
    return None


@EVENT_FLOW.on_message("date")
@typed
async def take_date(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    today = ctx.svc.now().astimezone(ZoneInfo(draft.zone)).date()
    parsed = parse_natural(text, today)
    day = parse_date(text) or (parsed.day if parsed else None)
    if day is None or parsed is None or parsed.delta is not None:
        example = example_day(ctx.svc.now(), draft.zone, ctx.tr.locale)
        return ctx.tr("I could not read that date. Write it as {example}.", example=example)
    if day < today:
        return ctx.tr("That date has already passed. Choose a later one.")
    if day > today + timedelta(days=730):
        return ctx.tr("That date is more than two years away. Check the year.")
    draft.date, draft.step = day.isoformat(), "time"
    if parsed.clock is not None:  # "mañana a las 10": the time too
        draft.time, draft.step = parsed.clock.strftime("%H:%M"), "zone"
    return None


@EVENT_FLOW.on_message("time")
@typed
async def take_time(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    parsed = parse_natural(f"a las {text}" if text.strip().isdigit() else text, date(2000, 1, 1))
    if parsed is None or parsed.clock is None or parsed.day is not None:
        return ctx.tr("I could not read that time. Write it as 14:00.")
    draft.time, draft.step = parsed.clock.strftime("%H:%M"), "zone"
    return None


@EVENT_FLOW.on_message("zone")
@typed
async def take_zone(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    zone = resolve_zone(text)
    if zone is None:
        return ctx.tr(
            "I don't know the time zone “{zone}”. Try a name like Europe/Madrid or a "
            "city like São Paulo.",
            zone=html.escape(text[:60]),
        )
    draft.zone = zone
    return check_time(draft, ctx.svc.now(), ctx.tr)  # on to the duration, or back


@EVENT_FLOW.on_message("duration")
@typed
async def take_duration(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    if draft.time is None:
        return _take_days(ctx, draft, text)
    try:
        minutes = parse_duration(text)
    except ValueError:
        return ctx.tr("Write the length as 90m, 1h or 1h30m.")
    if not 5 <= minutes <= 24 * 60:
        return ctx.tr("An event lasts between 5 minutes and 24 hours (or is all day).")
    draft.duration, draft.step = minutes, "platform"
    return None


def _take_days(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 31:
        return ctx.tr("Write a number of days, from 1 to 31.")
    draft.days, draft.step = days, "platform"
    return None


@EVENT_FLOW.on_message("platform-name")
@typed
async def take_platform_name(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    draft.platform, draft.step = text[:60], "link"
    return None


@EVENT_FLOW.on_message("location")
@typed
async def take_location(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    draft.location, draft.step = text[:200], "audience"
    return None


@EVENT_FLOW.on_message("link")
@typed
async def take_link(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]{2,490}", text):
        return ctx.tr("That is not a link. Send one that starts with https://, or skip.")
    draft.link, draft.step = text, "audience"
    return None


@EVENT_FLOW.on_message("audience")
@typed
async def take_audience(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    try:
        selectors = parse_selectors(text)
    except AudienceError as exc:
        return ctx.tr(
            "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
            "language:es, role:organizer or event:ID, separated by commas.",
            selector=html.escape(exc.selector[:60]),
        )
    missing = await unknown_references(ctx.svc.db, selectors)
    if missing:
        return ctx.tr("These do not exist: {items}", items=html.escape(", ".join(missing)))
    draft.audience, draft.step = selectors, "reminders"
    return None


@EVENT_FLOW.on_message("reminders")
@typed
async def take_reminders(ctx: BotContext, draft: EventDraft, text: str) -> str | None:
    offsets = parse_offsets(text)
    if offsets is None:
        return ctx.tr(
            "Write offsets such as 24h, 1h, 10m: at most {n}, none longer than 30 "
            "days, none negative.",
            n=MAX_OFFSETS,
        )
    draft.reminders, draft.step = offsets, "confirm"
    return None


# ------------------------------------------------------------------ buttons
async def _pressed(
    update: Update, ctx: BotContext, kind: type[C], *steps: str
) -> tuple[EventDraft, C] | None:
    """The draft and the button's data, when the draft waits for this button."""
    query = update.callback_query
    data = kind.parse(query.data if query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed event draft data")
        return None
    draft = await EVENT_FLOW.load_pressed(update, ctx)
    if draft is None:
        await refuse_button(update, ctx, "no event draft for this message")
        return None
    if steps and draft.step not in steps:
        await refuse_button(update, ctx, f"event draft step {draft.step} does not take {data}")
        return None
    return draft, data


async def _advance(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    await answer_query(update)
    await EVENT_FLOW.save(ctx, draft)
    await after_step(update, ctx, draft)


@requires_role(Role.organizer)
async def language_button(update: Update, ctx: BotContext) -> None:
    found = await _pressed(update, ctx, TitleLanguagePicked, "title-lang")
    if found is not None:
        draft, data = found
        draft.titles[data.language] = draft.pending or ""
        draft.pending, draft.step = None, "title-more"
        await _advance(update, ctx, draft)


@requires_role(Role.organizer)
async def duration_button(update: Update, ctx: BotContext) -> None:
    found = await _pressed(update, ctx, DurationPicked, "duration")
    if found is None:
        return
    draft, data = found
    if data.amount not in (DAY_CHOICES if data.days else DURATIONS):
        await refuse_button(update, ctx, f"no button offers {data}")
        return
    if data.days:
        draft.days = data.amount
    else:
        draft.duration = data.amount
    draft.step = "platform"
    await _advance(update, ctx, draft)


@requires_role(Role.organizer)
async def platform_button(update: Update, ctx: BotContext) -> None:
    found = await _pressed(update, ctx, PlatformPicked, "platform")
    if found is None:
        return
    draft, data = found
    if data.platform == "-":
        draft.platform, draft.link, draft.step = None, None, "location"
    elif data.platform == "?":
        draft.step = "platform-name"
    else:
        draft.platform, draft.location, draft.step = data.platform, None, "link"
    await _advance(update, ctx, draft)


@requires_role(Role.organizer)
async def audience_button(update: Update, ctx: BotContext) -> None:
    found = await _pressed(update, ctx, AudiencePicked, "audience")
    if found is not None:
        draft, data = found
        draft.audience, draft.step = [data.audience], "reminders"
        await _advance(update, ctx, draft)


@requires_role(Role.organizer)
async def reminders_button(update: Update, ctx: BotContext) -> None:
    found = await _pressed(update, ctx, RemindersPicked, "reminders")
    if found is not None:
        draft, data = found
        draft.reminders, draft.step = parse_offsets(data.offsets), "confirm"
        await _advance(update, ctx, draft)


# ------------------------------------------------------------------ buttons without a value
DraftStep = Callable[[Update, BotContext, EventDraft], Awaitable[None]]


async def _another_title(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    draft.step = "title"
    await _advance(update, ctx, draft)


async def _titles_done(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    draft.step = "date"
    await _advance(update, ctx, draft)


async def _all_day(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    draft.time, draft.step = None, "zone"
    await _advance(update, ctx, draft)


async def _keep_zone(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    problem = check_time(draft, ctx.svc.now(), ctx.tr)
    if problem is not None:
        await answer_query(update)
        await send_back(update, ctx, draft, problem)
        return
    await _advance(update, ctx, draft)


async def _no_link(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    draft.link, draft.step = None, "audience"
    await _advance(update, ctx, draft)


async def _create_pressed(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    await answer_query(update)
    await create(update, ctx, draft)


ACTIONS: dict[DraftAction, tuple[str, DraftStep]] = {
    DraftAction.more: ("title-more", _another_title),
    DraftAction.next: ("title-more", _titles_done),
    DraftAction.all_day: ("time", _all_day),
    DraftAction.zone: ("zone", _keep_zone),
    DraftAction.no_link: ("link", _no_link),
    DraftAction.create: ("confirm", _create_pressed),
}


@requires_role(Role.organizer)
async def draft_button(update: Update, ctx: BotContext) -> None:
    """Cancel (at any step), or the action the draft's step offers."""
    found = await _pressed(update, ctx, DraftPressed)
    if found is None:
        return
    draft, data = found
    if data.action is DraftAction.cancel:
        await answer_query(update)
        await EVENT_FLOW.drop(ctx)
        await edit_or_reply(update, ctx, ctx.tr("Cancelled. Nothing was changed."))
        return
    step, run = ACTIONS[data.action]
    if draft.step != step:
        await refuse_button(update, ctx, f"event draft step {draft.step} does not take {data}")
        return
    await run(update, ctx, draft)


async def create(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    problem = check_time(draft, ctx.svc.now(), ctx.tr)
    if problem is not None:
        await send_back(update, ctx, draft, problem)
        return
    svc, member = ctx.svc, ctx.member
    start, end, all_day = times(draft)
    first_title = next(iter(draft.titles.values()))
    event_id = await event_store.free_event_id(svc.db, short_id(first_title))
    event = Event(
        id=event_id,
        title=draft.titles,
        kind="videoconference" if draft.platform else "meeting",
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        timezone=draft.zone,
        platform=draft.platform,
        join_url=draft.link,
        location=draft.location,
        audience=event_audience(draft, event_id),
        reminders=draft.reminders,
    )
    await event_store.create_event(
        svc.db, event, actor_id=member.user_id, actor_name=display_name(member)
    )
    await EVENT_FLOW.drop(ctx)
    text = ctx.tr(
        "✅ Event created: <b>{title}</b> (/event {id}). Reminders will go out on time; "
        "members can share https://t.me/{bot}?start=event-{id}",
        title=html.escape(first_title),
        id=event_id,
        bot=ctx.bot.username,
    )
    await reply(update, ctx, text)


ButtonHandler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
BUTTONS: tuple[tuple[type[CallbackData], ButtonHandler], ...] = (
    (DraftPressed, draft_button),
    (TitleLanguagePicked, language_button),
    (DurationPicked, duration_button),
    (PlatformPicked, platform_button),
    (AudiencePicked, audience_button),
    (RemindersPicked, reminders_button),
)
