"""The Mini App's JSON API against the running bot (its own HTTP server) and the emulator:
the contract shapes, RSVP and survey answers shared with the chat, the refusals (401 for
any bad init data, 403 for roles, audiences and other institutions, 400 for bad bodies)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlmodel import col, select

from bot.devtools.local import LocalBot, local_bot
from bot.webapp.auth import sign_init_data
from storage import reminders as reminder_store
from storage.erasure import erase_member
from storage.members import get_member, update_member
from storage.models import Answer, Broadcast, Delivery, Response
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.test_reminders_e2e import add_event, videoconference
from tests.e2e.test_surveys_e2e import NOW, launch, member, prepare
from tests.helpers import language_button
from tests.ports import free_port

pytestmark = pytest.mark.strict_api
MEMBER_KEYS = {"user_id", "language", "timezone", "role", "institution"}


@dataclass
class Api:
    bot: LocalBot
    clock: FakeClock
    base: str
    http: aiohttp.ClientSession

    def init_data(
        self, user_id: int, language: str = "es", *, token: str | None = None, age: int = 0
    ) -> str:
        user = {"id": user_id, "first_name": f"Ana{user_id}", "language_code": language}
        auth_date = int(self.clock.now().timestamp()) - age
        return sign_init_data(
            token or self.bot.emulator.token, {"auth_date": auth_date, "user": user}
        )

    async def call(
        self,
        method: str,
        path: str,
        user_id: int | None = None,
        *,
        body: Any = None,
        raw: bytes | None = None,
        authorization: str | None = None,
        language: str = "es",
    ) -> tuple[int, Any]:
        headers = {}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif user_id is not None:
            headers["Authorization"] = "tma " + self.init_data(user_id, language)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        async with self.http.request(method, self.base + path, data=data, headers=headers) as got:
            if got.content_type == "application/json":
                return got.status, await got.json()
            return got.status, await got.read()


@pytest.fixture
async def api(sqlite_url: str) -> AsyncIterator[Api]:
    clock = FakeClock(NOW)
    port = free_port()
    async with local_bot(
        database_url=sqlite_url,
        admin_ids=(ADMIN_ID,),
        clock=clock,
        http_port=port,
        webapp_url="https://example.org/app/",
    ) as running:
        await prepare(running)
        async with aiohttp.ClientSession() as http:
            yield Api(running, clock, f"http://127.0.0.1:{port}", http)


def hour_long(start: datetime, **changes: Any) -> Any:
    return videoconference(starts_at=start, ends_at=start + timedelta(hours=1), **changes)


# ---------------------------------------------------------------- contract
async def test_me_and_events_contract(api: Api) -> None:
    await member(api.bot, 7001, language="pt")
    await update_member(api.bot.db, 7001, timezone="Europe/Madrid")
    start = NOW + timedelta(days=2)
    await add_event(api.bot.db, hour_long(start))
    status, me = await api.call("GET", "/app/api/me", 7001)
    assert status == 200
    assert set(me) == MEMBER_KEYS
    assert me == {
        "user_id": 7001,
        "language": "pt",
        "timezone": "Europe/Madrid",
        "role": "member",
        "institution": None,
    }
    status, events = await api.call("GET", "/app/api/events", 7001)
    assert status == 200 and len(events) == 1
    event = events[0]
    assert {"id", "title", "starts_local", "timezone", "rsvp"} <= set(event)
    assert event["title"] == "Certificação de competências"
    assert event["starts_local"] == start.astimezone(ZoneInfo("Europe/Madrid")).isoformat()
    assert event["starts_local"].endswith("+01:00")
    assert event["timezone"] == "Europe/Madrid" and event["rsvp"] is None
    assert event["can_rsvp"] is True and event["join_url"] == "https://example.org/j/42"

    status, profile = await api.call("GET", "/app/api/profile", 7001)
    assert status == 200 and profile["timezone_label"] == "Madri"
    assert profile["can_organize"] is False and profile["name"] == "Ana7001"


async def test_first_contact_creates_the_member_in_their_language(api: Api) -> None:
    status, me = await api.call("GET", "/app/api/me", 7050, language="en")
    assert status == 200 and me["language"] == "en" and me["role"] == "member"
    stored = await get_member(api.bot.db, 7050)
    assert stored is not None and stored.chat_id == 7050


# ---------------------------------------------------------------- RSVP
async def test_rsvp_round_trip_is_the_chats(api: Api) -> None:
    user = await member(api.bot, 7002, language="en")
    start = NOW + timedelta(days=2)
    await add_event(api.bot.db, hour_long(start))
    status, event = await api.call(
        "POST", "/app/api/events/vc-cert/rsvp", 7002, body={"status": "yes"}
    )
    assert status == 200 and event["rsvp"] == "yes" and event["going"] == 1
    mine = await reminder_store.my_events(api.bot.db, 7002, NOW)
    assert [(e.id, r.status) for e, r in mine] == [("vc-cert", "yes")]
    await user.send("/myevents")
    assert "Competency certification" in (await user.next_message()).text

    status, event = await api.call(
        "POST", "/app/api/events/vc-cert/rsvp", 7002, body={"status": "no"}
    )
    assert status == 200 and event["rsvp"] == "no" and event["going"] == 0
    status, error = await api.call(
        "POST", "/app/api/events/vc-cert/rsvp", 7002, body={"status": "x"}
    )
    assert status == 400 and error["error"] == "bad_request"
    status, error = await api.call(
        "POST", "/app/api/events/nope/rsvp", 7002, body={"status": "yes"}
    )
    assert status == 404 and error["error"] == "not_found"

    status, ics = await api.call("GET", "/app/api/events/vc-cert/ics", 7002)
    assert status == 200 and b"BEGIN:VCALENDAR" in ics and b"example.org/j/42" in ics


async def test_rsvp_refused_for_past_and_cancelled_events(api: Api) -> None:
    await member(api.bot, 7003, language="en")
    past = NOW - timedelta(days=2)
    await add_event(
        api.bot.db, videoconference(id="old", starts_at=past, ends_at=past + timedelta(hours=1))
    )
    soon = NOW + timedelta(days=1)
    await add_event(
        api.bot.db,
        videoconference(
            id="gone", starts_at=soon, ends_at=soon + timedelta(hours=1), status="cancelled"
        ),
    )
    for event_id in ("old", "gone"):
        status, error = await api.call(
            "POST", f"/app/api/events/{event_id}/rsvp", 7003, body={"status": "yes"}
        )
        assert status == 409 and error["error"] == "conflict"
        assert error["message"] == "That event has already taken place or was cancelled."
    assert await reminder_store.my_events(api.bot.db, 7003, past) == []
    status, events = await api.call("GET", "/app/api/events?past=1", 7003)
    assert status == 200 and [e["id"] for e in events] == ["old"] and not events[0]["can_rsvp"]


async def test_rsvp_outside_the_audience_is_refused(api: Api) -> None:
    await member(api.bot, 7004, language="en")
    soon = NOW + timedelta(days=1)
    await add_event(
        api.bot.db,
        videoconference(starts_at=soon, ends_at=soon + timedelta(hours=1), audience=["country:BR"]),
    )
    status, events = await api.call("GET", "/app/api/events", 7004)
    assert status == 200 and "join_url" not in events[0] and events[0]["can_rsvp"] is False
    status, error = await api.call(
        "POST", "/app/api/events/vc-cert/rsvp", 7004, body={"status": "yes"}
    )
    assert status == 403 and error["error"] == "forbidden"
    assert "another audience" in error["message"]


# ---------------------------------------------------------------- authentication
async def test_every_bad_init_data_is_a_401(api: Api) -> None:
    good = api.init_data(7010)
    forged = good.replace("Ana7010", "Eve7010")
    expired = api.init_data(7010, age=api.bot.settings.webapp_auth_max_age + 60)
    other_bot = api.init_data(7010, token="123456:ANOTHER-BOT-TOKEN-abcdefghijklmnopqrstu")
    cases = {
        "missing": None,
        "empty": "tma ",
        "wrong scheme": "Bearer " + good,
        "forged": "tma " + forged,
        "expired": "tma " + expired,
        "other bot": "tma " + other_bot,
        "malformed": "tma %%%&&&===",
        "no hash": "tma " + good.split("&hash=")[0],
        "long": "tma " + good + "&pad=" + "x" * 7000,  # past 8 KB: aiohttp refuses first
    }
    for name, header in cases.items():
        status, error = await api.call(
            "GET", "/app/api/me?lang=pt", authorization=header if header is not None else ""
        )
        assert status == 401, name
        assert error["error"] == "unauthorized", name
        assert "Telegram" in error["message"] and "aplicativo" in error["message"], name
    assert await get_member(api.bot.db, 7010) is None  # nothing was created
    status, _ = await api.call("GET", "/app/api/me", authorization="tma " + good)
    assert status == 200


async def test_a_refusal_speaks_the_language_the_init_data_claims(api: Api) -> None:
    """Without ?lang= the 401 is in the (unchecked) init data user's language, else the
    browser's, else the default; the claim decides nothing else."""
    forged = "tma " + api.init_data(7012, "pt", token="123456:ANOTHER-BOT-TOKEN-abcdefghijklmnopq")
    expired = "tma " + api.init_data(7012, "en", age=api.bot.settings.webapp_auth_max_age + 60)
    cases = [
        ({"Authorization": forged}, "aplicativo"),
        ({"Authorization": forged, "Accept-Language": "en-GB,en;q=0.9"}, "aplicativo"),
        ({"Authorization": expired}, "Close the app"),
        ({"Authorization": "tma %%%&&&===", "Accept-Language": "en-GB,en;q=0.9"}, "Close the app"),
        ({"Authorization": "tma user=%7B%22language_code%22%3A%22de%22%7D"}, "ábrela"),
        ({"Authorization": "tma user=" + "%5B" * 2000}, "ábrela"),  # too deep for json
        ({"Accept-Language": "pt-BR;q=0.8"}, "aplicativo"),
        ({}, "ábrela"),  # the default language (es)
    ]
    for headers, expected in cases:
        async with api.http.get(api.base + "/app/api/me", headers=headers) as got:
            error = await got.json()
        assert got.status == 401 and error["error"] == "unauthorized", headers
        assert expected in error["message"], (headers, error["message"])
    assert await get_member(api.bot.db, 7012) is None  # nothing was created


async def test_an_erased_person_is_not_recreated(api: Api) -> None:
    await member(api.bot, 7011, language="en")
    await erase_member(api.bot.db, 7011)
    status, error = await api.call("GET", "/app/api/me", 7011, language="en")
    assert status == 403 and error["error"] == "forbidden" and "/start" in error["message"]
    assert await get_member(api.bot.db, 7011) is None


# ---------------------------------------------------------------- roles and bodies
async def test_members_get_403_on_organizer_reads(api: Api) -> None:
    await member(api.bot, 7020, language="en")
    for path in (
        "/app/api/board/surveys",
        "/app/api/board/surveys/inst-2026",
        "/app/api/board/surveys/inst-2026/charts/remote.png",
        "/app/api/broadcasts",
        "/app/api/board/events",
    ):
        status, error = await api.call("GET", path, 7020, language="en")
        assert status == 403, path
        assert error == {
            "error": "forbidden",
            "message": "Sorry, only organizers and admins can do that.",
        }


async def test_malformed_and_oversized_bodies_are_400(api: Api) -> None:
    await member(api.bot, 7021, language="es")
    start = NOW + timedelta(days=2)
    await add_event(api.bot.db, hour_long(start))
    path = "/app/api/events/vc-cert/rsvp"
    for raw in (b"{", b"[1, 2]", b"\xff\xfe", b"null", b'{"status": "yes"' + b" " * 70_000 + b"}"):
        status, error = await api.call("POST", path, 7021, raw=raw)
        assert status == 400 and error["error"] == "bad_request"
        assert error["message"] == "No se pudo leer la solicitud."
    assert await reminder_store.my_events(api.bot.db, 7021, NOW) == []


# ---------------------------------------------------------------- surveys
async def test_answers_through_the_api_then_resumed_in_chat(api: Api) -> None:
    user = await member(api.bot, 7030, institution="utu")
    await launch(api.bot, "skills-2026")
    status, listing = await api.call("GET", "/app/api/surveys", 7030)
    assert status == 200
    assert [s["id"] for s in listing] == ["skills-2026"]  # inst-2026 is not launched
    status, form = await api.call("GET", "/app/api/surveys/skills-2026", 7030)
    assert status == 200 and form["title"] == "Encuesta de competencias"
    kinds = {q["id"]: q["kind"] for q in form["questions"]}
    assert (
        kinds["mode"] == "single" and kinds["platforms"] == "multi" and kinds["rating"] == "scale"
    )
    body = {"answers": {"mode": "online", "platforms": ["zoom", "moodle"]}, "submit": False}
    status, form = await api.call("POST", "/app/api/surveys/skills-2026/answers", 7030, body=body)
    assert status == 200 and not form["submitted"]
    answers = {q["id"]: q["answer"] for q in form["questions"]}
    assert answers["mode"] == "online" and answers["platforms"] == ["moodle", "zoom"]

    invitation = await user.next_message()
    await user.press(invitation, "▶ Responder")
    question = await user.next_message()
    assert "(3/7)" in question.text  # the chat goes on where the form stopped


async def test_refused_answers_change_nothing(api: Api) -> None:
    await member(api.bot, 7031, institution="utu")
    await launch(api.bot, "skills-2026")
    path = "/app/api/surveys/skills-2026/answers"
    for answers in (
        {"mode": "teleport"},
        {"rating": 9},
        {"share": 150},
        {"platforms": ["moodle", "moodle"]},
        {"nope": 1},
        {"mode": "online", "share": "many"},
    ):
        status, error = await api.call("POST", path, 7031, body={"answers": answers})
        assert status == 400 and error["error"] == "bad_request", answers
    status, error = await api.call("POST", path, 7031, body={"answers": {}, "submit": True})
    assert status == 400 and "obligatorias" in error["message"]
    async with api.bot.db.session() as session:
        assert (await session.exec(select(Answer))).all() == []


async def test_html_is_stored_as_text(api: Api) -> None:
    await member(api.bot, 7032, language="en", institution="utu")
    await launch(api.bot, "skills-2026")
    text = '<b>bold</b> <script>alert("x")</script> & <a href="x">'
    body = {"answers": {"mode": "classroom", "comments": text}}
    status, form = await api.call("POST", "/app/api/surveys/skills-2026/answers", 7032, body=body)
    assert status == 200
    assert {q["id"]: q["answer"] for q in form["questions"]}["comments"] == text
    async with api.bot.db.session() as session:
        stored = (
            await session.exec(select(Answer).where(col(Answer.question_id) == "comments"))
        ).one()
    assert stored.value == text


async def test_only_a_confirmed_focal_point_answers_for_its_own_institution(api: Api) -> None:
    await member(api.bot, 7040, institution="utu")
    await launch(api.bot, "inst-2026")
    path = "/app/api/surveys/inst-2026/answers"
    status, error = await api.call(
        "POST", path, 7040, body={"institution": "senai", "answers": {"staff": 3}}
    )
    assert status == 403 and error["error"] == "forbidden"
    async with api.bot.db.session() as session:
        assert (await session.exec(select(Response))).all() == []

    claimer = await member(api.bot, 7041, language="en")
    await update_member(api.bot.db, 7041, institution_id="senai")  # a claim, not confirmed
    claimer.skip_all()
    status, error = await api.call("GET", "/app/api/surveys/inst-2026", 7041, language="en")
    assert status == 403 and "confirmed focal points" in error["message"]
    status, listing = await api.call("GET", "/app/api/surveys", 7041, language="en")
    assert status == 200 and "inst-2026" not in {s["id"] for s in listing}

    body = {"institution": "utu", "answers": {"staff": 12, "remote": "yes"}, "submit": True}
    status, form = await api.call("POST", path, 7040, body=body)
    assert status == 200 and form["submitted"] is True
    async with api.bot.db.session() as session:
        keys = [r.respondent_key for r in (await session.exec(select(Response))).all()]
    assert keys == ["institution:utu"]


# ---------------------------------------------------------------- organizer reads
async def test_survey_board_statuses_counts_and_chart(api: Api) -> None:
    await member(api.bot, 7060, institution="utu")
    await member(api.bot, 7061, institution="inefop")
    await member(api.bot, 7062, institution="senai")
    await launch(api.bot, "inst-2026")
    path = "/app/api/surveys/inst-2026/answers"
    body = {"answers": {"staff": 12, "remote": "yes"}, "submit": True}
    assert (await api.call("POST", path, 7060, body=body))[0] == 200
    assert (await api.call("POST", path, 7061, body={"answers": {"staff": 4}}))[0] == 200

    status, listing = await api.call("GET", "/app/api/board/surveys", ADMIN_ID, language="en")
    assert status == 200
    row = next(s for s in listing if s["id"] == "inst-2026")
    assert (
        row["responses"] == 1
        and row["institutions"] == 2
        and row["rate"] == pytest.approx(1 / 3, abs=1e-3)
    )
    status, board = await api.call(
        "GET", "/app/api/board/surveys/inst-2026", ADMIN_ID, language="en"
    )
    assert status == 200
    by_id = {i["id"]: i for i in board["institutions"]}
    assert by_id["utu"]["status"] == "answered" and by_id["inefop"]["status"] == "partial"
    assert by_id["senai"]["status"] == "not_started" and by_id["senai"]["last_activity"] is None
    assert by_id["utu"]["last_activity"] == NOW.isoformat().replace("+00:00", "Z")
    assert board["counts"] == {"answered": 1, "partial": 1, "not_started": 1}
    remote = next(q for q in board["questions"] if q["id"] == "remote")
    assert remote["counts"][0] == {"key": "yes", "label": "Yes", "count": 1}
    url = board["chart_urls"]["remote"]
    status, png = await api.call("GET", url, ADMIN_ID)
    assert status == 200 and png.startswith(b"\x89PNG")
    status, _ = await api.call("GET", "/app/api/board/surveys/nope", ADMIN_ID)
    assert status == 404


async def test_broadcast_history_counts_and_reasons(api: Api) -> None:
    async with api.bot.db.session() as session:
        item = Broadcast(
            created_by=ADMIN_ID,
            texts={"es": "<b>Hola</b> a todos", "en": "Hello everyone"},
            status="sending",
            recipients=4,
            created_at=NOW,
        )
        session.add(item)
        await session.flush()
        for number, (state, error) in enumerate(
            [
                ("sent", None),
                ("pending", None),
                ("blocked", None),
                ("failed", "Bad Request: chat not found"),
            ]
        ):
            session.add(
                Delivery(
                    key=f"b:{number}",
                    kind="broadcast",
                    broadcast_id=item.id,
                    chat_id=100 + number,
                    status=state,
                    last_error=error,
                    next_attempt_at=NOW + timedelta(days=30),  # the engine leaves it queued
                    created_at=NOW,
                )
            )
    status, history = await api.call("GET", "/app/api/broadcasts", ADMIN_ID, language="en")
    assert status == 200 and len(history) == 1
    entry = history[0]
    assert entry["snippet"] == "Hello everyone" and entry["status"] == "sending"
    assert entry["counts"] == {"queued": 1, "sent": 1, "blocked": 1, "failed": 1}
    assert entry["failures"] == [{"reason": "Bad Request: chat not found", "count": 1}]
    await update_member(api.bot.db, ADMIN_ID, language="es")
    status, history = await api.call("GET", "/app/api/broadcasts", ADMIN_ID)
    assert history[0]["snippet"] == "Hola a todos"  # text, not Telegram HTML


async def test_board_events_with_rsvp_counts(api: Api) -> None:
    start = NOW + timedelta(days=2)
    await add_event(api.bot.db, hour_long(start))
    for user_id, answer in ((7070, "yes"), (7071, "yes"), (7072, "maybe")):
        await member(api.bot, user_id)
        body = {"status": answer}
        assert (await api.call("POST", "/app/api/events/vc-cert/rsvp", user_id, body=body))[
            0
        ] == 200
    status, events = await api.call("GET", "/app/api/board/events", ADMIN_ID)
    assert status == 200 and events[0]["counts"] == {"yes": 2, "maybe": 1, "no": 0}
    assert datetime.fromisoformat(events[0]["starts_local"]).astimezone(UTC) == start


# ---------------------------------------------------------------- buttons in chat
def web_apps(message: Any) -> list[str]:
    return [b.web_app for row in message.buttons for b in row if b.web_app]


async def test_menu_button_and_app_buttons_with_webapp_url(
    api: Api, emulator_refusals: list[Any]
) -> None:
    emulator = api.bot.emulator
    assert emulator.menu_buttons[None] == {
        "type": "web_app",
        "text": "📱 Cinterfor",  # one button for every language: the name
        "web_app": {"url": "https://example.org/app/"},
    }
    start = NOW + timedelta(days=2)
    await add_event(api.bot.db, hour_long(start))
    user = await member(api.bot, 7080, language="en")
    await user.send("/event vc-cert")
    card = await user.next_message()
    assert web_apps(card) == ["https://example.org/app/?view=event&id=vc-cert"]
    assert "📱 Open the app" in card.button_texts()

    admin = emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    group = emulator.group(chat_id=-100_888, title="Red", added_by=admin)
    await admin.send("/event vc-cert", chat=group)
    await emulator.wait_for(lambda: any("Competency" in m.text for m in group.messages))
    public = next(m for m in group.messages if "Competency" in m.text)
    assert web_apps(public) == []  # Telegram refuses web_app buttons outside private chats

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
    from telegram.error import BadRequest

    bot = api.bot.application.bot
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("x", web_app=WebAppInfo("https://e.org/"))]]
    )
    with pytest.raises(BadRequest, match=r"(?i)button_type_invalid"):
        await bot.send_message(-100_888, "x", reply_markup=markup)
    plain = InlineKeyboardMarkup([[InlineKeyboardButton("x", web_app=WebAppInfo("http://e.org/"))]])
    with pytest.raises(BadRequest, match=r"(?i)only https"):
        await bot.send_message(7080, "x", reply_markup=plain)
    emulator_refusals.clear()  # the two refusals above were provoked on purpose


async def test_results_offer_the_board_in_the_app(api: Api) -> None:
    await launch(api.bot, "inst-2026")
    admin = api.bot.emulator.user(user_id=ADMIN_ID)
    await admin.send("/results inst-2026")
    # the admin's own invitation goes through the outbox and may come before or after the report
    await api.bot.emulator.wait_for(lambda: any("Response rate" in m.text for m in admin.messages))
    report = next(m for m in admin.messages if "Response rate" in m.text)
    assert web_apps(report) == ["https://example.org/app/?view=survey&id=inst-2026"]


async def test_without_webapp_url_nothing_changes(sqlite_url: str) -> None:
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,)) as running:
        assert running.emulator.menu_buttons == {}
        start = datetime.now(UTC) + timedelta(days=2)
        await add_event(running.db, hour_long(start))
        user = running.emulator.user(user_id=7090, first_name="Ana", language_code="en")
        await user.send("/event vc-cert")
        card = await user.next_message()
        assert web_apps(card) == [] and "📱 Open the app" not in card.button_texts()


async def test_courses_filters_search_and_pages(api: Api) -> None:
    from bot.importer.load import run_import

    courses = "\n".join(
        f"""  - id: c{n}
    title: {{es: "Curso {n} {"soldadura" if n % 2 else "datos"}", en: "Course {n}"}}
    topics: [{"welding" if n % 2 else "big-data"}]
    modality: {"online" if n % 3 else "in-person"}
    languages: [es]
    provider: {"UTU" if n % 2 else "SENAI"}
    starts: 2027-0{1 + n % 9}-01
    enroll_url: https://example.org/c{n}"""
        for n in range(45)
    )
    outcome = await run_import(
        api.bot.db,
        [("courses.yaml", f"version: 1\ncourses:\n{courses}\n".encode())],
        default_language="es",
        default_timezone="America/Montevideo",
    )
    assert outcome.ok, outcome.errors
    await member(api.bot, 7095)
    status, page = await api.call("GET", "/app/api/courses", 7095)
    assert status == 200 and page["total"] == 45 and page["pages"] == 3 and len(page["items"]) == 20
    assert {t["id"] for t in page["topics"]} == {"welding", "big-data"}
    assert {c["code"]: c["name"] for c in page["countries"]} == {"BR": "Brasil", "UY": "Uruguay"}
    status, page = await api.call("GET", "/app/api/courses?page=3", 7095)
    assert page["page"] == 3 and len(page["items"]) == 5
    status, page = await api.call("GET", "/app/api/courses?q=SOLDADURA&country=uy", 7095)
    assert page["total"] == 22 and all(i["country"] == "UY" for i in page["items"])
    assert all("soldadura" in i["title"] for i in page["items"])
    status, page = await api.call("GET", "/app/api/courses?topic=big-data&modality=in-person", 7095)
    assert page["total"] == len([n for n in range(45) if n % 2 == 0 and n % 3 == 0])
    status, error = await api.call("GET", "/app/api/courses?page=x", 7095)
    assert status == 400 and error["error"] == "bad_request"


async def test_broadcast_progress_keeps_the_app_button_through_its_edits(api: Api) -> None:
    await member(api.bot, 7099)
    admin = api.bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("Hola red")
    which = await admin.next_message()
    await admin.press(which, language_button(which, "Español"))
    await api.bot.emulator.wait_for(lambda: "Texts so far" in which.text)
    await admin.press(which, "bc:audience")
    await api.bot.emulator.wait_for(lambda: "Who should receive it" in which.text)
    await admin.press(which, "bc:preview")
    await admin.next_message()
    confirm = await admin.next_message()
    await admin.press(confirm, "bc:send")
    await api.bot.emulator.wait_for(
        lambda: any("Announcement #" in m.text for m in admin.messages[admin.cursor :])
    )
    progress = next(m for m in admin.messages[admin.cursor :] if "Announcement #" in m.text)
    assert web_apps(progress) == ["https://example.org/app/?view=broadcasts&id=1"]
    await api.bot.emulator.wait_for(lambda: "finished" in progress.text, timeout=15)
    assert progress.edits >= 1 and web_apps(progress) == [
        "https://example.org/app/?view=broadcasts&id=1"
    ]
