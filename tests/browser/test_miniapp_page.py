"""The Mini App page in headless Chromium against the running bot (sample network, emulator):
what a focal point and an organizer see in es, pt and en, RSVP toggles reaching the
database, the localized 401 and "not available" states, and no request leaving 127.0.0.1.
Screenshots go to ``screenshot_dir``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlmodel import select

from bot.core.enums import Role
from bot.core.i18n import Translator
from storage.models import Event, Rsvp
from tests.browser.miniapp import DARK, LIGHT, add_member, init_data, launch_url, phone, sample_bot

pytestmark = pytest.mark.strict_api
FOCAL = {"es": (7201, "Europe/Madrid"), "pt": (7202, "America/Sao_Paulo"), "en": (7203, "America/Mexico_City")}
ORGANIZER = 7301


def clock(moment: datetime, zone: str, language: str) -> str:
    """The time as Intl shows it with hour/minute "2-digit" (24 h in es/pt, 12 h in en)."""
    local = moment.astimezone(ZoneInfo(zone))
    if language == "en":
        return f"{(local.hour % 12) or 12:02d}:{local.minute:02d}"
    return f"{local.hour:02d}:{local.minute:02d}"


async def api_get(base: str, data: str, path: str) -> Any:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/app/api/{path}", headers={"Authorization": f"tma {data}"}) as r:
            assert r.status == 200, (path, r.status, await r.text())
            return await r.json()


async def tab_texts(page: Any) -> list[str]:
    await page.wait_for_selector("#tabs button")
    return [text.strip() for text in await page.locator("#tabs button").all_inner_texts()]


async def test_focal_points_in_three_languages(browser: Any, sqlite_url: str, screenshot_dir: Path) -> None:
    async with sample_bot(sqlite_url) as (bot, base):
        for language, (user_id, zone) in FOCAL.items():
            await add_member(bot, user_id, language=language, zone=zone, institution="inet")
        for language, (user_id, zone) in FOCAL.items():
            tr = Translator(language)
            data = init_data(bot, user_id, "es")  # the member's own language wins over Telegram's
            events = await api_get(base, data, "events")
            assert events, "the sample network has upcoming events for everyone"
            async with phone(browser) as device:
                page = device.page
                await page.goto(launch_url(base, data, LIGHT))
                assert await tab_texts(page) == [tr("Events"), tr("Courses"), tr("Surveys")]
                assert await page.get_attribute("html", "lang") == language
                await page.wait_for_selector(".event")
                first = events[0]
                card = page.locator(f'.event[data-event="{first["id"]}"]')
                async with bot.db.session() as session:
                    row = await session.get(Event, first["id"])
                assert row is not None
                assert clock(row.starts_at, zone, language) in await card.locator(".when").inner_text()
                assert await card.locator("h3").inner_text() == first["title"] or first["title"] in await card.inner_text()
                await card.locator('[data-rsvp="maybe"]').click()
                await page.locator(f'.event[data-event="{first["id"]}"] [data-rsvp="maybe"][aria-pressed="true"]').wait_for()
                async with bot.db.session() as session:
                    rsvp = await session.get(Rsvp, (first["id"], user_id))
                assert rsvp is not None and rsvp.status == "maybe"
                if language == "es":
                    await device.shot(screenshot_dir, "miniapp-events-light")
                await page.reload()
                await page.locator(f'.event[data-event="{first["id"]}"] [data-rsvp="maybe"][aria-pressed="true"]').wait_for()
                await page.locator('[data-tab="courses"]').click()
                await page.wait_for_selector(".course")
                assert tr("Search") in await page.locator(".filters").inner_text()
                if language == "pt":
                    await device.shot(screenshot_dir, "miniapp-courses-light")
                await page.locator('[data-tab="surveys"]').click()
                await page.wait_for_selector(".survey, .empty")
                if language == "en" and await page.locator(".survey").count():
                    await page.locator(".survey").first.click()
                    await page.wait_for_selector(".question")
                    await device.shot(screenshot_dir, "miniapp-survey-form-light")
        async with phone(browser, dark=True) as device:
            user_id, _ = FOCAL["es"]
            await device.page.goto(launch_url(base, init_data(bot, user_id, "es"), DARK))
            await device.page.wait_for_selector(".event")
            await device.shot(screenshot_dir, "miniapp-events-dark")


async def test_organizer_views(browser: Any, sqlite_url: str, screenshot_dir: Path) -> None:
    async with sample_bot(sqlite_url) as (bot, base):
        await add_member(bot, ORGANIZER, language="pt", zone="America/Sao_Paulo", role=Role.organizer)
        tr = Translator("pt")
        data = init_data(bot, ORGANIZER, "pt")
        for dark in (False, True):
            async with phone(browser, dark=dark) as device:
                page = device.page
                scheme = "dark" if dark else "light"
                await page.goto(launch_url(base, data, DARK if dark else LIGHT))
                tabs = await tab_texts(page)
                assert tabs[3:] == [tr("Survey board"), tr("Broadcasts"), tr("Manage events")]
                await page.locator('[data-tab="board"]').click()
                await page.wait_for_selector("[data-board], .empty")
                if await page.locator("[data-board]").count():
                    await page.locator("[data-board]").first.click()
                    await page.wait_for_selector(".insts")
                    assert tr("Institutions").upper() in (await page.inner_text("main")).upper()
                await device.shot(screenshot_dir, f"miniapp-board-{scheme}")
                await page.locator('[data-tab="broadcasts"]').click()
                await page.wait_for_selector(".view .actions .primary")
                await page.locator(".view .actions .primary").click()
                await page.locator('textarea[name="text-pt"]').fill("Olá, <b>rede</b>! A pesquisa fecha sexta.")
                await page.wait_for_selector(".recipients:has-text('%s')" % tr("Recipients: {n}", n="").strip(": "))
                await page.wait_for_selector(".tg-message b")
                await device.shot(screenshot_dir, f"miniapp-broadcast-{scheme}")
                await page.locator('[data-tab="manage"]').click()
                await page.wait_for_selector(".event .tags, .empty")
                await device.shot(screenshot_dir, f"miniapp-manage-events-{scheme}")


async def test_forged_and_missing_init_data(browser: Any, sqlite_url: str, screenshot_dir: Path) -> None:
    async with sample_bot(sqlite_url) as (bot, base):
        for language in ("es", "pt", "en"):
            tr = Translator(language)
            forged = init_data(bot, 7401, language, token="123456:another-bots-token")
            async with phone(browser) as device:
                await device.page.goto(launch_url(base, forged))
                alert = device.page.locator(".notice.stop")
                await alert.wait_for()
                assert tr("We could not verify who you are.") in await alert.inner_text()
                if language == "es":
                    await device.shot(screenshot_dir, "miniapp-unauthorized")
            async with phone(browser) as device:
                await device.page.goto(f"{base}/app/#tgWebAppPlatform=web")
                alert = device.page.locator(".notice.stop")
                await alert.wait_for()
                # No init data, so no member: the browser's language (Chromium's en-US here).
                assert Translator("en")("Open this page from the bot in Telegram.") in await alert.inner_text()


async def test_missing_endpoint_shows_not_available(browser: Any, sqlite_url: str) -> None:
    async with sample_bot(sqlite_url) as (bot, base):
        await add_member(bot, 7501, language="en", zone="America/Montevideo", institution="inet")
        async with phone(browser) as device:
            await device.page.route("**/app/api/courses*", lambda route: route.fulfill(status=404, body="404: Not Found"))
            await device.page.goto(launch_url(base, init_data(bot, 7501, "en")))
            await device.page.locator('[data-tab="courses"]').click()
            soon = device.page.locator(".notice.soon")
            await soon.wait_for()
            assert Translator("en")("This part is not available yet.") in await soon.inner_text()
            await device.page.locator('[data-tab="events"]').click()
            await device.page.wait_for_selector(".calendar")


async def test_headers_and_strings(sqlite_url: str) -> None:
    async with sample_bot(sqlite_url) as (_, base), aiohttp.ClientSession() as http:
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
        for language, events in (("es", "Eventos"), ("pt", "Eventos"), ("en", "Events"), ("pt-BR", "Eventos")):
            async with http.get(f"{base}/app/api/strings", params={"lang": language}) as reply:
                body = await reply.json()
                assert reply.status == 200 and body["lang"] == language[:2]
                assert body["strings"]["Events"] == events
        async with http.get(f"{base}/app/api/strings", params={"lang": "xx"}) as reply:
            body = await reply.json()
            assert body["lang"] == "es"
            assert body["strings"]["Survey board"] == "Tablero de encuestas"
