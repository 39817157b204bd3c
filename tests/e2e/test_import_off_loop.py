"""End-to-end: while a big (~4.5 MB, generated) /import is being read and checked, another
member's /help is answered within a second: the check runs in a worker process."""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import pytest

from bot.devtools.local import LocalBot
from storage import catalog
from tests.conftest import ADMIN_ID

ANSWER = "Abra la página del curso, complete el formulario y espere la confirmación. " * 40


def big_network(records: int) -> bytes:
    """A legal file of FAQ entries with long answers (each under the 4,000-character cap)."""
    lines = ["version: 1", "faq:"]
    for n in range(records):
        lines += [
            f"  - id: faq-{n}",
            f"    question: {{es: '¿Cómo me inscribo en el curso número {n}?'}}",
            f"    answer: {{es: '{ANSWER.strip()}'}}",
        ]
    return ("\n".join(lines) + "\n").encode()


async def checking(timeout: float) -> bool:
    """True once the import's worker process runs (it is a child of this test process)."""
    deadline = time.monotonic() + timeout
    while not any(p.name == "import-check" for p in multiprocessing.active_children()):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@pytest.mark.strict_api
@pytest.mark.timeout(300)
async def test_help_is_answered_while_a_big_import_is_checked(bot: LocalBot) -> None:
    content = big_network(1500)
    assert 4_000_000 < len(content) < 5 * 1024 * 1024
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send_document("network.yaml", content, caption="/import")
    assert await checking(30), "the import never started its worker process"
    # A new member each time: the bot keeps one message a second per chat (Telegram's limit).
    for user_id in range(4101, 4106):
        member = bot.emulator.user(user_id=user_id, first_name="Ana", language_code="en")
        started = time.monotonic()
        await member.send("/help")
        answer = await member.next_message(timeout=5)
        waited = time.monotonic() - started
        assert "/settings" in answer.text
        assert waited < 1.0, f"/help took {waited:.2f} s during the import"
        assert await checking(0), "the import was over before /help: the test shows nothing"
    summary = await admin.next_message(timeout=240)
    assert "FAQ: 1,500 created, 0 updated, 0 unchanged" in summary.text
    _, _, faq = await catalog.all_catalog(bot.db)
    assert len(faq) == 1500
