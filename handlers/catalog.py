"""Courses and events: /courses (filters and pages), /course ID, /events, /event ID and the
deep link ``t.me/<bot>?start=event-ID`` (the event's buttons: :mod:`handlers.events`)."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast, get_args
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.app.context import BotContext
from bot.core.enums import Role
from bot.core.i18n import N_, Translator, format_day, pick_text
from bot.core.ids import SLUG
from bot.core.text import fold
from bot.render.callbacks.catalog import (
    MAX_PAGE,
    TOPIC_MAX,
    CourseFilterPressed,
    CourseFilters,
    CoursePage,
    CoursePressed,
    Dimension,
    Language,
    Modality,
)
from bot.render.callbacks.events import EventPage, EventPressed, GroupEventPage
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
from bot.render.labels import button_title
from bot.render.notices import rsvp_rows
from bot.render.webapp import app_button
from handlers.common import (
    AnyButton,
    Button,
    answer_query,
    edit_or_reply,
    in_private_chat,
    pressed,
    private_chat_button,
    refuse_button,
    reply,
    show_screen,
)
from handlers.onboarding import register_deep_link, wait_for_onboarding
from storage import catalog
from storage import reminders as reminder_store
from storage.models import Course, Event, Member, Rsvp
from storage.topics import topic_labels
from storage.visibility import open_to_all, sees_event

log = logging.getLogger(__name__)

PAGE_SIZE = 5
CHOICES_SHOWN = 8  # filter choices a page, two a row
EVENTS_SHOWN = 500  # /events pages through at most this many (a network has some dozens)
ID_CHARS = 64  # the longest id a command argument can name

register_command(CommandSpec("courses", N_("Courses of the network, with filters")))
register_command(CommandSpec("course", N_("One course in detail"), usage="ID"))
register_command(CommandSpec("events", N_("Upcoming events (/events past for earlier ones)")))
register_command(
    CommandSpec("event", N_("One event: time in your zone, link, calendar"), usage="ID")
)


# ---------------------------------------------------------------- course list with filters
async def _course_page(
    update: Update, ctx: BotContext, page: int, filters: CourseFilters, edit: bool
) -> None:
    svc, tr = ctx.svc, ctx.tr
    today = svc.now().astimezone(ZoneInfo(ctx.member.timezone)).date()
    wanted = catalog.CourseFilter(
        topic=filters.topic,
        modality=filters.modality,
        language=filters.language,
        status=filters.status,
    )
    courses = await catalog.list_courses(svc.db, today, wanted)
    pages = max(1, -(-len(courses) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = courses[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    default = svc.settings.default_language
    active = filters.active()
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
    rows = _course_page_rows(ctx, page, pages, shown, filters)
    await show_screen(update, ctx, f"{header}\n\n{body}", buttons=rows, edit=edit)


def _course_page_rows(
    ctx: BotContext, page: int, pages: int, shown: list[Course], filters: CourseFilters
) -> list[list[Button]]:
    """A card button per course shown (numbered as the list), the page arrows, the filters."""
    tr = ctx.tr
    rows: list[list[Button]] = [
        [
            (
                f"{page * PAGE_SIZE + i + 1}. {button_title(ctx.pick(c.title))}",
                CoursePressed(c.id).pack(),
            )
        ]
        for i, c in enumerate(shown)
    ]
    nav: list[Button] = []
    if page > 0:
        nav.append(("◀", CoursePage.of(page - 1, filters).pack()))
    if page + 1 < pages:
        nav.append(("▶", CoursePage.of(page + 1, filters).pack()))
    if nav:
        rows.append(nav)
    labels: dict[Dimension, str] = {
        "t": tr("Topic"),
        "m": tr("Modality"),
        "l": tr("Language"),
        "s": tr("Status"),
    }
    rows.append([(label, CourseFilterPressed.of(d, filters).pack()) for d, label in labels.items()])
    if filters.active():
        rows.append([(tr("Clear filters"), CoursePage.of(0, CourseFilters()).pack())])
    return rows


async def courses_command(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    await _course_page(update, ctx, 0, CourseFilters(), edit=False)


async def course_list_button(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    data = CoursePage.parse(update.callback_query.data if update.callback_query else None)
    if data is None or not 0 <= data.page <= MAX_PAGE:
        await refuse_button(update, ctx, "malformed course list data")
        return
    await answer_query(update)
    await _course_page(update, ctx, data.page, data.filters, edit=True)


async def _filter_choices(ctx: BotContext, dimension: Dimension) -> list[tuple[str, str]]:
    """(label, value) of each choice of one filter dimension."""
    tr = ctx.tr
    if dimension == "s":
        return [(tr(label), key) for key, label in STATUSES.items()]
    facets = await catalog.course_facets(ctx.svc.db)
    if dimension == "t":
        topics = [t for t in facets["topic"] if len(t) <= TOPIC_MAX and SLUG.match(t)]
        labels = await topic_labels(ctx.svc.db)
        named = [(topic_label(t, tr.language, labels), t) for t in topics]
        return sorted(named, key=lambda pair: fold(pair[0]))
    if dimension == "m":
        modalities = [m for m in facets["modality"] if m in get_args(Modality)]
        return [(tr(MODALITIES.get(m, m)), m) for m in modalities]
    languages = [x for x in facets["language"] if x in get_args(Language)]
    return [(tr(LANGUAGE_LABELS.get(x, x)), x) for x in languages]


FIELDS: dict[Dimension, str] = {"t": "topic", "m": "modality", "l": "language", "s": "status"}


def _with(filters: CourseFilters, dimension: Dimension, value: str | None) -> CourseFilters:
    """``filters`` with one dimension set to ``value`` (None: any)."""
    changes: dict[str, Any] = {FIELDS[dimension]: value}
    return replace(filters, **changes)


async def course_filter_button(update: Update, ctx: BotContext) -> None:
    """Shows the choices for one filter dimension, :data:`CHOICES_SHOWN` a page (the topics
    of a network are some dozens: one flat keyboard would fill the screen)."""
    await ctx.load_member(update)
    query = update.callback_query
    data = CourseFilterPressed.parse(query.data if query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed course filter data")
        return
    await answer_query(update)
    choices = await _filter_choices(ctx, data.dimension)
    pages = max(1, -(-len(choices) // CHOICES_SHOWN))
    page = min(data.page, pages - 1)
    buttons: list[Button] = [
        (button_title(label), CoursePage.of(0, _with(data.filters, data.dimension, value)).pack())
        for label, value in choices[page * CHOICES_SHOWN : (page + 1) * CHOICES_SHOWN]
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav: list[Button] = []
    if page > 0:
        nav.append(("◀", CourseFilterPressed.of(data.dimension, data.filters, page - 1).pack()))
    if page + 1 < pages:
        nav.append(("▶", CourseFilterPressed.of(data.dimension, data.filters, page + 1).pack()))
    if nav:
        rows.append(nav)
    cleared = _with(data.filters, data.dimension, None)
    rows.append([(ctx.tr("Any"), CoursePage.of(0, cleared).pack())])
    text = ctx.tr("Choose a filter:")
    if pages > 1:
        text += " " + ctx.tr("page {page} of {pages}", page=page + 1, pages=pages)
    await edit_or_reply(update, ctx, text, buttons=rows)


async def course_command(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    if not ctx.args:
        await reply(update, ctx, ctx.tr("Usage: /course ID — see /courses for the list."))
        return
    await show_course(update, ctx, ctx.args[0].lower()[:ID_CHARS])


async def course_button(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    data = CoursePressed.parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed course id")
        return
    await answer_query(update)
    await show_course(update, ctx, data.course_id)


async def show_course(update: Update, ctx: BotContext, course_id: str) -> None:
    svc, tr = ctx.svc, ctx.tr
    course = await catalog.get_course(svc.db, course_id) if SLUG.match(course_id) else None
    if course is None:
        text = tr(
            "There is no course “{id}”. See /courses for the list.", id=html.escape(course_id)
        )
        await reply(update, ctx, text)
        return
    today = svc.now().astimezone(ZoneInfo(ctx.member.timezone)).date()
    status = catalog.course_status(course, today)
    labels = await topic_labels(svc.db)
    text = course_card(course, tr, status, svc.settings.default_language, labels)
    rows: list[list[Button]] = []
    if course.enroll_url and status == "open":
        rows.append([(tr("Enrol"), f"url:{course.enroll_url}")])
    elif course.enroll_url and course.enroll_by is not None:
        day = format_day(course.enroll_by, tr.language)
        text += "\n\n" + tr("Enrolment closed on {date}.", date=day)
    elif course.enroll_url:
        text += "\n\n" + tr("Enrolment is closed.")
    await reply(update, ctx, text, buttons=rows or None)


# ---------------------------------------------------------------- events
def event_buttons(
    event: Event, member: Member, ctx: BotContext, *, visible: bool, given: Rsvp | None = None
) -> list[list[Button]]:
    """Join (registered members), RSVP, add to calendar and mute — as on reminders; none
    for a member outside the event's audience or after a cancellation, no RSVP once over."""
    rows = rsvp_rows(event, member, ctx.tr, visible=visible, now=ctx.svc.now(), given=given)
    return [[(text, data) for text, data in row] for row in rows]


async def events_command(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    args = ctx.args or []
    past = bool(args) and args[0].lower() in ("past", "pasados", "passados")
    await _event_page(update, ctx, 0, past, edit=False)


async def event_list_button(update: Update, ctx: BotContext) -> None:
    """A page arrow of /events: in private, or in a group (in the list's own language)."""
    await ctx.load_member(update)
    group = pressed(update, GroupEventPage)
    data = group or pressed(update, EventPage)
    if data is None or not 0 <= data.page <= MAX_PAGE:
        await refuse_button(update, ctx, "malformed event list data")
        return
    await answer_query(update)
    language = group.language if group is not None else None
    await _event_page(update, ctx, data.page, data.past, edit=True, language=language)


async def _event_page(
    update: Update,
    ctx: BotContext,
    page: int,
    past: bool,
    *,
    edit: bool,
    language: str | None = None,
) -> None:
    """Five events a page, each with a button opening its card, and the page arrows;
    organizers also see each id (for /editevent, /remind...). In a group the list keeps the
    language it was asked in (``language``) and gives each event in its own zone."""
    member, svc = ctx.member, ctx.svc
    events = await catalog.list_events(svc.db, svc.now(), past=past, limit=EVENTS_SHOWN)
    in_group = not in_private_chat(update)
    tr = Translator(language) if in_group and language else ctx.tr
    if in_group:  # others read along: only events open to everyone, no organizer ids
        events = [event for event in events if open_to_all(event)]
    if not events:
        text = tr("No past events.") if past else tr("No upcoming events for now.")
        await reply(update, ctx, text)
        return
    pages = -(-len(events) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    header = tr("<b>Past events</b>") if past else tr("<b>Upcoming events</b>")
    if pages > 1:
        header += " — " + tr("page {page} of {pages}", page=page + 1, pages=pages)
    staff = Role(member.role).rank >= Role.organizer.rank and not in_group
    blocks = []
    rows: list[list[Button]] = []
    first = page * PAGE_SIZE
    for index, event in enumerate(events[first : first + PAGE_SIZE], start=first + 1):
        title = pick_text(event.title, tr.language, svc.settings.default_language)
        when = event_when(event, event.timezone if in_group else member.timezone, tr)
        block = f"{index}. <b>{html.escape(title)}</b>\n   🗓 {when}"
        if staff:
            block += f"\n   🆔 <code>{event.id}</code>"
        blocks.append(block)
        rows.append([(f"{index}. {button_title(title)}", EventPressed(event.id).pack())])
    nav: list[Button] = []
    for shown, arrow in ((page - 1, "◀"), (page + 1, "▶")):
        if 0 <= shown < pages:
            group = GroupEventPage(shown, past, cast(Language, tr.language))
            data = group if in_group else EventPage(shown, past)
            nav.append((arrow, data.pack()))
    if nav:
        rows.append(nav)
    text = header + "\n\n" + "\n\n".join(blocks)
    await show_screen(update, ctx, text, buttons=rows, edit=edit)


async def event_command(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    if not ctx.args:
        await reply(update, ctx, ctx.tr("Usage: /event ID — see /events for the list."))
        return
    await show_event(update, ctx, ctx.args[0].lower()[:ID_CHARS])


async def event_button(update: Update, ctx: BotContext) -> None:
    await ctx.load_member(update)
    data = EventPressed.parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await refuse_button(update, ctx, "malformed event id")
        return
    await answer_query(update)
    await show_event(update, ctx, data.event_id)


async def show_event(update: Update, ctx: BotContext, event_id: str) -> None:
    member = await ctx.load_member(update)
    svc, tr = ctx.svc, ctx.tr
    event = await catalog.get_event(svc.db, event_id) if SLUG.match(event_id) else None
    if event is None:
        text = tr("There is no event “{id}”. See /events for the list.", id=html.escape(event_id))
        await reply(update, ctx, text)
        return
    if not in_private_chat(update):
        # Seen by everyone in the group: the public card, and the way to the private chat.
        text = event_card(
            event,
            member,
            tr,
            svc.settings.default_language,
            ctx.bot.username,
            visible=False,
            in_group=True,
        )
        await reply(update, ctx, text, buttons=[[private_chat_button(ctx, f"event-{event.id}")]])
        return
    visible = await sees_event(svc.db, member, event)
    if not visible:
        log.info(
            "event %s shown without its link to user %s (outside its audience %s)",
            event.id,
            member.user_id,
            event.audience,
        )
    text = event_card(
        event, member, tr, svc.settings.default_language, ctx.bot.username, visible=visible
    )
    # the member's own answer is marked on its button (🔘), which an RSVP tap keeps up to date
    answer = await reminder_store.rsvp_of(svc.db, event.id, member.user_id) if visible else None
    rows: list[Sequence[AnyButton]] = [
        *event_buttons(event, member, ctx, visible=visible, given=answer),
        app_button(svc.settings.webapp_url, tr, "event", id=event.id),
    ]
    await reply(update, ctx, text, buttons=rows, preview=False)  # a join link: no card


async def event_deep_link(update: Update, ctx: BotContext, payload: str) -> bool:
    event_id = payload.removeprefix("event-")
    if not SLUG.match(event_id):
        return False
    if not ctx.member.onboarded:
        await wait_for_onboarding(ctx, payload)
        return False  # /start goes on with the welcome; the card comes after it
    await show_event(update, ctx, event_id)
    return True


def register(application: Application) -> None:
    application.add_handler(CommandHandler("courses", courses_command))
    application.add_handler(CommandHandler("course", course_command))
    application.add_handler(CommandHandler("events", events_command))
    application.add_handler(CommandHandler("event", event_command))
    for kind, callback in (
        (CoursePage, course_list_button),
        (CourseFilterPressed, course_filter_button),
        (CoursePressed, course_button),
        (EventPressed, event_button),
        (EventPage, event_list_button),
        (GroupEventPage, event_list_button),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern()))
    register_deep_link("event-", event_deep_link)
