"""The demo's web chat in headless Chromium, walked as a newcomer would, in each language.

The whole demo runs in-process: the emulator, the real bot (with its HTTP server and the Mini
App) and the web chat on free loopback ports; the browser only sees the web chat's page.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from bot.devtools.local import LocalBot, local_bot
from bot.devtools.webchat import (
    BROADCAST,
    WebChat,
    free_port,
    public_webapp_url,
    serving,
    start_demo_world,
)
from bot.devtools.webchat.personas import DEMO_ADMIN_ID
from bot.messaging.compose import split_html
from bot.webapp.auth import validate_init_data
from storage.broadcasts import create_broadcast

PERSONA = {"es": 1001, "pt": 1002, "en": 1003}
LANGUAGE_BUTTON = {"es": "Español", "pt": "Português", "en": "English"}
GREETING = {
    "es": "¿Qué idioma prefieres?",
    "pt": "Qual idioma você prefere?",
    "en": "Which language do you prefer?",
}
REGION = {"es": "Sudamérica", "pt": "América do Sul", "en": "South America"}
COUNTRY = {"es": "Uruguay", "pt": "Uruguai", "en": "Uruguay"}
DONE = {"es": "¡Listo!", "pt": "Tudo pronto!", "en": "All set!"}
QUESTION = {
    "es": "¿Qué es la Comisión Técnica?",
    "pt": "O que é a Comissão Técnica?",
    "en": "What is the Technical Committee?",
}
SURVEY = {
    "es": "¿Qué te pareció la videoconferencia?",
    "pt": "O que achou da videoconferência?",
    "en": "How was the videoconference?",
}
LANGUAGE_SET = {"es": "en español", "pt": "em português", "en": "in English"}
IMPORT_DONE = {"es": "Importación completada", "pt": "Importação concluída", "en": "Import done"}
NETWORK = b"""
version: 1
events:
  - id: demo-workshop
    title: {es: "Taller de la demo", pt: "Oficina da demo", en: "Demo workshop"}
    starts: 2030-03-26T14:00
    ends: 2030-03-26T15:30
    timezone: America/Montevideo
    platform: Webex
    join_url: https://example.org/j/demo
"""
MESSAGE = ".pane .msg"
HOSTILE = '<img src=x onerror="document.title=1"> <b>not bold</b> <script>x()</script>'


@dataclass
class Demo:
    address: str
    running: LocalBot
    chat: WebChat


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Demo]:
    http_port = free_port()
    public_url = public_webapp_url(http_port)
    async with local_bot(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        admin_ids=(DEMO_ADMIN_ID,),
        http_port=http_port,
        webapp_url=public_url,
    ) as running:
        chat = WebChat(running.emulator, "/app/", public_url)
        chat.bot_http = f"http://127.0.0.1:{http_port}"
        await start_demo_world(running)
        async with serving(chat, "127.0.0.1", 0) as address:
            yield Demo(address, running, chat)


async def send(page: Any, text: str) -> None:
    box = page.locator(".pane textarea").first
    await box.fill(text)
    await box.press("Enter")


async def press(page: Any, label: str) -> None:
    await page.locator(".pane .kb", has_text=label).last.click()


async def bot_says(page: Any, text: str) -> Any:
    bubble = page.locator(f"{MESSAGE}.in", has_text=text).last
    await bubble.wait_for(timeout=15_000)
    return bubble


async def onboard(page: Any, language: str) -> None:
    await send(page, "/start")
    await bot_says(page, GREETING[language])
    await press(page, LANGUAGE_BUTTON[language])
    await page.locator(".pane .kb", has_text=REGION[language]).last.wait_for()
    await press(page, REGION[language])  # 28 countries: regions first
    await page.locator(".pane .kb", has_text=COUNTRY[language]).last.wait_for()
    await press(page, COUNTRY[language])
    await page.locator(".pane .kb", has_text="INEFOP").last.wait_for()
    await press(page, "INEFOP")
    await bot_says(page, DONE[language])


async def rsvp_toast(page: Any) -> None:
    """/events, open the first event, press ✅: the bot's answer shows as a toast; the
    card's share link (t.me/<bot>?start=event-ID) is a deep link."""
    await send(page, "/events")
    listing = page.locator(f"{MESSAGE}.in", has_text="🗓").last
    await listing.wait_for()
    await listing.locator(".kb").first.click()
    attend = page.locator(".pane .kb", has_text="✅").last
    await attend.wait_for()
    await attend.click()
    toast = page.locator(".toast", has_text="✅")
    await toast.wait_for(timeout=10_000)
    share = page.locator(f"{MESSAGE}.in a[href*='?start=event-']").last
    await share.click()  # a deep link to the bot: sent as /start event-ID
    await page.locator(f"{MESSAGE}.out", has_text="/start event-").last.wait_for()


async def answer_survey(page: Any, language: str) -> None:
    """The member survey: a scale, a two-line text (Shift+Enter), a multiple choice, submit."""
    await send(page, "/survey")
    await press(page, SURVEY[language])
    scale = page.locator(".pane .kb", has_text=re.compile(r"^5$")).last
    await scale.wait_for()
    await scale.click()
    before = await page.locator(MESSAGE).count()
    await page.wait_for_function(f"document.querySelectorAll('{MESSAGE}').length >= {before}")
    box = page.locator(".pane textarea").first
    await page.wait_for_timeout(400)
    await box.type("Two lines:")
    await box.press("Shift+Enter")
    await box.type("the observatories part")
    assert "\n" in await box.input_value()
    await box.press("Enter")
    option = page.locator(".pane .kb", has_text="▫️").first
    await option.wait_for()
    await option.click()
    await page.locator(".pane .kb", has_text="▶").last.click()
    summary = page.locator(MESSAGE, has=page.locator(".kb", has_text="✏️")).last
    await summary.wait_for()
    await summary.locator(".kb", has_text="✅").click()
    await bot_says(page, "🙏")


async def import_as_admin(page: Any, language: str) -> None:
    await page.locator(".chat", has_text="Admin").click()
    await page.locator(".pane .lang").select_option(language)
    await send(page, f"/language {language}")
    await bot_says(page, LANGUAGE_SET[language])
    await page.locator(".pane .file").set_input_files(
        {"name": "network.yaml", "mimeType": "application/x-yaml", "buffer": NETWORK}
    )
    await page.locator(".pane .attachment").wait_for()
    sent = page.locator(f"{MESSAGE}.out .document", has_text="network.yaml")
    before = await sent.count()
    await send(page, "/import")
    await sent.nth(before).wait_for()
    done = page.locator(f"{MESSAGE}.in", has_text=IMPORT_DONE[language])
    await done.nth(await done.count()).wait_for()


async def open_mini_app(page: Any, demo: Demo, loaded: list[tuple[str, int]]) -> None:
    """The App button opens the bot's /app/ in the panel, with init data signed for the
    persona; the page (through the web chat's origin) answers, and so does its API."""
    app_url = demo.address + "app/"
    await page.locator(".pane .app").click()
    frame = page.locator("#miniapp-frame")
    await frame.wait_for()
    src = await frame.get_attribute("src")
    assert src is not None and src.startswith(app_url + "#tgWebAppData="), src
    init_data = unquote(re.sub(r"&tgWebApp.*$", "", src.split("#tgWebAppData=", 1)[1]))
    user = validate_init_data(init_data, demo.running.emulator.token, max_age=600)
    assert user.user_id == DEMO_ADMIN_ID
    inside = page.frame_locator("#miniapp-frame")
    await inside.locator("main#app").wait_for(state="attached")
    assert (app_url, 200) in loaded
    if await inside.locator("#tabs").count():  # the full Mini App page (branch minipage)
        await inside.locator("#tabs *").first.wait_for()
        me = [status for url, status in loaded if url.startswith(app_url + "api/me")]
        assert 200 in me, loaded


async def walk(
    page: Any,
    demo: Demo,
    language: str,
    loaded: list[tuple[str, int]],
    admin: asyncio.Lock,
    shots: Path,
) -> None:
    await page.goto(f"{demo.address}?chat={PERSONA[language]}")
    await onboard(page, language)
    await send(page, QUESTION[language])
    answer = await bot_says(page, "Punta Cana")
    assert "2023" not in await answer.inner_text()  # moved with the sample's dates
    assert await answer.locator("b").count() >= 1  # the bot's <b> became an element
    await send(page, HOSTILE)
    mine = page.locator(f"{MESSAGE}.out", has_text="<img src=x")
    await mine.wait_for()
    assert await mine.locator("img, b, script").count() == 0  # a person's text stays text
    await rsvp_toast(page)
    await answer_survey(page, language)
    await page.screenshot(path=str(shots / f"webchat-{language}-member.png"))
    async with admin:  # one admin chat for the three pages: one at a time
        await import_as_admin(page, language)
        await open_mini_app(page, demo, loaded)
        await page.screenshot(path=str(shots / f"webchat-{language}-admin-app.png"))


async def newcomer(
    browser: Any, demo: Demo, language: str, admin: asyncio.Lock, shots: Path
) -> list[str]:
    """One newcomer's path in ``language``; returns the requests that left loopback."""
    page = await browser.new_page(viewport={"width": 1280, "height": 820})
    page.set_default_timeout(20_000)
    external: list[str] = []
    loaded: list[tuple[str, int]] = []
    page.on("response", lambda response: loaded.append((response.url, response.status)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
            else None
        ),
    )
    try:
        await walk(page, demo, language, loaded, admin, shots)
    finally:
        await page.screenshot(path=str(shots / f"webchat-{language}-last.png"))
        await page.close()
    assert errors == []
    return external


@pytest.mark.strict_api
async def test_newcomer_path_in_three_languages(
    browser: Any, demo: Demo, screenshot_dir: Path
) -> None:
    """Three newcomers at once (es, pt, en), each in a page of their own."""
    admin = asyncio.Lock()
    languages = ("es", "pt", "en")
    results = await asyncio.gather(
        *(newcomer(browser, demo, lang, admin, screenshot_dir) for lang in languages),
        return_exceptions=True,
    )
    failed = {
        lang: repr(result)[:800]
        for lang, result in zip(languages, results, strict=True)
        if isinstance(result, BaseException)
    }
    assert failed == {}
    assert results == [[], [], []]  # nothing fetched from outside loopback
    await broadcast_side_by_side(browser, demo, screenshot_dir)


async def broadcast_side_by_side(browser: Any, demo: Demo, shots: Path) -> None:
    """The three members side by side see a broadcast arrive, each in their language."""
    page = await browser.new_page(viewport={"width": 1440, "height": 860})
    page.set_default_timeout(20_000)
    await page.goto(demo.address)
    await page.locator(".pane").first.wait_for()  # the page is wired
    await page.locator("#three-languages").click()
    await page.locator(".pane").nth(2).wait_for()
    running = demo.running
    await create_broadcast(
        running.db,
        created_by=DEMO_ADMIN_ID,
        actor_name="test",
        texts=BROADCAST,
        audience=["all"],
        now=running.services.now(),
        default_language="es",
        split=split_html,
    )
    assert running.services.delivery is not None
    running.services.delivery.wake()
    for language, heading in (("es", "Red Cinterfor"), ("pt", "Rede Cinterfor"), ("en", "network")):
        pane = page.locator(f'.pane[data-chat="{PERSONA[language]}"]')
        await pane.locator(".msg.in", has_text=heading).last.wait_for()
    await page.screenshot(path=str(shots / "webchat-broadcast.png"))
    await page.close()


async def stamps(page: Any, text: str) -> tuple[str, str]:
    """The time shown on the person's message ``text`` and on the bot's first answer."""
    mine = page.locator(f"{MESSAGE}.out", has_text=text).last
    await mine.wait_for()
    answer = await bot_says(page, GREETING["es"])
    return (
        await mine.locator(".time").inner_text(),
        await answer.locator(".time").inner_text(),
    )


async def test_a_reload_keeps_the_times_of_everyone_s_messages(
    browser: Any, demo: Demo, screenshot_dir: Path
) -> None:
    """After a reload the page draws the history again: the person's own messages keep the
    time they were sent at (they showed the time of the reload, the emulator kept none)."""
    page = await browser.new_page(viewport={"width": 1280, "height": 820})
    page.set_default_timeout(20_000)
    try:
        await page.goto(f"{demo.address}?chat={PERSONA['es']}")
        await send(page, "/start")
        before = await stamps(page, "/start")
        assert all(re.fullmatch(r"\d\d:\d\d", stamp) for stamp in before), before
        later = datetime.now(UTC) + timedelta(hours=3, minutes=17)
        await page.clock.set_fixed_time(later)  # what "now" is for the reloaded page
        await page.reload()
        after = await stamps(page, "/start")
        now_there = await page.evaluate("new Date().toTimeString().slice(0, 5)")
        await page.screenshot(path=str(screenshot_dir / "webchat-reloaded.png"))
    finally:
        await page.close()
    assert now_there not in before  # the page's clock did move
    assert after == before
