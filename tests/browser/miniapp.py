"""Helpers of the Mini App browser tests: the bot with the sample network on a free port,
members, signed launch URLs, a phone-sized page that may not reach anything but 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from bot.core.enums import Role
from bot.devtools.local import LocalBot, local_bot
from bot.devtools.sample import load_sample_data
from bot.webapp.auth import sign_init_data
from storage.members import TelegramIdentity, ensure_member, set_role, update_member
from tests.browser.conftest import PHONE
from tests.ports import free_port

LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#1c1c1e",
    "hint_color": "#707579",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f0f1f5",
}
DARK = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


@asynccontextmanager
async def sample_bot(
    database_url: str, *, sample: bool = True
) -> AsyncIterator[tuple[LocalBot, str]]:
    """The bot serving the Mini App on a free loopback port, with the sample network."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with local_bot(
        database_url=database_url, http_port=port, webapp_url="https://miniapp.example.org/app/"
    ) as bot:
        if sample:
            await load_sample_data(bot.db, bot.settings, now=bot.services.now())
        yield bot, base


async def add_member(
    bot: LocalBot,
    user_id: int,
    *,
    language: str,
    zone: str,
    institution: str | None = None,
    role: Role = Role.member,
) -> None:
    bot.emulator.user(
        user_id=user_id, first_name="Ana", language_code=language
    )  # reachable by the bot
    who = TelegramIdentity(user_id=user_id, chat_id=user_id, first_name="Ana", language=language)
    await ensure_member(bot.db, who, default_timezone=zone)
    await update_member(
        bot.db,
        user_id,
        language=language,
        timezone=zone,
        onboarded=True,
        institution_id=institution,
        verified_institution_id=institution,
    )
    if role is not Role.member:
        await set_role(bot.db, user_id, role)


def init_data(bot: LocalBot, user_id: int, language: str, *, token: str | None = None) -> str:
    user = {"id": user_id, "first_name": "Ana", "language_code": language}
    return sign_init_data(
        token or bot.emulator.token, {"auth_date": int(time.time()), "user": user}
    )


def launch_url(base: str, data: str, theme: dict[str, str] | None = None, query: str = "") -> str:
    """The page as Telegram opens it: launch parameters in the fragment; ``query`` is what
    the bot's "Open the app" buttons add (``view=event&id=...``)."""
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=web"
    if theme is not None:
        fragment += "&tgWebAppThemeParams=" + quote(json.dumps(theme), safe="")
    return f"{base}/app/{'?' + query if query else ''}#{fragment}"


class Phone:
    """A 390x844 page; every request to another host than 127.0.0.1 is aborted and listed."""

    def __init__(self, page: Any, context: Any) -> None:
        self.page = page
        self.context = context
        self.outside: list[str] = []
        self.errors: list[str] = []

    async def open(self, url: str, *, dark: bool = False) -> None:
        """Loads ``url`` afresh (a new fragment alone would not reload the page)."""
        await self.page.emulate_media(color_scheme="dark" if dark else "light")
        await self.page.goto("about:blank")
        await self.page.goto(url)

    async def shot(self, directory: Path, name: str) -> Path:
        path = directory / f"{name}.png"
        await self.page.screenshot(path=str(path))
        return path


@asynccontextmanager
async def phone(browser: Any, *, dark: bool = False) -> AsyncIterator[Phone]:
    context = await browser.new_context(
        viewport=PHONE,
        device_scale_factor=1,
        color_scheme="dark" if dark else "light",
        accept_downloads=True,
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    handle = Phone(page, context)

    async def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            handle.outside.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", guard)
    page.on("pageerror", lambda error: handle.errors.append(str(error)))
    try:
        yield handle
    finally:
        await context.close()
    assert handle.outside == [], f"requests left 127.0.0.1: {handle.outside}"
    assert handle.errors == [], f"script errors in the page: {handle.errors}"
