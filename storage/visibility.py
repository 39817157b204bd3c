"""Who may see an event's join link and answer its RSVP: members inside its audience, and
organizers and admins. The audience test itself is :func:`storage.audience.in_audience`."""

from __future__ import annotations

from sqlmodel import col, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.core.enums import Role
from storage.audience import audience_query, in_audience
from storage.db import Database
from storage.models import Event, Member

STAFF = (Role.organizer.value, Role.admin.value)


def visibility_selectors(event: Event) -> list[str]:
    """The audience that may see the event. ``event:<its own id>`` (an attendees-only
    event: reminders go to those who said they attend) does not hide the event from the
    people who have not said so yet; without other items the event is for everyone."""
    own = f"event:{event.id}"
    selectors = [s for s in event.audience if s != own]
    return selectors or ["all"]


def open_to_all(event: Event) -> bool:
    """Whether anyone may see the event (what a group chat, seen by non-members, may list)."""
    return visibility_selectors(event) == ["all"]


def is_staff(member: Member) -> bool:
    return member.role in STAFF


async def sees_event(db: Database, member: Member, event: Event) -> bool:
    """Whether ``member`` may see the event's link, RSVP to it and get its .ics with the
    link: organizers and admins always, other members when inside its audience."""
    if is_staff(member):
        return True
    async with db.session() as session:
        return await in_audience(session, member.user_id, visibility_selectors(event))


def may_see_event(event: Event) -> SelectOfScalar[int]:
    """The ids of the members who may see ``event`` (for filtering a recipient query)."""
    inside = audience_query(visibility_selectors(event), reachable_only=False)
    return select(Member.user_id).where(
        or_(
            col(Member.user_id).in_(inside.with_only_columns(col(Member.user_id))),
            col(Member.role).in_(STAFF),
        )
    )
