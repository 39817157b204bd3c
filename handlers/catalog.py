"""Courses and events: /courses (filters and pages), /course ID, /events, /event ID,
"Add to calendar" (.ics) and the deep link ``t.me/<bot>?start=event-ID``."""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.app.context import get_services
from bot.core.i18n import (
    N_,
    Translator,
)
from bot.render.cards import (
    LANGUAGE_LABELS,
    MODALITIES,
    STATUSES,
    course_card,
    course_line,
    event_card,
    event_when,
    topic_label,
)
from bot.render.commands import CommandSpec, register_command
from bot.render.ics import event_to_ics
from bot.render.notices import rsvp_rows
from handlers.common import (
    Button,
    Context,
    answer_query,
    edit_or_reply,
    refuse_button,
    reply,
    translator,
)
from handlers.onboarding import register_deep_link
from storage import catalog
from storage.models import Event, Member

PAGE_SIZE = 5
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
FILTER_DIMENSIONS = ("t", "m", "l", "s")  # topic, modality, language, status

register_command(CommandSpec("courses", N_("Courses of the network, with filters")))
register_command(CommandSpec("course", N_("One course in detail"), usage="ID"))
register_command(CommandSpec("events", N_("Upcoming events (/events past for earlier ones)")))
register_command(
    CommandSpec("event", N_("One event: time in your zone, link, calendar"), usage="ID")
)


# ---------------------------------------------------------------- course list with filters
def encode_state(state: dict[str, str]) -> str:
    return ",".join(state.get(d, "") for d in FILTER_DIMENSIONS)


def decode_state(text: str) -> dict[str, str] | None:
    parts = text.split(",")
    if len(parts) != len(FILTER_DIMENSIONS):
        return None
    state = dict(zip(FILTER_DIMENSIONS, parts, strict=True))
    if any(value and not SLUG.match(value) for value in state.values()):
        return None
    return state


async def _course_page(
    update: Update, context: Context, page: int, state: dict[str, str], edit: bool
) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    today = svc.now().astimezone(ZoneInfo(member.timezone)).date()
    wanted = catalog.CourseFilter(
        topic=state.get("t") or None,
        modality=state.get("m") or None,
        language=state.get("l") or None,
        status=state.get("s") or None,
    )
    courses = await catalog.list_courses(svc.db, today, wanted)
    pages = max(1, -(-len(courses) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = courses[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    default = svc.settings.default_language
    active = [v for v in (state.get("t"), state.get("m"), state.get("l"), state.get("s")) if v]
    header = tr("<b>Courses</b> — page {page} of {pages}", page=page + 1, pages=pages)
    if active:
        header += "\n" + tr("Filters: {filters}", filters=html.escape(", ".join(active)))
    if not courses:
        body = tr("No course matches these filters.")
    else:
        body = "\n\n".join(
            f"{page * PAGE_SIZE + i + 1}. "
            + course_line(c, tr, catalog.course_status(c, today), default)
            for i, c in enumerate(shown)
        )
    encoded = encode_state(state)
    rows: list[list[Button]] = [
        [(f"{page * PAGE_SIZE + i + 1}. ℹ️", f"co:{c.id}")]
        for i, c in enumerate(shown)
        if len(f"co:{c.id}") <= 64
    ]
    rows = [[cell for row in rows for cell in row]] if rows else []
    nav: list[Button] = []
    if page > 0:
        nav.append(("◀", f"cl:{page - 1}:{encoded}"))
    if page + 1 < pages:
        nav.append(("▶", f"cl:{page + 1}:{encoded}"))
    if nav:
        rows.append(nav)
    rows.append(
        [
            (tr("Topic"), f"cf:t:{encoded}"),
            (tr("Modality"), f"cf:m:{encoded}"),
            (tr("Language"), f"cf:l:{encoded}"),
            (tr("Status"), f"cf:s:{encoded}"),
        ]
    )
    if active:
        rows.append([(tr("Clear filters"), "cl:0:,,,")])
    text = f"{header}\n\n{body}"
    if edit:
        await edit_or_reply(update, context, text, buttons=rows)
    else:
        await reply(update, context, text, buttons=rows)


async def courses_command(update: Update, context: Context) -> None:
    await _course_page(update, context, 0, {}, edit=False)


async def course_list_button(update: Update, context: Context) -> None:
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":", 2)
    state = decode_state(parts[2]) if len(parts) == 3 else None
    if state is None or not parts[1].isdigit() or int(parts[1]) > 10_000:
        await refuse_button(update, context, "malformed course list data")
        return
    await answer_query(update)
    await _course_page(update, context, int(parts[1]), state, edit=True)


async def course_filter_button(update: Update, context: Context) -> None:
    """Shows the choices for one filter dimension."""
    svc = get_services(context)
    _, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":", 2)
    state = decode_state(parts[2]) if len(parts) == 3 else None
    if state is None or parts[1] not in FILTER_DIMENSIONS:
        await refuse_button(update, context, "malformed course filter data")
        return
    await answer_query(update)
    dimension = parts[1]
    facets = await catalog.course_facets(svc.db)
    if dimension == "t":
        values = [(topic_label(t), t) for t in facets["topic"] if len(t) <= 30]
    elif dimension == "m":
        values = [(tr(MODALITIES.get(m, m)), m) for m in facets["modality"]]
    elif dimension == "l":
        values = [(tr(LANGUAGE_LABELS.get(x, x)), x) for x in facets["language"]]
    else:
        values = [(tr(label), key) for key, label in STATUSES.items()]
    buttons: list[Button] = []
    for label, value in values:
        new_state = dict(state)
        new_state[dimension] = value
        payload = f"cl:0:{encode_state(new_state)}"
        if len(payload.encode()) <= 64:
            buttons.append((label, payload))
    cleared = dict(state)
    cleared[dimension] = ""
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(tr("Any"), f"cl:0:{encode_state(cleared)}")])
    await edit_or_reply(update, context, tr("Choose a filter:"), buttons=rows)


async def course_command(update: Update, context: Context) -> None:
    _, tr = await translator(update, context)
    if not context.args:
        await reply(update, context, tr("Usage: /course ID — see /courses for the list."))
        return
    await show_course(update, context, context.args[0].lower()[:64], edit=False)


async def course_button(update: Update, context: Context) -> None:
    data = update.callback_query.data if update.callback_query else ""
    course_id = (data or "")[3:]
    if not SLUG.match(course_id):
        await refuse_button(update, context, "malformed course id")
        return
    await answer_query(update)
    await show_course(update, context, course_id, edit=False)


async def show_course(update: Update, context: Context, course_id: str, edit: bool) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    course = await catalog.get_course(svc.db, course_id) if SLUG.match(course_id) else None
    if course is None:
        await reply(
            update,
            context,
            tr("There is no course “{id}”. See /courses for the list.", id=html.escape(course_id)),
        )
        return
    today = svc.now().astimezone(ZoneInfo(member.timezone)).date()
    text = course_card(
        course, tr, catalog.course_status(course, today), svc.settings.default_language
    )
    rows: list[list[Button]] = []
    if course.enroll_url:
        rows.append([(tr("Enrol"), f"url:{course.enroll_url}")])
    await reply(update, context, text, buttons=rows or None)


# ---------------------------------------------------------------- events
def event_buttons(event: Event, member: Member, tr: Translator) -> list[list[Button]]:
    """Join (registered members), RSVP, add to calendar and mute — as on reminders."""
    return [[(text, data) for text, data in row] for row in rsvp_rows(event, member, tr)]


async def events_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    args = context.args or []
    past = bool(args) and args[0].lower() in ("past", "pasados", "passados")
    events = await catalog.list_events(svc.db, svc.now(), past=past, limit=10)
    if not events:
        text = tr("No past events.") if past else tr("No upcoming events for now.")
        await reply(update, context, text)
        return
    default = svc.settings.default_language
    header = tr("<b>Past events</b>") if past else tr("<b>Upcoming events</b>")
    blocks = []
    rows: list[list[Button]] = []
    for index, event in enumerate(events, start=1):
        title = html.escape(catalog.pick_text(event.title, tr.language, default))
        blocks.append(f"{index}. <b>{title}</b>\n   🗓 {event_when(event, member.timezone, tr)}")
        if len(f"ev:{event.id}") <= 64:
            rows.append(
                [
                    (
                        f"{index}. {catalog.pick_text(event.title, tr.language, default)[:40]}",
                        f"ev:{event.id}",
                    )
                ]
            )
    await reply(update, context, header + "\n\n" + "\n\n".join(blocks), buttons=rows)


async def event_command(update: Update, context: Context) -> None:
    _, tr = await translator(update, context)
    if not context.args:
        await reply(update, context, tr("Usage: /event ID — see /events for the list."))
        return
    await show_event(update, context, context.args[0].lower()[:64])


async def event_button(update: Update, context: Context) -> None:
    data = update.callback_query.data if update.callback_query else ""
    event_id = (data or "")[3:]
    if not SLUG.match(event_id):
        await refuse_button(update, context, "malformed event id")
        return
    await answer_query(update)
    await show_event(update, context, event_id)


async def show_event(update: Update, context: Context, event_id: str) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    event = await catalog.get_event(svc.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        await reply(
            update,
            context,
            tr("There is no event “{id}”. See /events for the list.", id=html.escape(event_id)),
        )
        return
    text = event_card(event, member, tr, svc.settings.default_language, context.bot.username)
    await reply(update, context, text, buttons=event_buttons(event, member, tr))


async def ics_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    event_id = (data or "")[4:]
    event = await catalog.get_event(svc.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        await refuse_button(update, context, "unknown event for ics")
        return
    await answer_query(update)
    payload = event_to_ics(
        event,
        member.language,
        svc.now(),
        include_link=member.onboarded,
        default_language=svc.settings.default_language,
    )
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(payload, filename=f"{event.id}.ics", attach=True),
        caption=tr("Open the file to add the event to your calendar."),
    )


async def event_deep_link(update: Update, context: Context, payload: str) -> bool:
    event_id = payload.removeprefix("event-")
    if not SLUG.match(event_id):
        return False
    await show_event(update, context, event_id)
    return True


def register(application: Application) -> None:
    application.add_handler(CommandHandler("courses", courses_command))
    application.add_handler(CommandHandler("course", course_command))
    application.add_handler(CommandHandler("events", events_command))
    application.add_handler(CommandHandler("event", event_command))
    application.add_handler(CallbackQueryHandler(course_list_button, pattern=r"^cl:"))
    application.add_handler(CallbackQueryHandler(course_filter_button, pattern=r"^cf:"))
    application.add_handler(CallbackQueryHandler(course_button, pattern=r"^co:"))
    application.add_handler(CallbackQueryHandler(event_button, pattern=r"^ev:"))
    application.add_handler(CallbackQueryHandler(ics_button, pattern=r"^ics:"))
    register_deep_link("event-", event_deep_link)
