"""A member's endpoints: who they are, their events (RSVP, .ics) and the course catalog.

The rules are the chat's: every event is listed (as /events lists them), the RSVP and the
join link only inside the event's audience (:func:`storage.visibility.sees_event`), the
link only for registered members; the RSVP is stored by the chat's own function.
"""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web
from babel.dates import get_timezone_location

from bot.core.enums import Role, RsvpStatus
from bot.core.i18n import N_, babel_locale, country_name
from bot.core.text import fold
from bot.render.cards import MODALITIES, TopicLabels, topic_label
from bot.render.ics import event_to_ics
from bot.webapp.api import ApiError, Caller, caller_of, read_json
from bot.webapp.shapes import can_rsvp, event_json
from storage import catalog, miniapp, reminders
from storage.institutions import get_institution, list_institutions
from storage.models import Course, Event, Institution
from storage.topics import topic_labels
from storage.visibility import sees_event

PAGE_SIZE = 20
MAX_EVENTS = 100
ANSWERS = frozenset({RsvpStatus.yes.value, RsvpStatus.maybe.value, RsvpStatus.no.value})
OUTSIDE = N_("Sorry, this event is for another audience: you cannot answer for it.")
PAST_OR_CANCELLED = N_("That event has already taken place or was cancelled.")


# ---------------------------------------------------------------- who
async def me(request: web.Request) -> web.Response:
    member = caller_of(request).member
    return web.json_response(
        {
            "user_id": member.user_id,
            "language": member.language,
            "timezone": member.timezone,
            "role": member.role,
            "institution": member.verified_institution_id or member.institution_id,
        }
    )


def _city(zone: str, language: str) -> str:
    try:
        return str(get_timezone_location(zone, locale=babel_locale(language), return_city=True))
    except Exception:  # an odd zone: its last part is as good a name as any
        return zone.rsplit("/", 1)[-1].replace("_", " ")


async def profile(request: web.Request) -> web.Response:
    caller = caller_of(request)
    member = caller.member
    institution_id = member.verified_institution_id or member.institution_id
    institution = await get_institution(caller.db, institution_id) if institution_id else None
    country = member.country or (institution.country if institution else None)
    name = " ".join(p for p in (member.first_name, member.last_name) if p)
    return web.json_response(
        {
            "user_id": member.user_id,
            "name": name,
            "language": member.language,
            "timezone": member.timezone,
            "timezone_label": _city(member.timezone, member.language),
            "role": member.role,
            "institution": institution_id,
            "institution_name": caller.pick(institution.name) or institution.acronym
            if institution
            else member.institution_other,
            "institution_confirmed": bool(member.verified_institution_id),
            "country": country,
            "country_name": country_name(country, member.language) if country else None,
            "can_organize": caller.is_staff,
        }
    )


# ---------------------------------------------------------------- events
async def events_json(caller: Caller, events: list[Event]) -> list[dict[str, Any]]:
    """The events in the page's shape, for this member (their answer, who goes)."""
    ids = [e.id for e in events]
    counts = await miniapp.rsvp_counts(caller.db, ids)
    mine = await miniapp.member_rsvps(caller.db, caller.member.user_id, ids)
    shaped = []
    for event in events:
        visible = await sees_event(caller.db, caller.member, event)
        shaped.append(
            event_json(
                event,
                caller,
                rsvp=mine.get(event.id),
                going=counts[event.id]["yes"],
                visible=visible,
            )
        )
    return shaped


async def events(request: web.Request) -> web.Response:
    caller = caller_of(request)
    past = request.query.get("past", "") in ("1", "true", "yes")
    found = await catalog.list_events(caller.db, caller.now(), past=past, limit=MAX_EVENTS)
    found.sort(key=lambda e: (e.starts_at, e.id))
    return web.json_response(await events_json(caller, found))


async def _event(caller: Caller, request: web.Request) -> Event:
    event = await catalog.get_event(caller.db, request.match_info["event_id"])
    if event is None:
        raise ApiError("not_found", why="unknown event")
    return event


async def rsvp(request: web.Request) -> web.Response:
    """Yes / maybe / no, stored as the chat's RSVP buttons store it (and unmuted)."""
    caller = caller_of(request)
    body = await read_json(request)
    status = body.get("status")
    if not isinstance(status, str) or status not in ANSWERS:
        raise ApiError("bad_request", why="rsvp status")
    event = await _event(caller, request)
    visible = await sees_event(caller.db, caller.member, event)
    if not visible:
        raise ApiError("forbidden", caller.tr(OUTSIDE), why=f"outside audience of {event.id}")
    if not can_rsvp(event, caller.now(), visible):
        raise ApiError("conflict", caller.tr(PAST_OR_CANCELLED), why=f"{event.id} past/cancelled")
    done = await reminders.set_rsvp(
        caller.db, event.id, caller.member.user_id, status=status, muted=False, now=caller.now()
    )
    if done is None:
        raise ApiError("not_found", why="event gone")
    return web.json_response((await events_json(caller, [event]))[0])


async def ics(request: web.Request) -> web.Response:
    """The .ics of the chat's 📅 button; the link only inside the audience, registered."""
    caller = caller_of(request)
    event = await _event(caller, request)
    visible = await sees_event(caller.db, caller.member, event)
    payload = event_to_ics(
        event,
        caller.member.language,
        caller.now(),
        include_link=caller.member.onboarded and visible,
        default_language=caller.settings.default_language,
    )
    return web.Response(
        body=payload,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.id}.ics"'},
    )


# ---------------------------------------------------------------- courses
def _provider_institution(course: Course, by_name: dict[str, Institution]) -> Institution | None:
    return by_name.get(fold(course.provider or "").strip())


def _matches(course: Course, query: str) -> bool:
    if not query:
        return True
    haystack = " ".join(
        [
            *course.title.values(),
            *(course.summary or {}).values(),
            course.provider or "",
            *(course.topics or []),
        ]
    )
    return all(word in fold(haystack) for word in fold(query).split())


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise ApiError("bad_request", why="not a number") from None


async def courses(request: web.Request) -> web.Response:
    """The catalog with the chat's order and filters, a search and pages of 20."""
    caller = caller_of(request)
    query = request.query
    if len(query.get("q", "")) > 200:
        raise ApiError("bad_request", why="search too long")
    today = caller.now().astimezone().date()
    wanted = catalog.CourseFilter(
        topic=query.get("topic") or None, modality=query.get("modality") or None
    )
    found = await catalog.list_courses(caller.db, today, wanted)
    institutions = await list_institutions(caller.db)
    by_name = {fold(i.acronym): i for i in institutions} | {fold(i.id): i for i in institutions}
    country = (query.get("country") or "").upper()
    chosen = [
        c
        for c in found
        if _matches(c, query.get("q", ""))
        and (not country or getattr(_provider_institution(c, by_name), "country", None) == country)
    ]
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    page = min(max(1, _int(query.get("page", "1") or "1", 1)), pages)
    facets = await catalog.course_facets(caller.db)
    countries = sorted({i.country for c in found if (i := _provider_institution(c, by_name))})
    language = caller.tr.language
    labels = await topic_labels(caller.db)
    items = [
        _course_json(c, caller, _provider_institution(c, by_name), today, labels)
        for c in chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    return web.json_response(
        {
            "items": items,
            "total": len(chosen),
            "page": page,
            "pages": pages,
            "topics": [
                {"id": t, "label": topic_label(t, language, labels)} for t in facets["topic"]
            ],
            "countries": [{"code": c, "name": country_name(c, language)} for c in countries],
            "modalities": [
                {"id": m, "label": caller.tr(MODALITIES.get(m, m))} for m in facets["modality"]
            ],
        }
    )


def _course_json(
    course: Course,
    caller: Caller,
    institution: Institution | None,
    today: Any,
    labels: TopicLabels,
) -> dict[str, Any]:
    status = catalog.course_status(course, today)
    return {
        "id": course.id,
        "title": caller.pick(course.title),
        "institution": course.provider,
        "country": institution.country if institution else None,
        "topics": [topic_label(t, caller.tr.language, labels) for t in course.topics or []],
        "modality": course.modality,
        "modality_label": caller.tr(MODALITIES.get(course.modality, course.modality)),
        "starts": course.starts.isoformat() if course.starts else None,
        "enrol_open": status == "open",
        "status": status,
        "url": course.enroll_url,
    }


def add_routes(app: web.Application) -> None:
    app.router.add_get("/app/api/me", me)
    app.router.add_get("/app/api/profile", profile)
    app.router.add_get("/app/api/events", events)
    app.router.add_post("/app/api/events/{event_id}/rsvp", rsvp)
    app.router.add_get("/app/api/events/{event_id}/ics", ics)
    app.router.add_get("/app/api/courses", courses)


__all__ = ["Role", "add_routes", "events_json"]
