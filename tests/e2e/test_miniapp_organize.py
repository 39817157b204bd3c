"""End-to-end: the organizers' write endpoints of the Mini App over HTTP, against the real
bot and the emulator. Requests are signed as Telegram signs init data; what they cause is
checked where people see it (the emulator's chats) and in storage (outbox counts, audit)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from openpyxl import load_workbook

from bot.devtools.local import LocalBot, local_bot
from bot.webapp.auth import sign_init_data
from storage import catalog
from storage import surveys as survey_store
from storage.audit import recent_entries
from storage.broadcasts import recent_broadcasts
from storage.members import get_member, update_member
from storage.outbox import status_counts
from storage.reminders import set_rsvp
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.test_surveys_e2e import NOW, launch, member, prepare

pytestmark = pytest.mark.strict_api


@dataclass
class Api:
    bot: LocalBot
    clock: FakeClock
    base: str
    http: aiohttp.ClientSession

    def auth(self, user_id: int, language: str = "en", *, token: str | None = None) -> str:
        fields = {
            "auth_date": int(self.clock.now().timestamp()),
            "query_id": "AAE",
            "user": {"id": user_id, "first_name": f"U{user_id}", "language_code": language},
        }
        return "tma " + sign_init_data(token or self.bot.emulator.token, fields)

    async def call(
        self,
        method: str,
        path: str,
        user_id: int | None = ADMIN_ID,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        sent = dict(headers or {})
        if user_id is not None:
            sent.setdefault("Authorization", self.auth(user_id))
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        async with self.http.request(method, self.base + path, data=data, headers=sent) as resp:
            if resp.content_type == "application/json":
                return resp.status, await resp.json()
            return resp.status, await resp.read()


@pytest.fixture
async def api(sqlite_url: str, unused_tcp_port: int) -> AsyncIterator[Api]:
    clock = FakeClock(NOW)
    async with (
        local_bot(
            database_url=sqlite_url,
            admin_ids=(ADMIN_ID,),
            clock=clock,
            http_port=unused_tcp_port,
        ) as running,
        aiohttp.ClientSession() as http,
    ):
        await prepare(running)
        admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
        await admin.send("/help")
        await admin.next_message()
        yield Api(running, clock, f"http://127.0.0.1:{unused_tcp_port}", http)


def is_error(answer: tuple[int, Any], status: int, code: str) -> bool:
    got, body = answer
    return got == status and isinstance(body, dict) and body["error"] == code and body["message"]


# ------------------------------------------------------------------ who may call
async def test_refusals_without_valid_init_data_or_role(api: Api) -> None:
    user = await member(api.bot, 8601, "pt")
    paths = [
        ("POST", "/app/api/broadcasts", {"texts": {"es": "Hola"}}),
        ("POST", "/app/api/broadcasts/preview", {"texts": {"es": "Hola"}}),
        ("POST", "/app/api/board/surveys/skills-2026/nudge", {}),
        ("GET", "/app/api/board/surveys/skills-2026/export", None),
        ("POST", "/app/api/events", {}),
        ("PATCH", "/app/api/events/x", {}),
        ("POST", "/app/api/events/x/cancel", None),
        ("GET", "/app/api/timezones", None),
    ]
    other_bot = "123456:" + "A" * 35
    expired = {
        "auth_date": int(api.clock.now().timestamp()) - 3 * 86_400,
        "user": {"id": ADMIN_ID, "first_name": "Root"},
    }
    for method, path, body in paths:
        assert is_error(await api.call(method, path, None, body), 401, "unauthorized"), path
        forged = {"Authorization": api.auth(ADMIN_ID, token=other_bot)}
        answer = await api.call(method, path, body=body, headers=forged)
        assert is_error(answer, 401, "unauthorized"), path
        old = {"Authorization": "tma " + sign_init_data(api.bot.emulator.token, expired)}
        answer = await api.call(method, path, body=body, headers=old)
        assert is_error(answer, 401, "unauthorized"), path
        assert is_error(await api.call(method, path, 8601, body), 403, "forbidden"), path
        assert is_error(await api.call(method, path, 777_001, body), 403, "forbidden"), path
    status, body = await api.call("POST", "/app/api/broadcasts", 8601, {"texts": {"es": "x"}})
    assert "organizadores" in body["message"]  # in the member's language
    status, body = await api.call(
        "GET", "/app/api/timezones", None, headers={"Accept-Language": "es-UY,es;q=0.9"}
    )
    assert status == 401 and "Telegram" in body["message"] and "ábrela" in body["message"]
    assert await recent_broadcasts(api.bot.db) == []
    await user.expect_silence(0.2)


# ------------------------------------------------------------------ broadcasts
async def test_broadcast_preview_create_and_delivery(api: Api) -> None:
    db = api.bot.db
    people = {}
    for user_id, language, country in (
        (8701, "es", "UY"),
        (8702, "es", "UY"),
        (8703, "en", "UY"),
        (8704, "pt", "BR"),
    ):
        people[user_id] = await member(api.bot, user_id, language)
        await update_member(db, user_id, country=country)
    texts = {"es": "<b>Hola</b> Uruguay &amp; red", "pt": "Olá"}
    audience = {"countries": ["UY"]}
    status, body = await api.call(
        "POST", "/app/api/broadcasts/preview", body={"texts": texts, "audience": audience}
    )
    assert status == 200 and body["recipients"] == 3 and body["waiting"] == 0
    shown = {"html": "<b>Hola</b> Uruguay &amp; red", "chars": 18, "parts": 1}
    assert body["preview"]["es"] == shown
    long = {"es": ("palabra " * 700).strip()}  # 5,599 characters: two messages, as in chat
    status, body = await api.call("POST", "/app/api/broadcasts/preview", body={"texts": long})
    assert status == 200 and body["preview"]["es"]["parts"] == 2 and body["recipients"] == 5

    for bad in (
        {"texts": {"es": "<script>x</script>"}},
        {"texts": {"es": "x" * 17_000}},
        {"texts": {"es": "   "}},
        {"texts": {"fr": "Bonjour"}},
        {"texts": "Hola"},
        {"texts": texts, "audience": {"countries": ["Uruguay"]}},
        {"texts": texts, "audience": {"institutions": ["no-such-one"]}},
        {"texts": texts, "audience": {"planets": ["mars"]}},
        {"texts": texts, "audience": {"countries": ["UY"], "languages": ["pt"]}},  # nobody
        {"texts": texts, "send_at": "2026-11-30T10:00:00Z"},  # past
        {"texts": texts, "send_at": "tomorrow"},
    ):
        assert is_error(await api.call("POST", "/app/api/broadcasts", body=bad), 400, "bad_request")
    status, body = await api.call("POST", "/app/api/broadcasts", raw=b"{not json")
    assert is_error((status, body), 400, "bad_request")
    huge = json.dumps({"texts": {"es": "x" * 70_000}}).encode()
    assert is_error(await api.call("POST", "/app/api/broadcasts", raw=huge), 400, "bad_request")
    assert is_error(await api.call("POST", "/app/api/broadcasts", raw=b"[1]"), 400, "bad_request")
    status, body = await api.call("POST", "/app/api/broadcasts", body={"texts": {"es": "<b>x"}})
    assert "Telegram" in body["message"]  # the same explanation as /broadcast
    assert await recent_broadcasts(db) == []

    status, body = await api.call(
        "POST", "/app/api/broadcasts", body={"texts": texts, "audience": audience}
    )
    assert status == 201 and body["status"] == "sending" and body["recipients"] == 3
    assert (await people[8701].next_message()).html == "<b>Hola</b> Uruguay &amp; red"
    assert (await people[8702].next_message()).text == "Hola Uruguay & red"
    assert (await people[8703].next_message()).text == "Hola Uruguay & red"  # default language
    await people[8704].expect_silence(0.3)
    for _ in range(100):
        broadcast = (await recent_broadcasts(db))[0]
        if broadcast.status == "done":
            break
        await asyncio.sleep(0.05)
    assert broadcast.id == body["id"] and broadcast.created_by == ADMIN_ID
    assert await status_counts(db, body["id"]) == {"sent": 3}
    entries = [e for e in await recent_entries(db, limit=20) if e.action == "broadcast"]
    assert entries and entries[0].target == str(body["id"]) and entries[0].actor_id == ADMIN_ID

    status, body = await api.call(
        "POST",
        "/app/api/broadcasts",
        body={"texts": {"pt": long["es"]}, "audience": {"languages": ["pt"]}},
    )
    assert status == 201 and body["recipients"] == 1
    parts = [await people[8704].next_message(), await people[8704].next_message()]
    assert " ".join(p.text for p in parts) == long["es"]  # split as chat splits it
    await people[8701].expect_silence(0.2)

    later = {"texts": texts, "audience": audience, "send_at": "2026-12-03T09:00"}
    status, body = await api.call("POST", "/app/api/broadcasts", body=later)
    assert status == 201 and body["status"] == "scheduled"
    assert body["send_at"] == "2026-12-03T12:00:00Z"  # 09:00 in the admin's Montevideo
    await people[8701].expect_silence(0.3)


# ------------------------------------------------------------------ survey board
async def test_nudge_reaches_only_institutions_not_started_once(api: Api) -> None:
    db = api.bot.db
    started = await member(api.bot, 8801, "es", "inefop")
    waiting_utu = await member(api.bot, 8802, "es", "utu")
    waiting_senai = await member(api.bot, 8803, "pt", "senai")
    loose = await member(api.bot, 8804, "es")  # no confirmed institution
    await launch(api.bot, "skills-2026")
    for user in (started, waiting_utu, waiting_senai, loose):
        await user.next_message()  # the invitation
    api.bot.emulator.user(user_id=ADMIN_ID).skip_all()
    survey, _ = await survey_store.get_survey(db, "skills-2026") or (None, None)
    assert survey is not None
    inefop_member = await get_member(db, 8801)
    assert inefop_member is not None
    await survey_store.start_response(db, survey, inefop_member, api.clock.now())

    path = "/app/api/board/surveys/skills-2026/nudge"
    status, body = await api.call("POST", path, body={})
    assert status == 200 and body["queued"] == 2, body
    assert body["institutions"] == ["senai", "utu"] and body["skipped"]["started"] == ["inefop"]
    assert "⏰" in (await waiting_utu.next_message()).text
    assert "Pesquisa de competências" in (await waiting_senai.next_message()).text
    await started.expect_silence(0.2)
    await loose.expect_silence(0.1)

    assert is_error(await api.call("POST", path, body={}), 409, "conflict")  # within 12 h
    status, body = await api.call("POST", path, body={"institutions": ["inefop"]})
    assert status == 200 and body["queued"] == 0 and body["skipped"]["started"] == ["inefop"]
    for bad in ({"institutions": ["nowhere"]}, {"institutions": "utu"}):
        assert is_error(await api.call("POST", path, body=bad), 400, "bad_request")
    missing = "/app/api/board/surveys/no-such-survey/nudge"
    assert is_error(await api.call("POST", missing, body={}), 404, "not_found")
    await waiting_utu.expect_silence(0.3)

    api.clock.advance(hours=13)
    status, body = await api.call("POST", path, body={"institutions": ["utu"]})
    assert status == 200 and body["queued"] == 1
    assert "⏰" in (await waiting_utu.next_message()).text
    await waiting_senai.expect_silence(0.3)
    audited = [e for e in await recent_entries(db, limit=20) if e.action == "nudge institution"]
    assert sorted(str(e.target) for e in audited) == [
        "skills-2026/senai",
        "skills-2026/utu",
        "skills-2026/utu",
    ]


async def test_export_csv_and_xlsx(api: Api) -> None:
    user = await member(api.bot, 8901, "es", "inefop")
    await launch(api.bot, "inst-2026")
    await user.next_message()
    survey, _ = await survey_store.get_survey(api.bot.db, "inst-2026") or (None, None)
    assert survey is not None
    found = await get_member(api.bot.db, 8901)
    assert found is not None
    response = await survey_store.start_response(api.bot.db, survey, found, api.clock.now())
    assert response.id is not None
    await survey_store.save_answer(
        api.bot.db, response.id, "staff", 25, member_id=8901, now=api.clock.now(), current=None
    )
    base = "/app/api/board/surveys/inst-2026/export"
    status, body = await api.call("GET", base + "?format=csv")
    assert status == 200 and "25" in body.decode("utf-8-sig")
    status, body = await api.call("GET", base + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None and any(25 in row for row in sheet.iter_rows(values_only=True))
    assert is_error(await api.call("GET", base + "?format=pdf"), 400, "bad_request")
    missing = "/app/api/board/surveys/nope/export?format=csv"
    assert is_error(await api.call("GET", missing), 404, "not_found")


# ------------------------------------------------------------------ events
EVENT = {
    "title": {"es": "<b>Taller</b> & red", "en": "Workshop"},
    "starts_local": "2026-12-05T15:00",
    "timezone": "America/Montevideo",
    "duration_minutes": 90,
    "online": True,
    "join_url": "https://zoom.us/j/123",
    "place": "Zoom",
}


async def test_event_create_move_and_cancel_notify_as_in_chat(api: Api) -> None:
    db = api.bot.db
    attendee = await member(api.bot, 9101, "es")
    bystander = await member(api.bot, 9102, "es")
    assert is_error(await api.call("POST", "/app/api/events", 9101, EVENT), 403, "forbidden")
    for change in (
        {"title": {"es": "ab"}},
        {"title": "Taller"},
        {"timezone": "Mars/Olympus"},
        {"starts_local": "2026-11-20T10:00"},  # past
        {"starts_local": "2029-01-01T10:00"},  # more than two years away
        {"starts_local": "2027-03-28T02:30", "timezone": "Europe/Madrid"},  # clocks skip it
        {"starts_local": "5pm"},
        {"duration_minutes": 0},
        {"join_url": "javascript:alert(1)"},
        {"audience": {"institutions": ["nope"]}},
    ):
        assert is_error(
            await api.call("POST", "/app/api/events", body={**EVENT, **change}), 400, "bad_request"
        ), change
    assert await catalog.list_events(db, api.clock.now()) == []

    status, created = await api.call("POST", "/app/api/events", body=EVENT)
    assert status == 201, created
    assert created["starts_local"] == "2026-12-05T15:00:00-03:00" and created["title"] == "Workshop"
    event = await catalog.get_event(db, created["id"])
    assert event is not None and event.title["es"] == "<b>Taller</b> & red"  # text, as typed
    assert (await recent_entries(db, limit=1))[0].action == "new event"
    await bystander.expect_silence(0.3)  # /newevent announces nothing either
    await set_rsvp(db, created["id"], 9101, status="yes", now=api.clock.now())

    path = f"/app/api/events/{created['id']}"
    status, moved = await api.call("PATCH", path, body={"starts_local": "2026-12-06T16:00"})
    assert status == 200 and moved["starts_local"] == "2026-12-06T16:00:00-03:00"
    notice = await attendee.next_message(timeout=15)
    assert "📅" in notice.text and "<b>Taller</b> & red" in notice.text
    status, renamed = await api.call("PATCH", path, body={"title": {"es": "Taller nuevo"}})
    assert status == 200 and renamed["titles"] == {"es": "Taller nuevo"}
    assert is_error(await api.call("PATCH", path, body={"days": 99}), 400, "bad_request")
    missing = "/app/api/events/no-such-event"
    assert is_error(await api.call("PATCH", missing, body={}), 404, "not_found")
    assert is_error(await api.call("POST", missing + "/cancel"), 404, "not_found")

    status, cancelled = await api.call("POST", path + "/cancel")
    assert status == 200 and cancelled["status"] == "cancelled"
    assert "❌" in (await attendee.next_message(timeout=15)).text
    assert is_error(await api.call("POST", path + "/cancel"), 409, "conflict")
    assert is_error(await api.call("PATCH", path, body={"title": {"es": "Otro"}}), 409, "conflict")
    await bystander.expect_silence(0.3)
    actions = [e.action for e in await recent_entries(db, limit=5)]
    assert actions[:3] == ["cancel event", "edit event", "move event"]


async def test_timezones_in_the_callers_language(api: Api) -> None:
    await member(api.bot, 9201, "pt")
    await update_member(api.bot.db, 9201, role="organizer")
    status, zones = await api.call("GET", "/app/api/timezones", 9201)
    assert status == 200
    by_id = {z["id"]: z for z in zones}
    assert by_id["America/Sao_Paulo"] == {
        "id": "America/Sao_Paulo",
        "label": "São Paulo",
        "country": "BR",
    }
    assert by_id["Europe/Madrid"]["country"] == "ES" and "America/Bogota" in by_id
    status, english = await api.call("GET", "/app/api/timezones")
    assert {z["id"] for z in english} == set(by_id)
