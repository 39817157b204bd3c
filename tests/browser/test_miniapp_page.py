"""The Mini App page in headless Chromium against the running bot (sample network, emulator):
what a focal point and an organizer see in es, pt and en, RSVP toggles reaching the
database, the localized 401 and "not available" states, and no request leaving 127.0.0.1
(every test's page aborts and lists any other request). Screenshots go to ``screenshot_dir``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlmodel import select

from bot.core.enums import Role, SurveyStatus
from bot.core.i18n import Translator
from storage.models import Event, Rsvp, Survey
from tests.browser.miniapp import DARK, LIGHT, add_member, init_data, launch_url, phone, sample_bot

pytestmark = pytest.mark.strict_api
FOCAL = {
    "es": (7201, "Europe/Madrid"),
    "pt": (7202, "America/Sao_Paulo"),
    "en": (7203, "America/Mexico_City"),
}
ORGANIZER = 7301
SURVEY = "covid-response-2020"


def clock(moment: datetime, zone: str, language: str) -> str:
    """The time as Intl shows it with hour/minute "2-digit" (24 h in es/pt, 12 h in en)."""
    local = moment.astimezone(ZoneInfo(zone))
    if language == "en":
        return f"{(local.hour % 12) or 12:02d}:{local.minute:02d}"
    return f"{local.hour:02d}:{local.minute:02d}"


def saved(path: Any) -> str:
    """A downloaded file's text (a small file: reading it blocks for no time)."""
    return Path(path).read_text(encoding="utf-8-sig")


async def api_call(base: str, data: str, path: str, body: Any = None) -> Any:
    async with aiohttp.ClientSession() as http:
        method = "GET" if body is None else "POST"
        headers = {"Authorization": f"tma {data}"}
        async with http.request(method, f"{base}/app/api/{path}", json=body, headers=headers) as r:
            assert r.status == 200, (path, r.status, await r.text())
            return await r.json()


async def tab_texts(page: Any) -> list[str]:
    await page.wait_for_selector("#tabs button")
    return [text.strip() for text in await page.locator("#tabs button").all_inner_texts()]


async def check_focal_point(
    bot: Any, base: str, device: Any, language: str, shots: Path | None
) -> None:
    user_id, zone = FOCAL[language]
    tr = Translator(language)
    data = init_data(bot, user_id, "es")  # the member's own language wins over Telegram's
    events = await api_call(base, data, "events")
    assert events, "the sample network has upcoming events for everyone"
    page = device.page
    await device.open(launch_url(base, data, LIGHT))
    assert await tab_texts(page) == [tr("Events"), tr("Courses"), tr("Surveys")]
    assert await page.get_attribute("html", "lang") == language
    first = events[0]
    card = page.locator(f'.event[data-event="{first["id"]}"]')
    await card.wait_for()
    async with bot.db.session() as session:
        row = await session.get(Event, first["id"])
    assert row is not None
    assert clock(row.starts_at, zone, language) in await card.locator(".when").inner_text()
    assert first["title"] in await card.locator("h3").inner_text()
    label = (await api_call(base, data, "profile"))["timezone_label"]
    assert tr("Times in {zone}", zone=label) in await page.inner_text("main")
    await card.locator('[data-rsvp="maybe"]').click()
    pressed = page.locator(
        f'.event[data-event="{first["id"]}"] [data-rsvp="maybe"][aria-pressed="true"]'
    )
    await pressed.wait_for()
    async with bot.db.session() as session:
        rsvp = await session.get(Rsvp, (first["id"], user_id))
    assert rsvp is not None and rsvp.status == "maybe"
    if shots:
        await device.shot(shots, "miniapp-events-light")
    await page.reload()
    await pressed.wait_for()  # kept: it is in the database, not in the page
    await page.locator('[data-tab="courses"]').click()
    await page.wait_for_selector(".course")
    assert tr("Search") in await page.locator(".filters").inner_text()
    if shots:
        await device.shot(shots, "miniapp-courses-light")
        await courses_pages_and_calendar_file(page, first["id"])
        await answer_in_the_form(base, data, device, shots)


async def courses_pages_and_calendar_file(page: Any, event_id: str) -> None:
    """The catalog's search; "add to calendar" saves the event's .ics."""
    count = page.locator(".list > p.muted").first
    everything = await count.inner_text()
    await page.locator('.filters input[type="search"]').fill("STEAM")
    await page.locator(".list > p.muted", has_not_text=everything).first.wait_for()
    assert "STEAM" in await page.locator(".course").first.inner_text()
    await page.locator('[data-tab="events"]').click()
    card = page.locator(f'.event[data-event="{event_id}"]')
    async with page.expect_download() as download:
        await card.locator("button.link").click()
    path = await (await download.value).path()
    assert saved(path).startswith("BEGIN:VCALENDAR")


async def answer_in_the_form(base: str, data: str, device: Any, shots: Path) -> None:
    """The survey as a form: the first answer saved as a draft reaches the chat's store."""
    page = device.page
    await page.locator('[data-tab="surveys"]').click()
    await page.locator(f'[data-survey="{SURVEY}"]').click()
    await page.locator(".question").first.locator("label.choice").first.click()
    await page.locator(".survey-form button.secondary").click()
    await page.locator(".survey-form .notice.ok").wait_for()
    form = await api_call(base, data, f"surveys/{SURVEY}")
    first = form["questions"][0]
    assert first["answer"] == first["options"][0]["id"]
    await page.evaluate("window.scrollTo(0, 0)")
    await device.shot(shots, "miniapp-survey-form-light")


async def test_focal_points_in_three_languages(
    browser: Any, sqlite_url: str, screenshot_dir: Path
) -> None:
    async with sample_bot(sqlite_url) as (bot, base), phone(browser) as device:
        for language, (user_id, zone) in FOCAL.items():
            await add_member(bot, user_id, language=language, zone=zone, institution="inet")
        await open_survey(bot)
        for language in FOCAL:
            await check_focal_point(
                bot, base, device, language, screenshot_dir if language == "es" else None
            )
        data = init_data(bot, FOCAL["es"][0], "es")
        last = (await api_call(base, data, "events"))[-1]["id"]  # the bot's event card links here
        await device.open(launch_url(base, data, DARK, query=f"view=event&id={last}"), dark=True)
        await device.page.locator(f'.event.focus[data-event="{last}"]').wait_for()
        await device.page.evaluate("window.scrollTo(0, 0)")
        await device.shot(screenshot_dir, "miniapp-events-dark")


async def open_survey(bot: Any) -> None:
    """The sample survey (of 2020, so closed) open now."""
    now = bot.services.now()
    async with bot.db.session() as session:
        survey = await session.get(Survey, SURVEY)
        assert survey is not None
        survey.status = SurveyStatus.open
        survey.opens_at, survey.closes_at = now - timedelta(days=1), now + timedelta(days=6)
        session.add(survey)
        await session.commit()


def full_answer(question: dict[str, Any]) -> Any:
    options = [option["id"] for option in question["options"]]
    by_kind = {"single": options[:1] and options[0], "multi": options[:2], "number": 40}
    return by_kind.get(question["kind"], options[-1] if options else None)


async def answered_by_two_institutions(bot: Any, base: str) -> None:
    """Opens the sample survey; INET's focal point answers its first question (partial),
    SENAI's answers every required one and sends (answered), both through the API."""
    await open_survey(bot)
    for user_id, institution, complete in ((7302, "inet", False), (7303, "senai", True)):
        await add_member(
            bot, user_id, language="es", zone="America/Montevideo", institution=institution
        )
        data = init_data(bot, user_id, "es")
        questions = (await api_call(base, data, f"surveys/{SURVEY}"))["questions"]
        chosen = [q for q in questions if q["required"]] if complete else questions[:1]
        body = {"answers": {q["id"]: full_answer(q) for q in chosen}, "submit": complete}
        assert (await api_call(base, data, f"surveys/{SURVEY}/answers", body))[
            "submitted"
        ] is complete


async def test_organizer_views(browser: Any, sqlite_url: str, screenshot_dir: Path) -> None:
    async with sample_bot(sqlite_url) as (bot, base), phone(browser) as device:
        await add_member(
            bot, ORGANIZER, language="pt", zone="America/Sao_Paulo", role=Role.organizer
        )
        await answered_by_two_institutions(bot, base)
        tr = Translator("pt")
        data = init_data(bot, ORGANIZER, "pt")
        page = device.page
        for dark in (False, True):
            scheme = "dark" if dark else "light"
            # The dark round opens the board the way the bot's /results button links to it.
            query = f"view=survey&id={SURVEY}" if dark else ""
            await device.open(launch_url(base, data, DARK if dark else LIGHT, query), dark=dark)
            tabs = await tab_texts(page)
            assert tabs[3:] == [tr("Survey board"), tr("Broadcasts"), tr("Manage events")]
            if not dark:
                await page.locator('[data-tab="board"]').click()
                await page.locator(f'[data-board="{SURVEY}"]').click()
            await page.wait_for_selector(".insts")
            board = await api_call(base, data, f"board/surveys/{SURVEY}")
            assert await page.locator(".inst").count() == len(board["institutions"])
            assert await page.locator('.inst[data-status="partial"]').count() == 1
            assert await page.locator('.inst[data-status="answered"]').count() == 1
            await page.wait_for_selector(".question-chart")
            if not dark:  # the server's PNG (fetched with the header, shown from a blob: URL)
                await page.locator(".chart img").first.wait_for(timeout=20_000)
            await device.shot(screenshot_dir, f"miniapp-board-{scheme}")
            if not dark:
                async with page.expect_download() as download:
                    await page.locator(".summary button.secondary", has_text="CSV").click()
                path = await (await download.value).path()
                assert "senai" in saved(path).lower()
            await page.locator('[data-tab="broadcasts"]').click()
            await page.locator(".view .actions .primary").click()
            await page.locator('textarea[name="text-pt"]').fill(
                "Olá, <b>rede</b>! A pesquisa fecha sexta."
            )
            await page.wait_for_selector(".tg-message b")
            assert tr("Recipients: {n}", n="").strip(" :") in await page.inner_text(".recipients")
            await page.locator(".audience").scroll_into_view_if_needed()
            async with page.expect_response("**/broadcasts/preview"):
                await page.locator(".chip").first.click()  # a country: the count follows
            await page.evaluate("document.querySelector('.audience').scrollIntoView()")
            await device.shot(screenshot_dir, f"miniapp-broadcast-{scheme}")
            if not dark:
                await send_and_watch_the_counts(page, screenshot_dir)
            await page.locator('[data-tab="manage"]').click()
            await page.wait_for_selector(".event .tags")
            if not dark:
                await create_an_event(bot, page)
            await device.shot(screenshot_dir, f"miniapp-manage-events-{scheme}")


async def send_and_watch_the_counts(page: Any, shots: Path) -> None:
    """Sent from the composer; the history's delivery counts move without a reload."""
    await page.locator(".chip").first.click()  # that country off again: everyone
    await page.locator('.composer button[type="submit"]').click()
    await page.locator(".composer .notice.ok").wait_for()
    sent = page.locator('[data-broadcast] [data-count="sent"]', has_text=re.compile(r"[1-9]"))
    await sent.first.wait_for(timeout=20_000)
    await page.locator("[data-broadcast]").first.screenshot(
        path=str(shots / "miniapp-broadcast-history-light.png")
    )


async def create_an_event(bot: Any, page: Any) -> None:
    """The event form: created in the organizer's zone, stored in UTC."""
    day = (bot.services.now() + timedelta(days=9)).astimezone(ZoneInfo("America/Sao_Paulo")).date()
    await page.locator(".view .actions .primary").click()
    await page.locator('input[name="title-pt"]').fill("Oficina <i>regional</i> de certificação")
    await page.locator('input[name="date"]').fill(day.isoformat())
    await page.locator('input[name="time"]').fill("15:30")
    assert await page.locator('select[name="timezone"]').input_value() == "America/Sao_Paulo"
    await page.locator('.event-form button[type="submit"]').click()
    await page.locator(".event h3", has_text="Oficina <i>regional</i> de certificação").wait_for()
    async with bot.db.session() as session:
        found = (
            await session.exec(select(Event).where(Event.timezone == "America/Sao_Paulo"))
        ).all()
    created = [e for e in found if e.title.get("pt") == "Oficina <i>regional</i> de certificação"]
    assert len(created) == 1
    local = created[0].starts_at.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert (local.date(), local.hour, local.minute) == (day, 15, 30)
    card = page.locator(f'.event[data-event="{created[0].id}"]')
    await card.locator('[data-action="cancel"]').click()  # the first tap only asks again
    await card.locator('[data-action="cancel"]').click()
    await card.wait_for(state="detached")  # the board lists the events still to come
    async with bot.db.session() as session:
        cancelled = await session.get(Event, created[0].id)
    assert cancelled is not None and cancelled.status == "cancelled"


async def test_unauthorized_missing_and_unavailable(
    browser: Any, sqlite_url: str, screenshot_dir: Path
) -> None:
    async with sample_bot(sqlite_url, sample=False) as (bot, base), phone(browser) as device:
        alert = device.page.locator(".notice.stop")
        for language in ("es", "pt", "en"):
            forged = init_data(bot, 7401, language, token="123456:another-bots-token")
            await device.open(launch_url(base, forged))
            await alert.wait_for()
            assert (
                Translator(language)("We could not verify who you are.") in await alert.inner_text()
            )
            if language == "es":
                await device.shot(screenshot_dir, "miniapp-unauthorized")
        await device.open(f"{base}/app/#tgWebAppPlatform=web")
        await alert.wait_for()
        # No init data, so no member: the browser's language (Chromium's en-US here).
        assert (
            Translator("en")("Open this page from the bot in Telegram.") in await alert.inner_text()
        )

        await add_member(bot, 7501, language="pt", zone="America/Montevideo")
        await device.page.route(
            "**/app/api/courses*", lambda route: route.fulfill(status=404, body="404: Not Found")
        )
        await device.open(launch_url(base, init_data(bot, 7501, "pt")))
        await device.page.locator('[data-tab="courses"]').click()
        soon = device.page.locator(".notice.soon")
        await soon.wait_for()
        assert Translator("pt")("This part is not available yet.") in await soon.inner_text()
        await device.page.locator('[data-tab="events"]').click()
        await device.page.wait_for_selector(".calendar")


async def test_headers_and_strings(sqlite_url: str) -> None:
    async with sample_bot(sqlite_url, sample=False) as (_, base), aiohttp.ClientSession() as http:
        async with http.get(f"{base}/app/") as page:
            assert page.status == 200
            policy = page.headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "script-src 'self'" in policy
            assert "frame-ancestors 'self' https://web.telegram.org" in policy
            assert "unsafe-inline" not in policy
            assert page.headers["X-Content-Type-Options"] == "nosniff"
            assert page.headers["Cache-Control"] == "no-cache"
        async with http.get(f"{base}/app/static/js/app.js") as script:
            assert script.status == 200 and "javascript" in script.headers["Content-Type"]
            assert "max-age" in script.headers["Cache-Control"]
            assert "Content-Security-Policy" in script.headers
        for language, events in (
            ("es", "Eventos"),
            ("pt", "Eventos"),
            ("en", "Events"),
            ("pt-BR", "Eventos"),
        ):
            async with http.get(f"{base}/app/api/strings", params={"lang": language}) as reply:
                body = await reply.json()
                assert reply.status == 200 and body["lang"] == language[:2]
                assert body["strings"]["Events"] == events
        async with http.get(f"{base}/app/api/strings", params={"lang": "xx"}) as reply:
            body = await reply.json()
            assert body["lang"] == "es"
            assert body["strings"]["Survey board"] == "Tablero de encuestas"
