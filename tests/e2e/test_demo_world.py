"""The web demo's world (``start_demo_world``) without a browser: its surveys invite the
institutions whose answers they count, a closed survey has results to show at once (in
/results and in the Mini App's board), and the moved events' ids name their own days, as
deep links to them do."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.devtools.demo_results import CLOSED_SURVEY, FOCAL_POINTS
from bot.devtools.local import LocalBot
from bot.devtools.webchat.personas import DEMO_ADMIN_ID
from bot.webapp.auth import sign_init_data
from storage import catalog
from tests.helpers import demo_world

pytestmark = pytest.mark.strict_api


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[LocalBot, str]]:
    async with demo_world(tmp_path) as found:
        yield found


async def board(running: LocalBot, base: str, path: str) -> Any:
    user = {"id": DEMO_ADMIN_ID, "first_name": "Admin", "language_code": "en"}
    data = sign_init_data(running.emulator.token, {"auth_date": int(time.time()), "user": user})
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/app/api/{path}", headers={"Authorization": f"tma {data}"}) as got,
    ):
        assert got.status == 200, await got.text()
        return await got.json()


async def test_the_demo_surveys_count_whom_they_invited(world: tuple[LocalBot, str]) -> None:
    running, base = world
    rows = {row["id"]: row for row in await board(running, base, "board/surveys")}
    sent = sum(1 for p in FOCAL_POINTS if p.sent)
    closed = rows[CLOSED_SURVEY]
    assert closed["status"] == "closed" and closed["respondent"] == "institution"
    assert (closed["responses"], closed["invited"]) == (sent, len(FOCAL_POINTS))
    assert closed["rate"] == pytest.approx(sent / len(FOCAL_POINTS), abs=1e-3)
    covid = next(row for row in rows.values() if row["id"].startswith("covid-response-"))
    assert covid["status"] == "open" and covid["invited"] == len(FOCAL_POINTS)
    assert all(0 <= row["rate"] <= 1 for row in rows.values())
    details = await board(running, base, f"board/surveys/{CLOSED_SURVEY}")
    assert details["counts"] == {"answered": sent, "partial": 1, "not_started": 0}
    assert {i["id"] for i in details["institutions"]} == {p.institution for p in FOCAL_POINTS}
    area = next(q for q in details["questions"] if q["id"] == "area")
    assert sum(c["count"] for c in area["counts"]) == sent  # the answers that were sent
    assert details["chart_urls"]  # charts to look at
    chats = [running.emulator.users[p.user_id] for p in FOCAL_POINTS]
    await running.emulator.wait_for(  # the invitations to the open surveys arrive
        lambda: all(chat.messages for chat in chats), 30, "the focal points' invitations"
    )


async def test_results_of_the_closed_survey_in_the_chat(world: tuple[LocalBot, str]) -> None:
    running, _ = world
    admin = running.emulator.user(user_id=DEMO_ADMIN_ID, first_name="Admin", language_code="en")
    await admin.send(f"/results {CLOSED_SURVEY}")
    sent = sum(1 for p in FOCAL_POINTS if p.sent)
    await running.emulator.wait_for(
        lambda: any("Training priorities" in m.text for m in admin.messages), 30, "/results"
    )
    answer = next(m for m in admin.messages if "Training priorities" in m.text)
    assert f"{sent}/{len(FOCAL_POINTS)}" in answer.text


async def test_moved_event_ids_name_their_days(world: tuple[LocalBot, str]) -> None:
    running, _ = world
    now = running.services.now()
    events = await catalog.list_events(running.db, now, limit=100)
    events += await catalog.list_events(running.db, now, past=True, limit=100)
    dated = 0
    for event in events:
        found = re.search(r"(20\d\d-\d\d-\d\d)", event.id)
        if found is None:
            continue
        local = event.starts_at.astimezone(ZoneInfo(event.timezone)).date()
        assert date.fromisoformat(found.group(1)) == local, event.id
        dated += 1
    assert dated > 30
    upcoming = next(e for e in events if e.starts_at > now and re.search(r"\d{4}-\d\d", e.id))
    point = FOCAL_POINTS[1]  # onboarded: the deep link shows the card at once
    user = running.emulator.users[point.user_id]
    await user.send(f"/start event-{upcoming.id}")
    title = upcoming.title[point.language]
    await running.emulator.wait_for(
        lambda: any(title in m.text for m in user.messages), 20, "the event's card"
    )
