"""The /broadcast draft: drafts stored before it was a dataclass still load, every button
action has a step table entry, and the typed steps are the ones the flow router serves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

from bot.render.callbacks.broadcast import StepAction
from handlers.broadcast import BROADCAST_FLOW, STEP_ACTIONS, BroadcastDraft, Step
from storage.broadcasts import Attachment


def test_a_draft_stored_by_the_dict_version_loads() -> None:
    stored = {
        "step": "preview",
        "texts": {"es": "<b>Hola</b>"},
        "pending": None,
        "audience": ["country:UY"],
        "attachment": {"kind": "document", "file_id": "F1", "name": "programa.pdf"},
        "scheduled_at": "2026-12-01T12:00:00+00:00",
        "obsolete": 1,  # a key a later version dropped is ignored
    }
    draft = BROADCAST_FLOW.decode(stored)
    assert draft is not None and draft.step == Step.preview
    assert draft.attachment_value() == Attachment("document", "F1", "programa.pdf")
    assert draft.scheduled() == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert BroadcastDraft.from_json(draft.to_json()) == draft
    # a draft stored before runs were stamped (no "since") loads as one of an unknown run, and
    # one stored before the audience panel was remembered as one with no panel yet
    kept = {k: v for k, v in stored.items() if k != "obsolete"}
    assert kept | {"since": 0, "panel": 0} == draft.to_json()


def test_a_new_draft_waits_for_text_to_everyone() -> None:
    draft = BroadcastDraft()
    assert draft.to_json() == {
        "step": "text",
        "texts": {},
        "pending": None,
        "audience": ["all"],
        "attachment": None,
        "scheduled_at": None,
        "panel": 0,
        "since": 0,
    }
    assert draft.attachment_value() is None and draft.scheduled() is None


def test_every_button_action_and_typed_step_is_served() -> None:
    assert set(STEP_ACTIONS) == set(get_args(StepAction))
    assert set(BROADCAST_FLOW.message_steps) == {Step.text, Step.audience, Step.schedule}
