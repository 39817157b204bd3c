"""End-to-end over the emulator: what a member may see, change and be refused.

A claim grants nothing: a member who only said ``/institution senai`` is not in a
``country:BR`` audience, in the chat's answers or the Mini App, until it is confirmed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.members import update_member
from tests.e2e.test_miniapp_api import Api, api  # noqa: F401  (the fixture)
from tests.e2e.test_reminders_e2e import add_event, videoconference
from tests.e2e.test_surveys_e2e import NOW, member

pytestmark = pytest.mark.strict_api
ZOOM = "https://zoom.us/j/555000111"
QUESTION = "what is the zoom link for tomorrow's videoconference?"


async def test_a_claim_does_not_open_a_country_event(api: Api) -> None:  # noqa: F811
    running = api.bot
    start = NOW + timedelta(days=1)
    brazil_only = videoconference(
        starts_at=start, ends_at=start + timedelta(hours=1), audience=["country:BR"], join_url=ZOOM
    )
    await add_event(running.db, brazil_only)
    user = await member(running, 9101, language="en")
    await user.send("/institution senai")
    assert "SENAI" in (await user.next_message()).text

    await user.send(QUESTION)
    answer = await user.next_message()
    assert "Competency certification" in answer.text and ZOOM not in answer.text
    status, events = await api.call("GET", "/app/api/events", 9101, language="en")
    assert status == 200 and [e["id"] for e in events] == ["vc-cert"]
    assert "join_url" not in events[0] and events[0]["can_rsvp"] is False

    # confirmed, the same member sees the link in both places
    await update_member(running.db, 9101, verified_institution_id="senai")
    await user.send(QUESTION)
    assert ZOOM in (await user.next_message()).text
    status, events = await api.call("GET", "/app/api/events", 9101, language="en")
    assert status == 200 and events[0]["join_url"] == ZOOM
