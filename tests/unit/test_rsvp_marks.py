"""The member's RSVP marked on its button (bot.render.notices)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.i18n import Translator
from bot.render.callbacks.events import RsvpAnswer
from bot.render.notices import RSVP_MARK, rsvp_label, rsvp_rows
from storage.models import Event, Member, Rsvp

START = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)


def _event() -> Event:
    return Event(
        id="vc-1",
        title={"en": "Videoconference"},
        kind="videoconference",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        timezone="America/Montevideo",
        join_url="https://example.org/j/1",
    )


def _marked(given: Rsvp | None) -> list[str]:
    member = Member(user_id=1, language="en", onboarded=True)
    rows = rsvp_rows(_event(), member, Translator("en"), visible=True, given=given)
    return [text for row in rows for text, _ in row if text.startswith(RSVP_MARK)]


def test_no_answer_marks_nothing() -> None:
    assert _marked(None) == []
    assert _marked(Rsvp(event_id="vc-1", member_id=1, status="none")) == []


def test_the_answer_and_the_mute_are_marked_apart() -> None:
    assert _marked(Rsvp(event_id="vc-1", member_id=1, status="maybe")) == ["🔘 🤔 Maybe"]
    muted = Rsvp(event_id="vc-1", member_id=1, status="yes", muted=True)
    assert _marked(muted) == ["🔘 ✅ I'll attend", "🔘 🔕 Mute"]


def test_a_label_is_marked_once_and_unmarked() -> None:
    yes = Rsvp(event_id="vc-1", member_id=1, status="yes")
    assert rsvp_label("🔘 ✅ I'll attend", RsvpAnswer.yes, yes) == "🔘 ✅ I'll attend"
    assert rsvp_label("🔘 🤔 Maybe", RsvpAnswer.maybe, yes) == "🤔 Maybe"
