"""Headless Chromium (Debian's ``chromium`` package) driven by Playwright for Python.

Playwright's own browser download cannot work here, so the system browser is used through
``executable_path``. Tests here skip, saying why, when no Chromium is installed, and fail
then when ``REQUIRE_BROWSER`` is set (`.ci/run` installs Chromium and sets it).
Screenshots go to ``SCREENSHOTS``
(``build/screenshots`` by default).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", "build/screenshots"))
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[object]:
    """A headless Chromium; skips the test when none is installed."""
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium missing though REQUIRE_BROWSER is set (apt-get install chromium)")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=path, args=FLAGS)
        try:
            yield instance
        finally:
            await instance.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
