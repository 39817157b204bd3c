"""The demo's survey board in the Mini App (headless Chromium), as its organizer sees it:
the closed survey's results at once, every survey's "answered of invited" line, no rate
over 100 %, and an honest line for a survey nobody was invited to."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.i18n import Translator
from bot.devtools.demo_results import CLOSED_SURVEY, FOCAL_POINTS
from bot.devtools.local import LocalBot
from bot.devtools.webchat.personas import ORGANIZER_ID
from storage import surveys as store
from storage.models import Question, Survey
from tests.browser.miniapp import init_data, launch_url, phone
from tests.helpers import demo_world

pytestmark = pytest.mark.strict_api
NOBODY = "utec-only"  # an institution survey for an institution without a focal point
PERCENT = re.compile(r"(\d+)\s?%")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[LocalBot, str]]:
    async with demo_world(tmp_path) as (running, base):
        now = running.services.now()
        survey = Survey(
            id=NOBODY,
            title={"es": "Solo UTEC", "pt": "Só UTEC", "en": "UTEC only"},
            respondent="institution",
            audience=["institution:utec"],
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=9),
            status="open",
            updated_at=now,
        )
        question = Question(survey_id=NOBODY, id="q", kind="yesno", text={"es": "¿Sí?"})
        await store.create_survey(running.db, survey, [question], actor_id=0, actor_name="test")
        yield running, base


async def test_the_demo_board_is_honest(
    browser: Any, world: tuple[LocalBot, str], screenshot_dir: Path
) -> None:
    running, base = world
    tr = Translator("es")
    sent, invited = sum(1 for p in FOCAL_POINTS if p.sent), len(FOCAL_POINTS)
    async with phone(browser) as device:
        page = device.page
        await device.open(launch_url(base, init_data(running, ORGANIZER_ID, "es")))
        await page.locator('[data-tab="board"]').click()
        closed = page.locator(f'[data-board="{CLOSED_SURVEY}"]')
        await closed.wait_for()
        expected = tr("{responses} of {invited} institutions answered")
        expected = expected.format(responses=sent, invited=invited)
        assert expected in await closed.inner_text()
        nobody = page.locator(f'[data-board="{NOBODY}"]')
        assert tr("No institutions invited yet") in await nobody.inner_text()
        assert not PERCENT.search(await nobody.inner_text())  # no rate without anyone invited
        rates = [int(n) for n in PERCENT.findall(await page.locator("main").inner_text())]
        assert rates and all(0 <= rate <= 100 for rate in rates), rates
        assert round(100 * sent / invited) in rates
        await device.shot(screenshot_dir, "demo-board-list")
        await closed.click()
        await page.wait_for_selector(".insts")
        assert await page.locator(".inst").count() == invited
        assert await page.locator('.inst[data-status="answered"]').count() == sent
        await page.locator(".chart img").first.wait_for(timeout=20_000)
        await device.shot(screenshot_dir, "demo-board-closed")
