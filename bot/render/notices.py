"""What a member reads about an event: reminders, change notices, the RSVP buttons."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta

from bot.core.enums import EventStatus
from bot.core.i18n import Translator, babel_locale, format_day, format_zoned_datetime
from bot.render.callbacks.events import CalendarPressed, RsvpAnswer, RsvpPressed
from bot.render.cards import event_lines, gets_join_links
from storage import catalog
from storage import reminders as store
from storage.models import Event, Member, Rsvp


# ------------------------------------------------------------------ texts
def _in_time(delta: timedelta, tr: Translator) -> str:
    """ "in 1 hour" / "dentro de 1 hora" / "em 1 hora", to the minute when it is short."""
    minutes = max(1, round(delta.total_seconds() / 60))
    whole_hours = minutes % 60 == 0
    return format_timedelta(
        timedelta(minutes=minutes),
        granularity="hour" if whole_hours or minutes >= 120 else "minute",
        # Babel moves to the next unit once the value reaches threshold × that unit: keep
        # "in 24 hours" in hours and "in 90 minutes" in minutes.
        threshold=2.0 if not whole_hours and minutes < 120 else 1.5,
        add_direction=True,
        format="long",
        locale=babel_locale(tr.language),
    )


RSVP_MARK = "🔘 "


def rsvp_rows(
    event: Event,
    member: Member,
    tr: Translator,
    *,
    visible: bool,
    now: datetime | None = None,
    given: Rsvp | None = None,
) -> list[list[list[str]]]:
    """Join (registered members), RSVP, add to calendar, mute. None of them for a member
    outside the event's audience (``visible`` False): the RSVP and the calendar file would
    hand out what the public card leaves out; none for a cancelled event; no RSVP once the
    event is over (``now`` given and past its end). The member's answer (``given``) is
    marked on its button, as a survey's chosen option is."""
    rows: list[list[list[str]]] = []
    if not visible or event.status == EventStatus.cancelled:
        return rows
    if now is not None and now >= event.ends_at:
        return [[[tr("📅 Add to calendar"), CalendarPressed(event.id).pack()]]]
    if event.join_url and gets_join_links(member):
        rows.append([[tr("▶️ Join"), f"url:{event.join_url}"]])

    def rsvp(label: str, answer: RsvpAnswer) -> list[str]:
        return [rsvp_label(label, answer, given), RsvpPressed(event.id, answer).pack()]

    rows.append(
        [
            rsvp(tr("✅ I'll attend"), RsvpAnswer.yes),
            rsvp(tr("🤔 Maybe"), RsvpAnswer.maybe),
            rsvp(tr("❌ Can't"), RsvpAnswer.no),
        ]
    )
    rows.append(
        [
            [tr("📅 Add to calendar"), CalendarPressed(event.id).pack()],
            rsvp(tr("🔕 Mute"), RsvpAnswer.none),
        ]
    )
    return rows


def rsvp_label(label: str, answer: RsvpAnswer, given: Rsvp | None) -> str:
    """An RSVP button's label, marked 🔘 when it is the member's answer (mute apart)."""
    label = label.removeprefix(RSVP_MARK)
    if given is None:
        return label
    chosen = given.muted if answer is RsvpAnswer.none else given.status == answer.status.value
    return RSVP_MARK + label if chosen else label


def render_reminder(
    member: Member,
    event: Event,
    slot: store.Slot,
    now: datetime,
    default: str = "es",
    given: Rsvp | None = None,
) -> dict[str, Any]:
    tr = Translator(member.language)
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    if slot.offset == 0 or (slot.offset is None and now >= event.starts_at):
        head = tr("🔴 <b>{title}</b> is starting now.", title=title)
    elif slot.zone is not None:
        head = tr("⏰ <b>{title}</b> is tomorrow.", title=title)
    else:
        head = tr(
            "⏰ <b>{title}</b> starts {when}.",
            title=title,
            when=_in_time(event.starts_at - now, tr),
        )
    lines = [head, *event_lines(event, member, tr)]
    if event.join_url and gets_join_links(member):
        lines.append(tr("Link: {url}", url=html.escape(event.join_url)))
    return {
        "parts": ["\n".join(lines)],
        "parse_mode": "HTML",
        "buttons": rsvp_rows(event, member, tr, visible=True, given=given),
        "no_preview": True,  # the join link is a button and a line, not a card
    }


def render_notice(
    member: Member,
    event: Event,
    kind: str,
    now: datetime,
    default: str = "es",
    *,
    was: datetime | None = None,
    given: Rsvp | None = None,
) -> dict[str, Any]:
    """A change members must hear of; a move says the start they knew (``was``) too, and
    its buttons mark the member's answer (``given``)."""
    tr = Translator(member.language)
    title = html.escape(catalog.pick_text(event.title, tr.language, default))
    if kind == "cancelled":
        text = tr("❌ <b>{title}</b> has been cancelled.", title=title)
        buttons: list[list[list[str]]] = []
    elif kind == "postponed":
        text = tr(
            "⏸ <b>{title}</b> has been postponed. We will tell you the new date.", title=title
        )
        buttons = []
    else:
        text = "\n".join(
            [
                tr("📅 <b>{title}</b>: new time.", title=title),
                *event_lines(event, member, tr),
                *([_was_line(event, was, member, tr)] if was is not None else []),
            ]
        )
        buttons = rsvp_rows(event, member, tr, visible=True, given=given)
    return {"parts": [text], "parse_mode": "HTML", "buttons": buttons, "no_preview": True}


def _was_line(event: Event, was: datetime, member: Member, tr: Translator) -> str:
    """The start the member knew, struck through, in their zone (a day if the event was an
    all-day one then, whatever it is now)."""
    if event.all_day if event.previous_all_day is None else event.previous_all_day:
        when = format_day(was.astimezone(ZoneInfo(event.timezone)).date(), tr.language, "full")
    else:
        when = html.escape(format_zoned_datetime(was, member.timezone, tr.language))
    return tr("Before: <s>{when}</s>", when=when)
