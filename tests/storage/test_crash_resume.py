"""A real bot process (``python -m bot run``) killed with SIGKILL in the middle of a
broadcast, then started again: everybody gets the announcement, at most a message in flight
at the kill goes out twice. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.devtools.emulator import BotAPIEmulator, FloodLimits
from bot.messaging.compose import split_html
from storage import broadcasts, outbox
from storage.db import Database
from storage.members import TelegramIdentity, ensure_member

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 150


def start_bot(emu: BotAPIEmulator, database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "DATABASE_URL": database_url,
        "OUTBOX_LEASE_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=log.parent,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    return Counter(
        {chat_id: len(chat.messages) for chat_id, chat in emu.chats.items() if chat.messages}
    )


async def test_kill_nine_mid_broadcast_then_restart(database_url: str, tmp_path: Path) -> None:
    db = Database(database_url)
    await db.upgrade()
    emu = BotAPIEmulator(limits=FloodLimits(overall_per_second=30))
    await emu.start()
    log = tmp_path / "bot.log"
    process = None
    try:
        for user_id in range(20_000, 20_000 + RECIPIENTS):
            emu.user(user_id=user_id, language_code="es")
            await ensure_member(
                db, TelegramIdentity(user_id, user_id, f"U{user_id}"), default_timezone="UTC"
            )
        from storage.types import utcnow

        created = await broadcasts.create_broadcast(
            db,
            created_by=0,
            actor_name="test",
            texts={"es": "Aviso importante"},
            audience=["all"],
            now=utcnow(),
            default_language="es",
            split=split_html,
        )
        assert created.recipients == RECIPIENTS

        process = start_bot(emu, database_url, log)
        await emu.wait_for(lambda: sum(delivered(emu).values()) >= RECIPIENTS // 3, timeout=60)
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait, 10)
        at_kill = sum(delivered(emu).values())
        assert at_kill < RECIPIENTS  # it really died half way
        # Only rows the dead process had claimed can go twice: it may have delivered some
        # without recording it. Rows recorded as sent must never be sent again.
        claimed = (await outbox.status_counts(db, created.id)).get("sending", 0)

        process = start_bot(emu, database_url, log)
        await emu.wait_for(lambda: len(delivered(emu)) == RECIPIENTS, timeout=90)
        await asyncio.sleep(1.0)  # anything sent twice would show up now
        counts = delivered(emu)
        duplicates = sum(n - 1 for n in counts.values())
        assert set(counts) == set(range(20_000, 20_000 + RECIPIENTS))  # nobody lost
        assert duplicates <= claimed, f"{duplicates} sent twice, {claimed} claimed at the kill"
        for _ in range(50):
            if await outbox.status_counts(db, created.id) == {"sent": RECIPIENTS}:
                break
            await asyncio.sleep(0.2)
        assert await outbox.status_counts(db, created.id) == {"sent": RECIPIENTS}
    finally:
        if process is not None and process.poll() is None:
            process.terminate()  # the emulator must keep answering while it shuts down
            try:
                await asyncio.to_thread(process.wait, 15)
            except subprocess.TimeoutExpired:
                process.kill()
        await emu.stop()
        await db.dispose()
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text()[-3000:]
