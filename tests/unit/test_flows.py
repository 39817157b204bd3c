"""The flow engine's pure rules (handlers/flows.py): drafts read back from JSON, and the
registration errors. No Application is started."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from handlers.flows import FLOWS, Draft, Flow


@dataclass
class NoteDraft(Draft):
    step: str = "text"
    text: str = ""
    count: int = 0
    tags: list[str] = field(default_factory=list)


@dataclass
class StrictDraft(Draft):
    title: str  # no default: a stored draft without it no longer fits


@pytest.fixture
def scratch() -> Iterator[list[str]]:
    """Names of flows a test declares; dropped from the global registry afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        FLOWS.pop(name, None)


def test_unknown_keys_are_ignored() -> None:
    draft = NoteDraft.from_json({"step": "confirm", "text": "hi", "gone": 1, "old_field": [2]})
    assert draft == NoteDraft(step="confirm", text="hi", count=0, tags=[])


def test_missing_keys_take_their_defaults() -> None:
    assert NoteDraft.from_json({}) == NoteDraft()
    assert NoteDraft.from_json({"count": 3}) == NoteDraft(step="text", count=3)


def test_missing_required_fields_give_none() -> None:
    assert StrictDraft.from_json({"step": "title"}) is None
    assert StrictDraft.from_json({"title": "x"}) is None  # step is required in the base
    assert StrictDraft.from_json({}) is None
    assert StrictDraft.from_json({"step": "title", "title": "x"}) == StrictDraft("title", "x")


def test_to_json_round_trips() -> None:
    draft = NoteDraft(step="confirm", text="olá", count=2, tags=["a", "b"])
    stored: dict[str, Any] = draft.to_json()
    assert stored == {"step": "confirm", "text": "olá", "count": 2, "tags": ["a", "b"], "since": 0}
    assert NoteDraft.from_json(stored) == draft


def test_decode_uses_the_flows_draft_type(scratch: list[str]) -> None:
    scratch.append("unit-notes")
    flow = Flow("unit-notes", NoteDraft)
    assert FLOWS["unit-notes"] is flow
    assert flow.decode({"step": "text", "text": "x", "unknown": True}) == NoteDraft(text="x")


def test_a_flow_declared_twice_raises(scratch: list[str]) -> None:
    scratch.append("unit-twice")
    first = Flow("unit-twice", NoteDraft)
    with pytest.raises(ValueError, match="declared twice"):
        Flow("unit-twice", StrictDraft)
    assert FLOWS["unit-twice"] is first  # the first declaration is kept


def test_a_step_with_two_handlers_raises(scratch: list[str]) -> None:
    scratch.append("unit-steps")
    flow: Flow[NoteDraft] = Flow("unit-steps", NoteDraft)

    async def first(update: Any, ctx: Any, draft: NoteDraft) -> None: ...

    async def second(update: Any, ctx: Any, draft: NoteDraft) -> None: ...

    assert flow.on_message("text", "confirm")(first) is first
    assert flow.message_steps == {"text": first, "confirm": first}
    with pytest.raises(ValueError, match="step 'confirm' has two handlers"):
        flow.on_message("confirm")(second)
    assert flow.message_steps["confirm"] is first
