"""Events and their reminders: RSVP buttons, /myevents, /reminders on|off; for organizers
/newevent (a guided conversation), /editevent, /cancelevent, /remind and /attendees.

The conversation state is a draft in the database (``storage.drafts``), so a restart or a
second process loses nothing. Every local time is checked in its zone: a time that does
not exist or happens twice (daylight-saving changes), a start in the past, an unknown zone
or an absurd reminder offset is refused with a clear message and nothing changes.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.context import get_services
from bot.core.audience import AudienceError, parse_selectors
from bot.core.geo import resolve_zone
from bot.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    Translator,
    format_day,
    format_duration,
    format_local_datetime,
    format_number,
)
from bot.core.ids import slugify
from bot.core.timeparse import format_duration_code, local_to_utc, parse_duration
from bot.render.cards import event_lines
from bot.render.commands import CommandSpec, register_command
from bot.render.exports import neutralise
from bot.render.notices import render_reminder
from handlers.common import (
    Button,
    Context,
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
    translator,
)
from handlers.flows import Draft, Flow
from storage import catalog, drafts
from storage import events as event_store
from storage import members as member_store
from storage import reminders as store
from storage.audience import unknown_references
from storage.models import Event, Member, Role

DRAFT = "event"
EVENT_FLOW = Flow(DRAFT, Draft, role=Role.organizer)  # typed draft: to do
DRAFT_GROUP = -2  # before the broadcast draft (-1) and questions (0)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
RSVP_CODES = {"y": "yes", "m": "maybe", "n": "no"}
PLATFORMS = ("Zoom", "Webex", "Teams", "Meet")
MAX_OFFSETS = 6

register_command(CommandSpec("myevents", N_("Events you said you will attend")))
register_command(CommandSpec("reminders", N_("Event reminders on or off"), usage="on|off"))
register_command(CommandSpec("newevent", N_("Create an event"), Role.organizer))
register_command(CommandSpec("editevent", N_("Change an event"), Role.organizer, "ID"))
register_command(CommandSpec("cancelevent", N_("Cancel an event"), Role.organizer, "ID"))
register_command(CommandSpec("remind", N_("Send an event's reminder now"), Role.organizer, "ID"))
register_command(CommandSpec("attendees", N_("Who attends an event (CSV)"), Role.organizer, "ID"))


# ------------------------------------------------------------------ members: RSVP and lists
async def rsvp_button(update: Update, context: Context) -> None:
    """``rv:<y|m|n|x>:<event>``: will attend, maybe, can't, or mute this event."""
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":", 2)
    if len(parts) != 3 or parts[1] not in ("y", "m", "n", "x") or not SLUG.match(parts[2]):
        await refuse_button(update, context, "malformed rsvp data")
        return
    code, event_id = parts[1], parts[2]
    if code == "x":
        done = await store.set_rsvp(svc.db, event_id, member.user_id, muted=True, now=svc.now())
        text = tr("🔕 No more reminders for this event.")
    else:
        status = RSVP_CODES[code]
        done = await store.set_rsvp(
            svc.db, event_id, member.user_id, status=status, muted=False, now=svc.now()
        )
        text = {
            "yes": tr("✅ Noted: you will attend."),
            "maybe": tr("🤔 Noted: maybe."),
            "no": tr("Noted: you can't attend. No more reminders for this event."),
        }[status]
    if done is None:
        await refuse_button(update, context, "rsvp for an event that is gone")
        return
    await answer_query(update, text)


async def myevents_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    rows = await store.my_events(svc.db, member.user_id, svc.now())
    if not rows:
        await reply(
            update,
            context,
            tr(
                "You have not said you will attend any upcoming event. See /events and press "
                "“I'll attend”."
            ),
        )
        return
    default = svc.settings.default_language
    blocks = [tr("<b>Your events</b> (times in {zone})", zone=html.escape(member.timezone))]
    for event, rsvp in rows:
        title = html.escape(catalog.pick_text(event.title, tr.language, default))
        mark = "✅" if rsvp.status == "yes" else "🤔"
        muted = " 🔕" if rsvp.muted else ""
        blocks.append(
            f"{mark} <b>{title}</b>{muted}\n   "
            + "\n   ".join(event_lines(event, member, tr))
            + f"\n   /event {event.id}"
        )
    await reply(update, context, "\n\n".join(blocks))


async def reminders_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    wanted = (context.args or [""])[0].lower()
    if wanted in ("on", "off", "si", "sí", "sim", "no", "não", "nao"):
        enabled = wanted in ("on", "si", "sí", "sim")
        await member_store.update_member(svc.db, member.user_id, reminders_enabled=enabled)
        await reply(
            update,
            context,
            tr("Event reminders are on.")
            if enabled
            else tr("Event reminders are off. /reminders on turns them back on."),
        )
        return
    state = tr("on") if member.reminders_enabled else tr("off")
    await reply(
        update,
        context,
        tr("Event reminders: {state}. Use /reminders on or /reminders off.", state=state),
    )


# ------------------------------------------------------------------ organizers: the draft
def _empty_draft(zone: str) -> dict[str, Any]:
    return {
        "step": "title",
        "titles": {},
        "pending": None,
        "date": None,
        "time": None,
        "zone": zone,
        "duration": 90,
        "days": 1,
        "platform": None,
        "link": None,
        "location": None,
        "audience": ["all"],
        "reminders": None,
        "editing": None,
    }


async def _load(context: Context, member: Member) -> dict[str, Any] | None:
    return await drafts.get_draft(get_services(context).db, DRAFT, member.user_id)


async def _save(context: Context, member: Member, draft: dict[str, Any]) -> None:
    await drafts.save_draft(get_services(context).db, DRAFT, member.user_id, draft)


async def _drop(context: Context, member: Member) -> None:
    await drafts.delete_draft(get_services(context).db, DRAFT, member.user_id)


CANCEL: Button = ("✖", "ne:cancel")


async def _ask(update: Update, context: Context, draft: dict[str, Any], tr: Translator) -> None:
    """Ask for the draft's current step."""
    step = draft["step"]
    cancel = [(tr("Cancel"), "ne:cancel")]
    if step == "title":
        await reply(
            update,
            context,
            tr("<b>New event</b>\nSend its title. You can add the title in other languages next."),
            buttons=[cancel],
        )
    elif step == "title-lang":
        await reply(
            update,
            context,
            tr("Which language is this title in?"),
            buttons=[[(LANGUAGE_NAMES[code], f"ne:lang:{code}") for code in LANGUAGES], cancel],
        )
    elif step == "title-more":
        have = ", ".join(LANGUAGE_NAMES[x] for x in draft["titles"])
        await reply(
            update,
            context,
            tr("Titles so far: {languages}.", languages=have),
            buttons=[[(tr("+ Another language"), "ne:more"), (tr("Next ▶"), "ne:next")], cancel],
        )
    elif step == "date":
        await reply(
            update,
            context,
            tr("On what date? Write it as 2026-12-03 (or 03/12/2026)."),
            buttons=[cancel],
        )
    elif step == "time":
        await reply(
            update,
            context,
            tr("At what time does it start? Write it as 14:00 — or press “All day”."),
            buttons=[[(tr("All day"), "ne:allday")], cancel],
        )
    elif step == "zone":
        zone = draft["zone"]
        await reply(
            update,
            context,
            tr(
                "In which time zone is that time? Press the button, or write another zone "
                "(Europe/Madrid, or a city: São Paulo)."
            ),
            buttons=[[(zone, "ne:zone")], cancel],
        )
    elif step == "duration":
        if draft["time"] is None:
            await reply(
                update,
                context,
                tr("How many days does it last? Write a number."),
                buttons=[[("1", "ne:days:1"), ("2", "ne:days:2"), ("3", "ne:days:3")], cancel],
            )
        else:
            await reply(
                update,
                context,
                tr("How long does it last? Press a button or write it as 90m or 1h30m."),
                buttons=[
                    [
                        ("30 min", "ne:dur:30"),
                        ("1 h", "ne:dur:60"),
                        ("1 h 30", "ne:dur:90"),
                        ("2 h", "ne:dur:120"),
                    ],
                    cancel,
                ],
            )
    elif step == "platform":
        await reply(
            update,
            context,
            tr("Where does it happen?"),
            buttons=[
                [(p, f"ne:plat:{p}") for p in PLATFORMS],
                [(tr("In person"), "ne:plat:-"), (tr("Other (type it)"), "ne:plat:?")],
                cancel,
            ],
        )
    elif step == "platform-name":
        await reply(update, context, tr("Write the name of the platform."), buttons=[cancel])
    elif step == "location":
        await reply(
            update,
            context,
            tr("Where? Write the place, for example “Montevideo, Uruguay”."),
            buttons=[cancel],
        )
    elif step == "link":
        await reply(
            update,
            context,
            tr("Send the join link (https://…), or skip."),
            buttons=[[(tr("Skip"), "ne:nolink")], cancel],
        )
    elif step == "audience":
        await reply(
            update,
            context,
            tr(
                "Who is it for? Press a button, or type selectors such as "
                "<code>country:UY, language:es</code>."
            ),
            buttons=[
                [(tr("Everyone"), "ne:aud:all")],
                [(tr("Only those who confirm"), "ne:aud:rsvp")],
                cancel,
            ],
        )
    elif step == "reminders":
        await reply(
            update,
            context,
            tr(
                "When should I remind people? Press a button or write offsets such as "
                "24h, 1h, 10m. A “starting now” message with the link always goes at the start."
            ),
            buttons=[
                [(tr("24 h and 1 h before"), "ne:rem:24h,1h"), (tr("1 h before"), "ne:rem:1h")],
                [(tr("Only at the start"), "ne:rem:0m")],
                cancel,
            ],
        )
    elif step == "confirm":
        await _preview(update, context, draft, tr)


def _times(draft: dict[str, Any]) -> tuple[datetime, datetime, bool]:
    """The draft's start and end in UTC; ValueError when the local time is impossible."""
    day = date.fromisoformat(draft["date"])
    zone = draft["zone"]
    if draft["time"] is None:
        start = local_to_utc(datetime.combine(day, time()), zone)
        end = local_to_utc(datetime.combine(day + timedelta(days=draft["days"]), time()), zone)
        return start, end, True
    local = datetime.combine(day, time.fromisoformat(draft["time"]))
    start = local_to_utc(local, zone)
    return start, start + timedelta(minutes=draft["duration"]), False


async def _preview(update: Update, context: Context, draft: dict[str, Any], tr: Translator) -> None:
    svc = get_services(context)
    start, end, all_day = _times(draft)
    titles = " / ".join(html.escape(t) for t in draft["titles"].values())
    zone = draft["zone"]
    when = (
        format_day(date.fromisoformat(draft["date"]), tr.language, "full")
        if all_day
        else format_local_datetime(start, zone, tr.language)
    )
    lines = [
        tr("<b>Check the event</b>"),
        titles,
        tr("When: {when} ({zone})", when=when, zone=html.escape(zone)),
        tr("Duration: {duration}", duration=format_duration(end - start, tr.language)),
    ]
    if draft["platform"]:
        lines.append(tr("Platform: {platform}", platform=html.escape(draft["platform"])))
    if draft["location"]:
        lines.append(tr("Place: {place}", place=html.escape(draft["location"])))
    if draft["link"]:
        lines.append(tr("Link: {url}", url=html.escape(draft["link"])))
    audience = (
        tr("only those who confirm")
        if draft["audience"] == ["rsvp"]
        else tr("everyone")
        if draft["audience"] == ["all"]
        else ", ".join(draft["audience"])
    )
    lines.append(tr("Audience: {audience}", audience=html.escape(audience)))
    offsets = (
        draft["reminders"]
        if draft["reminders"] is not None
        else list(svc.settings.default_reminders)
    )
    lines.append(
        tr(
            "Reminders: {offsets} before, and at the start",
            offsets=", ".join(format_duration_code(m) for m in offsets if m) or "—",
        )
    )
    await reply(
        update,
        context,
        "\n".join(lines),
        buttons=[[(tr("✅ Create"), "ne:create"), (tr("Cancel"), "ne:cancel")]],
    )


@requires_role(Role.organizer)
async def newevent_command(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    draft = _empty_draft(member.timezone)
    await _save(context, member, draft)
    await _ask(update, context, draft, tr)


async def draft_input(update: Update, context: Context) -> None:
    """Typed answers for an event draft; anything else is not ours."""
    message = update.effective_message
    if message is None or not message.text or update.effective_user is None:
        return
    member, tr = await translator(update, context)
    if Role(member.role).rank < Role.organizer.rank:
        return
    draft = await _load(context, member)
    if draft is None:
        return
    step = draft.get("step")
    problem = await _take_text(context, member, draft, message.text.strip(), tr)
    if problem is not None:
        await reply(update, context, problem)
        if draft.get("step") != step:  # sent back (a time that does not exist, or past)
            await _ask(update, context, draft, tr)
    else:
        await _after_step(update, context, member, draft, tr)
    raise ApplicationHandlerStop


async def _take_text(
    context: Context, member: Member, draft: dict[str, Any], text: str, tr: Translator
) -> str | None:
    """Apply a typed answer to the draft; a localized problem, or None when accepted."""
    svc = get_services(context)
    step = draft["step"]
    if step == "title":
        if not 3 <= len(text) <= 200:
            return tr("A title has 3 to 200 characters.")
        draft["pending"] = text
        draft["step"] = "title-lang"
    elif step == "date":
        day = _parse_date(text)
        if day is None:
            return tr("I could not read that date. Write it as 2026-12-03.")
        today = svc.now().astimezone(ZoneInfo(draft["zone"])).date()
        if day < today:
            return tr("That date has already passed. Choose a later one.")
        if day > today + timedelta(days=730):
            return tr("That date is more than two years away. Check the year.")
        draft["date"] = day.isoformat()
        draft["step"] = "time"
    elif step == "time":
        match = re.fullmatch(r"(\d{1,2})[:h.](\d{2})", text.lower())
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            return tr("I could not read that time. Write it as 14:00.")
        draft["time"] = f"{int(match[1]):02d}:{match[2]}"
        draft["step"] = "zone"
    elif step == "zone":
        zone = resolve_zone(text)
        if zone is None:
            return tr(
                "I don't know the time zone “{zone}”. Try a name like Europe/Madrid or a "
                "city like São Paulo.",
                zone=html.escape(text[:60]),
            )
        draft["zone"] = zone
        problem = _check_time(draft, svc.now(), tr)
        await _save(context, member, draft)  # the step moved on (or back to the time)
        return problem
    elif step == "duration":
        try:
            minutes = parse_duration(text) if draft["time"] is not None else int(text) * 1440
        except ValueError:
            return (
                tr("Write the length as 90m, 1h or 1h30m.")
                if draft["time"] is not None
                else tr("Write a number of days, from 1 to 31.")
            )
        if draft["time"] is None:
            if not 1 <= minutes // 1440 <= 31:
                return tr("Write a number of days, from 1 to 31.")
            draft["days"] = minutes // 1440
        else:
            if not 5 <= minutes <= 24 * 60:
                return tr("An event lasts between 5 minutes and 24 hours (or is all day).")
            draft["duration"] = minutes
        draft["step"] = "platform"
    elif step == "platform-name":
        draft["platform"] = text[:60]
        draft["step"] = "link"
    elif step == "location":
        draft["location"] = text[:200]
        draft["step"] = "audience"
    elif step == "link":
        if not re.fullmatch(r"https?://[^\s/$.?#][^\s]{2,490}", text):
            return tr("That is not a link. Send one that starts with https://, or skip.")
        draft["link"] = text
        draft["step"] = "audience"
    elif step == "audience":
        try:
            selectors = parse_selectors(text)
        except AudienceError as exc:
            return tr(
                "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
                "language:es, role:organizer or event:ID, separated by commas.",
                selector=html.escape(exc.selector[:60]),
            )
        missing = await unknown_references(svc.db, selectors)
        if missing:
            return tr("These do not exist: {items}", items=html.escape(", ".join(missing)))
        draft["audience"] = selectors
        draft["step"] = "reminders"
    elif step == "reminders":
        offsets = _parse_offsets(text)
        if offsets is None:
            return tr(
                "Write offsets such as 24h, 1h, 10m: at most {n}, none longer than 30 "
                "days, none negative.",
                n=MAX_OFFSETS,
            )
        draft["reminders"] = offsets
        draft["step"] = "confirm"
    else:
        return tr("Please use the buttons of the last message, or /cancel.")
    await _save(context, member, draft)
    return None


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_offsets(text: str) -> list[int] | None:
    parts = [p.strip() for p in re.split(r"[,;\s]+", text) if p.strip()]
    if not parts or len(parts) > MAX_OFFSETS:
        return None
    try:
        minutes = [parse_duration(p) for p in parts]
    except ValueError:
        return None
    if any(m > 30 * 1440 for m in minutes):
        return None
    return sorted(set(minutes), reverse=True)


def _check_time(draft: dict[str, Any], now: datetime, tr: Translator) -> str | None:
    """After date, time and zone: the local time must exist, be unambiguous, and be ahead."""
    try:
        start, _end, _all_day = _times(draft)
    except ValueError as exc:
        draft["step"] = "time"
        gap = "does not exist" in str(exc)
        return (
            tr(
                "{time} does not exist on that day in {zone}: the clocks skip that hour. "
                "Choose another time.",
                time=draft["time"],
                zone=draft["zone"],
            )
            if gap
            else tr(
                "{time} happens twice on that day in {zone}: the clocks go back. Choose another "
                "time.",
                time=draft["time"],
                zone=draft["zone"],
            )
        )
    if start <= now:
        draft["step"] = "date"
        return tr("That moment has already passed. Choose a later date.")
    draft["step"] = "duration"
    return None


# An edit changes one thing; it is done when the flow reaches the step after that thing.
EDIT_DONE_AT = {
    "time": "platform",
    "title": "date",
    "link": "audience",
    "place": "audience",
    "reminders": "confirm",
    "audience": "reminders",
}


async def _after_step(
    update: Update, context: Context, member: Member, draft: dict[str, Any], tr: Translator
) -> None:
    """Ask the next question — or, in an edit that is complete, save it."""
    if draft.get("editing") and draft["step"] == EDIT_DONE_AT.get(draft.get("edit") or ""):
        await _apply_edit(update, context, member, draft, tr)
    else:
        await _ask(update, context, draft, tr)


@requires_role(Role.organizer)
async def newevent_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":", 2)
    action = parts[1] if len(parts) > 1 else ""
    arg = parts[2] if len(parts) > 2 else ""
    draft = await _load(context, member)
    if draft is None:
        await refuse_button(update, context, "no event draft")
        return
    step = draft["step"]
    if action == "cancel":
        await answer_query(update)
        await _drop(context, member)
        await edit_or_reply(update, context, tr("Cancelled. Nothing was changed."))
        return
    if action == "lang" and step == "title-lang" and arg in LANGUAGES:
        draft["titles"][arg] = draft.pop("pending") or ""
        draft["pending"] = None
        draft["step"] = "title-more"
    elif action == "more" and step == "title-more":
        draft["step"] = "title"
    elif action == "next" and step == "title-more":
        draft["step"] = "date"
    elif action == "allday" and step == "time":
        draft["time"] = None
        draft["step"] = "zone"
    elif action == "zone" and step == "zone":
        problem = _check_time(draft, svc.now(), tr)
        if problem is not None:
            await answer_query(update)
            await _save(context, member, draft)
            await reply(update, context, problem)
            await _ask(update, context, draft, tr)
            return
    elif action == "dur" and step == "duration" and arg in ("30", "60", "90", "120"):
        draft["duration"] = int(arg)
        draft["step"] = "platform"
    elif action == "days" and step == "duration" and arg in ("1", "2", "3"):
        draft["days"] = int(arg)
        draft["step"] = "platform"
    elif action == "plat" and step == "platform" and (arg in PLATFORMS or arg in ("-", "?")):
        if arg == "-":
            draft["platform"], draft["link"], draft["step"] = None, None, "location"
        elif arg == "?":
            draft["step"] = "platform-name"
        else:
            draft["platform"], draft["location"], draft["step"] = arg, None, "link"
    elif action == "nolink" and step == "link":
        draft["link"] = None
        draft["step"] = "audience"
    elif action == "aud" and step == "audience" and arg in ("all", "rsvp"):
        draft["audience"] = ["all"] if arg == "all" else ["rsvp"]
        draft["step"] = "reminders"
    elif action == "rem" and step == "reminders" and arg in ("24h,1h", "1h", "0m"):
        draft["reminders"] = _parse_offsets(arg)
        draft["step"] = "confirm"
    elif action == "create" and step == "confirm":
        await answer_query(update)
        await _create(update, context, member, draft, tr)
        return
    else:
        await refuse_button(update, context, f"event draft step {step} does not take {action}")
        return
    await answer_query(update)
    await _save(context, member, draft)
    await _after_step(update, context, member, draft, tr)


async def _create(
    update: Update, context: Context, member: Member, draft: dict[str, Any], tr: Translator
) -> None:
    svc = get_services(context)
    problem = _check_time(draft, svc.now(), tr)
    if problem is not None:
        await _save(context, member, draft)
        await reply(update, context, problem)
        await _ask(update, context, draft, tr)
        return
    start, end, all_day = _times(draft)
    first_title = next(iter(draft["titles"].values()))
    base = f"{slugify(first_title)[:40].rstrip('-')}-{draft['date']}"
    event_id = await event_store.free_event_id(svc.db, base)
    audience = [f"event:{event_id}"] if draft["audience"] == ["rsvp"] else draft["audience"]
    event = Event(
        id=event_id,
        title=draft["titles"],
        kind="videoconference" if draft["platform"] else "meeting",
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        timezone=draft["zone"],
        platform=draft["platform"],
        join_url=draft["link"],
        location=draft["location"],
        audience=audience,
        reminders=draft["reminders"],
    )
    await event_store.create_event(
        svc.db, event, actor_id=member.user_id, actor_name=display_name(member)
    )
    await _drop(context, member)
    await reply(
        update,
        context,
        tr(
            "✅ Event created: <b>{title}</b> (/event {id}). Reminders will go out on time; "
            "members can share https://t.me/{bot}?start=event-{id}",
            title=html.escape(first_title),
            id=event_id,
            bot=context.bot.username,
        ),
    )


# ------------------------------------------------------------------ /editevent
EDIT_FIELDS = ("time", "title", "link", "place", "reminders", "audience")


@requires_role(Role.organizer)
async def editevent_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    event = await _event_from_args(update, context, tr, "/editevent")
    if event is None:
        return
    draft = _empty_draft(event.timezone)
    zone = ZoneInfo(event.timezone)
    local = event.starts_at.astimezone(zone)
    draft.update(
        editing=event.id,
        titles=dict(event.title),
        date=local.date().isoformat(),
        time=None if event.all_day else local.strftime("%H:%M"),
        duration=int((event.ends_at - event.starts_at).total_seconds() // 60),
        days=max(1, (event.ends_at - event.starts_at).days),
        platform=event.platform,
        link=event.join_url,
        location=event.location,
        audience=list(event.audience),
        reminders=event.reminders,
        step="choose",
    )
    await _save(context, member, draft)
    title = html.escape(catalog.pick_text(event.title, tr.language, svc.settings.default_language))
    labels = {
        "time": tr("🕒 Date and time"),
        "title": tr("Title"),
        "link": tr("Link"),
        "place": tr("Platform or place"),
        "reminders": tr("Reminders"),
        "audience": tr("Audience"),
    }
    rows = [[(labels[f], f"ee:{f}") for f in EDIT_FIELDS[i : i + 2]] for i in range(0, 6, 2)]
    rows.append([(tr("Cancel"), "ne:cancel")])
    await reply(
        update,
        context,
        tr("What do you want to change in <b>{title}</b>?", title=title),
        buttons=rows,
    )


@requires_role(Role.organizer)
async def editfield_button(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    field = (data or "")[3:]
    draft = await _load(context, member)
    if (
        draft is None
        or not draft.get("editing")
        or field not in EDIT_FIELDS
        or draft["step"] != "choose"
    ):
        await refuse_button(update, context, "edit field does not fit")
        return
    await answer_query(update)
    draft["edit"] = field
    draft["step"] = {
        "time": "date",
        "title": "title",
        "link": "link",
        "place": "platform",
        "reminders": "reminders",
        "audience": "audience",
    }[field]
    if field == "title":
        draft["titles"] = {}
    await _save(context, member, draft)
    await _ask(update, context, draft, tr)


async def _apply_edit(
    update: Update, context: Context, member: Member, draft: dict[str, Any], tr: Translator
) -> None:
    svc = get_services(context)
    event_id = draft["editing"]
    field = draft.get("edit")
    actor_id, actor_name = member.user_id, display_name(member)
    if field == "time":
        problem = _check_time(draft, svc.now(), tr)
        if problem is not None:
            await _save(context, member, draft)
            await reply(update, context, problem)
            await _ask(update, context, draft, tr)
            return
        start, end, all_day = _times(draft)
        changed = await event_store.move_event(
            svc.db, event_id, start, end, all_day, actor_id=actor_id, actor_name=actor_name
        )
        note = tr("New time saved. Members already reminded or attending will be told.")
    else:
        values: dict[str, Any] = {
            "title": {"title": draft["titles"]},
            "link": {"join_url": draft["link"]},
            "place": {
                "platform": draft["platform"],
                "location": draft["location"],
                "join_url": draft["link"],
            },
            "reminders": {"reminders": draft["reminders"]},
            "audience": {
                "audience": [f"event:{event_id}"]
                if draft["audience"] == ["rsvp"]
                else draft["audience"]
            },
        }[field or "title"]
        changed = await event_store.change_event(
            svc.db, event_id, values, actor_id=actor_id, actor_name=actor_name
        )
        note = tr("Saved.")
    await _drop(context, member)
    if changed is None:
        await reply(update, context, tr("That event no longer exists or was cancelled."))
        return
    await reply(update, context, f"{note} /event {event_id}")


# ------------------------------------------------------------------ cancel, remind, attendees
async def _event_from_args(
    update: Update, context: Context, tr: Translator, usage: str
) -> Event | None:
    svc = get_services(context)
    if not context.args:
        await reply(
            update, context, tr("Usage: {command} ID — see /events for the ids.", command=usage)
        )
        return None
    event_id = context.args[0].lower()[:64]
    event = await catalog.get_event(svc.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        await reply(
            update,
            context,
            tr("There is no event “{id}”. See /events for the list.", id=html.escape(event_id)),
        )
    return event


@requires_role(Role.organizer)
async def cancelevent_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    _, tr = await translator(update, context)
    event = await _event_from_args(update, context, tr, "/cancelevent")
    if event is None:
        return
    if event.status == "cancelled":
        await reply(update, context, tr("That event is already cancelled."))
        return
    title = html.escape(catalog.pick_text(event.title, tr.language, svc.settings.default_language))
    await reply(
        update,
        context,
        tr(
            "Cancel <b>{title}</b>? Pending reminders are dropped and members who were reminded "
            "or said they attend are told.",
            title=title,
        ),
        buttons=[[(tr("Yes, cancel it"), f"ce:yes:{event.id}"), (tr("No"), f"ce:no:{event.id}")]],
    )


@requires_role(Role.organizer)
async def cancelevent_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":", 2)
    if len(parts) != 3 or parts[1] not in ("yes", "no") or not SLUG.match(parts[2]):
        await refuse_button(update, context, "malformed cancel data")
        return
    await answer_query(update)
    if parts[1] == "no":
        await edit_or_reply(update, context, tr("Nothing was changed."))
        return
    cancelled = await event_store.cancel_event(
        svc.db, parts[2], actor_id=member.user_id, actor_name=display_name(member)
    )
    if cancelled is None:
        await edit_or_reply(update, context, tr("That event no longer exists or was cancelled."))
        return
    await edit_or_reply(
        update,
        context,
        tr("Cancelled. Members who were reminded or said they attend are being told."),
    )


@requires_role(Role.organizer)
async def remind_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    event = await _event_from_args(update, context, tr, "/remind")
    if event is None:
        return
    if event.ends_at < svc.now():
        await reply(update, context, tr("That event is over."))
        return
    default = svc.settings.default_language
    count = await store.send_now(
        svc.db,
        event.id,
        svc.now(),
        lambda m, e, s, now: render_reminder(m, e, s, now, default),
        actor_id=member.user_id,
    )
    if count is None:
        await reply(update, context, tr("That event no longer exists or was cancelled."))
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    await reply(
        update,
        context,
        tr.ngettext("Reminder queued for {n} member.", "Reminder queued for {n} members.", count),
    )


@requires_role(Role.organizer)
async def attendees_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    _, tr = await translator(update, context)
    event = await _event_from_args(update, context, tr, "/attendees")
    if event is None:
        return
    rows = await store.attendance(svc.db, event.id)
    counts = {s: sum(1 for _, r in rows if r.status == s) for s in ("yes", "maybe", "no")}
    default = svc.settings.default_language
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    number = lambda n: format_number(n, tr.language)  # noqa: E731
    lines = [
        f"<b>{title}</b>",
        tr(
            "Will attend: {yes} · maybe: {maybe} · can't: {no}",
            yes=number(counts["yes"]),
            maybe=number(counts["maybe"]),
            no=number(counts["no"]),
        ),
    ]
    attending = [m for m, r in rows if r.status == "yes"]
    lines += [f"• {html.escape(display_name(m))}" for m in attending[:50]]
    if len(attending) > 50:
        lines.append(tr("… and {n} more (see the CSV).", n=number(len(attending) - 50)))
    await reply(update, context, "\n".join(lines))
    if rows:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "username", "institution", "country", "language", "answer"])
        for m, r in rows:
            writer.writerow(
                [
                    neutralise(display_name(m)),
                    neutralise(m.username or ""),
                    neutralise(m.institution_id or m.institution_other or ""),
                    m.country or "",
                    m.language,
                    r.status,
                ]
            )
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id,
            InputFile(
                ("\ufeff" + buffer.getvalue()).encode(),
                filename=f"attendees-{event.id}.csv",
                attach=True,
            ),
        )


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, draft_input), group=DRAFT_GROUP
    )
    application.add_handler(CallbackQueryHandler(rsvp_button, pattern=r"^rv:"))
    application.add_handler(CallbackQueryHandler(newevent_button, pattern=r"^ne:"))
    application.add_handler(CallbackQueryHandler(editfield_button, pattern=r"^ee:"))
    application.add_handler(CallbackQueryHandler(cancelevent_button, pattern=r"^ce:"))
    application.add_handler(CommandHandler("myevents", myevents_command, filters=private))
    application.add_handler(CommandHandler("reminders", reminders_command, filters=private))
    application.add_handler(CommandHandler("newevent", newevent_command, filters=private))
    application.add_handler(CommandHandler("editevent", editevent_command, filters=private))
    application.add_handler(CommandHandler("cancelevent", cancelevent_command))
    application.add_handler(CommandHandler("remind", remind_command))
    application.add_handler(CommandHandler("attendees", attendees_command))
