"""Courses and events as text for a reader: their language, their time zone.

Pure functions of a record and a :class:`bot.i18n.Translator` — used by the catalog
commands, the question answerer and ``python -m bot ask``, none of which need Telegram here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.enums import EventStatus, Role
from bot.core.i18n import (
    N_,
    Translator,
    format_day,
    format_duration,
    format_local_time,
    format_zoned_datetime,
    pick_text,
    workload,
    zone_name,
)
from storage import catalog
from storage.models import Course, Event, Member

MODALITIES = {"online": N_("online"), "blended": N_("blended"), "in-person": N_("in person")}
PACES = {"tutored": N_("tutored"), "self-paced": N_("self-paced")}
STATUSES = {
    "open": N_("open for enrolment"),
    "upcoming": N_("upcoming"),
    "running": N_("in progress"),
    "finished": N_("finished"),
}
KINDS = {
    "videoconference": N_("Videoconference"),
    "webinar": N_("Webinar"),
    "meeting": N_("Meeting"),
    "workshop": N_("Workshop"),
}
# The public card of an event for a member outside its audience (also the question answerer).
OUTSIDE_AUDIENCE = N_(
    "This event is for another audience: its link and RSVP are only for its participants."
)
LANGUAGE_LABELS = {"es": N_("Spanish"), "pt": N_("Portuguese"), "en": N_("English")}


TopicLabels = Mapping[str, Mapping[str, str]]


def topic_label(topic: str, language: str, labels: TopicLabels | None = None) -> str:
    """The topic in the reader's language (the file's ``topics:`` section), else as a course
    wrote it ("Big data"), else the slug as written — never a label made up from it."""
    texts = (labels or {}).get(topic, {})
    given = {k: v for k, v in texts.items() if k in LANGUAGE_LABELS}
    if given:
        return pick_text(given, language, language)
    return texts.get("*") or topic


def course_line(course: Course, tr: Translator, today_status: str, default: str) -> str:
    title = html.escape(catalog.pick_text(course.title, tr.language, default))
    when = ""
    if course.starts:
        when = format_day(course.starts, tr.language, "medium")
    langs = ", ".join(tr(LANGUAGE_LABELS[x]) for x in course.languages if x in LANGUAGE_LABELS)
    parts = [p for p in (tr(STATUSES[today_status]), when, langs) if p]
    return f"<b>{title}</b>\n   " + " · ".join(parts)


def course_card(
    course: Course,
    tr: Translator,
    status: str,
    default: str,
    topics: TopicLabels | None = None,
) -> str:
    lines = [f"<b>{html.escape(catalog.pick_text(course.title, tr.language, default))}</b>"]
    summary = catalog.pick_text(course.summary, tr.language, default)
    if summary:
        lines += [html.escape(summary), ""]
    lines.append(tr("Status: {status}", status=tr(STATUSES[status])))
    if course.starts:
        dates = format_day(course.starts, tr.language)
        if course.ends:
            dates = tr("{start} to {end}", start=dates, end=format_day(course.ends, tr.language))
        lines.append(tr("Dates: {dates}", dates=dates))
    if course.enroll_by:
        lines.append(tr("Enrol by: {date}", date=format_day(course.enroll_by, tr.language)))
    if course.hours:
        lines.append(workload(course.hours, tr))
    modality = tr(MODALITIES.get(course.modality, course.modality))
    pace = tr(PACES.get(course.pace, course.pace))
    lines.append(tr("Modality: {modality}, {pace}", modality=modality, pace=pace))
    if course.languages:
        taught = ", ".join(tr(LANGUAGE_LABELS.get(x, x)) for x in course.languages)
        lines.append(tr("Taught in: {languages}", languages=taught))
    if course.cost:
        cost = catalog.pick_text(course.cost, tr.language, default)
        lines.append(tr("Cost: {cost}", cost=html.escape(cost)))
    if course.certificate is not None:
        lines.append(tr("Certificate: yes") if course.certificate else tr("Certificate: no"))
    if course.provider:
        lines.append(tr("Offered by: {provider}", provider=html.escape(course.provider)))
    if course.topics:
        names = ", ".join(html.escape(topic_label(t, tr.language, topics)) for t in course.topics)
        lines.append(tr("Topics: {topics}", topics=names))
    return "\n".join(lines)


def gets_join_links(member: Member) -> bool:
    """Join links go to registered members (onboarded) and to the organizers and admins
    who run the events, onboarded or not."""
    return member.onboarded or member.role in (Role.organizer.value, Role.admin.value)


def same_wall_clock(moment: datetime, zone: str, other: str) -> bool:
    """Both zones read the same time at ``moment`` (one zone, an alias of it, or a
    neighbour on the same offset): the organizer's time would repeat the reader's."""
    return zone == other or (
        moment.astimezone(ZoneInfo(zone)).utcoffset()
        == moment.astimezone(ZoneInfo(other)).utcoffset()
    )


def event_when(event: Event, zone: str, tr: Translator) -> str:
    """Start in the reader's zone, with the organizer's zone beside it."""
    if event.all_day:
        own = ZoneInfo(event.timezone)
        first = event.starts_at.astimezone(own).date()
        last = (event.ends_at - timedelta(seconds=1)).astimezone(own).date()
        if first == last:
            return format_day(first, tr.language, "full")
        return tr(
            "{start} to {end}",
            start=format_day(first, tr.language, "full"),
            end=format_day(last, tr.language, "full"),
        )
    text = html.escape(format_zoned_datetime(event.starts_at, zone, tr.language))
    if not same_wall_clock(event.starts_at, zone, event.timezone):
        theirs = format_local_time(event.starts_at, event.timezone, tr.language)
        text += " · " + tr(
            "{time} in {city}, the organizer's time",
            time=theirs,
            city=html.escape(zone_name(event.timezone, tr.language)),
        )
    return text


def event_lines(event: Event, member: Member, tr: Translator) -> list[str]:
    """When (in the member's zone and the organizer's), how long, where: shared by the
    event card, reminders, change notices and /myevents."""
    lines = ["🗓 " + event_when(event, member.timezone, tr)]
    if not event.all_day:
        duration = format_duration(event.ends_at - event.starts_at, tr.language)
        lines.append(tr("Duration: {duration}", duration=duration))
    if event.platform:
        lines.append(tr("Platform: {platform}", platform=html.escape(event.platform)))
    if event.location:
        lines.append(tr("Place: {place}", place=html.escape(event.location)))
    return lines


def event_card(
    event: Event,
    member: Member,
    tr: Translator,
    default: str,
    bot_username: str,
    *,
    visible: bool,
    in_group: bool = False,
) -> str:
    """The card of ``/event``; ``visible``: the member may see the link (inside the
    audience, or staff; :func:`storage.visibility.sees_event`). Without it the card is the
    public one: no link, and a line saying why. ``in_group``: the public card for a group,
    which points to the private chat instead."""
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    lines = [f"<b>{title}</b>", tr(KINDS.get(event.kind, event.kind))]
    if event.status == "cancelled":
        lines.append(tr("⚠️ This event was cancelled."))
    elif event.status == "postponed":
        lines.append(tr("⚠️ This event was postponed."))
    lines += event_lines(event, member, tr)
    if in_group:
        lines.append(tr("The link and the RSVP are in our private chat."))
    elif not visible:
        lines.append(tr(OUTSIDE_AUDIENCE))
    elif event.join_url and event.status != EventStatus.cancelled:
        if gets_join_links(member):
            lines.append(tr("Link: {url}", url=html.escape(event.join_url)))
        else:
            lines.append(tr("The link is shown to registered members: send /start first."))
    description = catalog.pick_text(event.description, tr.language, default)
    if description:
        lines += ["", html.escape(description)]
    lines += ["", tr("Share: {link}", link=f"https://t.me/{bot_username}?start=event-{event.id}")]
    return "\n".join(lines)
