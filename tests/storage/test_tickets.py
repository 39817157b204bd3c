"""Tickets in storage, on SQLite and PostgreSQL: the first answer wins even when two
organizers answer at the same moment, the state machine refuses what it should, the daily
limit holds, and a learned FAQ entry changes the answerer's stamp."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.core.enums import TicketStatus
from storage import learning
from storage import tickets as store
from storage.db import Database
from storage.erasure import erase_member
from storage.members import TelegramIdentity, ensure_member
from storage.models import Member
from storage.privacy import export_member

NOW = datetime(2030, 5, 1, 12, tzinfo=UTC)


async def asker(db: Database, user_id: int = 501) -> Member:
    who = TelegramIdentity(user_id=user_id, chat_id=user_id, first_name="Ana", language="pt")
    member, _ = await ensure_member(db, who, default_timezone="UTC", admin_ids=())
    return member


async def new_ticket(db: Database, member: Member, now: datetime = NOW) -> int:
    ticket = await store.open_ticket(
        db, member, "Posso levar meu cachorro?", institution="SENAI", name="Ana", now=now
    )
    assert ticket is not None and ticket.id is not None
    return ticket.id


async def test_two_organizers_answering_at_once_do_not_collide(db: Database) -> None:
    ticket_id = await new_ticket(db, await asker(db))
    for _ in range(3):  # several rounds: a race that happens to serialize proves little
        results = await asyncio.gather(
            *(
                store.claim_answer(db, ticket_id, 900 + i, f"Org{i}", f"answer {i}", NOW)
                for i in range(4)
            )
        )
        winners = [r for r in results if r.done]
        assert len(winners) == 1
        ticket = await store.get_ticket(db, ticket_id)
        assert ticket is not None and ticket.status == TicketStatus.answered
        assert ticket.answer == f"answer {ticket.answered_by - 900}"  # type: ignore[operator]
        assert all(
            r.ticket is not None and r.ticket.answered_by_name == ticket.answered_by_name
            for r in results
        )
        notes = [n for n in await store.notes_of(db, ticket_id) if n.author == "organizer"]
        assert notes[-1].author_name == ticket.answered_by_name
        assert (await store.member_wrote(db, ticket_id, "e mais?", NOW)).done  # open again
    assert len([n for n in await store.notes_of(db, ticket_id) if n.author == "organizer"]) == 3


async def test_closed_tickets_refuse_answers_until_reopened(db: Database) -> None:
    ticket_id = await new_ticket(db, await asker(db))
    assert (await store.close_ticket(db, ticket_id, NOW)).done
    assert not (await store.close_ticket(db, ticket_id, NOW)).done
    assert not (await store.claim_answer(db, ticket_id, 900, "Org", "late", NOW)).done
    assert not (await store.member_wrote(db, ticket_id, "hello?", NOW)).done
    assert (await store.reopen_ticket(db, ticket_id, NOW)).done
    assert (await store.claim_answer(db, ticket_id, 900, "Org", "now", NOW)).done
    assert await learning.faq_from_ticket(db, ticket_id, 900, NOW) is not None


async def test_daily_limit_and_learned_faq_stamp(db: Database) -> None:
    member = await asker(db)
    for _ in range(store.DAILY_LIMIT):
        await new_ticket(db, member)
    assert await store.open_ticket(db, member, "again", institution="", name="", now=NOW) is None
    assert await new_ticket(db, member, NOW + timedelta(days=1, seconds=1))
    before = await learning.learning_stamp(db)
    assert await learning.faq_from_ticket(db, 1, 900, NOW) is None  # no answer yet
    await store.claim_answer(db, 1, 900, "Org", "Sim.", NOW)
    faq = await learning.faq_from_ticket(db, 1, 900, NOW)
    assert faq is not None and faq.answer == {"pt": "Sim."}
    assert await learning.learning_stamp(db) != before
    assert await learning.missing_languages(db, ("es", "pt", "en")) == [(faq.id, ["es", "en"])]
    await learning.set_faq_language(db, faq.id, "es", "¿Perro?", "Sí.", NOW)
    assert await learning.missing_languages(db, ("es", "pt")) == []
    assert await learning.add_phrasing(db, "faq", faq.id, "pt", "cachorro pode?", 900, NOW)
    assert not await learning.add_phrasing(db, "faq", faq.id, "pt", "cachorro pode?", 900, NOW)


def test_cli_lists_shows_closes_and_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)

    async def seed() -> None:
        db = Database(url)
        await db.upgrade()
        ticket_id = await new_ticket(db, await asker(db))
        await store.claim_answer(db, ticket_id, 900, "Olga", "=Sim, com coleira.", NOW)
        await db.dispose()

    asyncio.run(seed())
    assert main(["tickets", "list"]) == 0
    assert "#1\tanswered\tpt" in capsys.readouterr().out
    assert main(["tickets", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "Posso levar meu cachorro?" in shown and "Olga" in shown and "SENAI" in shown
    assert main(["tickets", "close", "#1"]) == 0
    assert "closed" in capsys.readouterr().out
    assert main(["tickets", "show", "x1"]) == 2 and main(["tickets", "show", "7"]) == 1
    target = tmp_path / "questions.csv"
    assert main(["tickets", "export", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[0]["question"] == "Posso levar meu cachorro?" and rows[0]["status"] == "closed"
    assert rows[0]["answer"] == "'=Sim, com coleira."  # never a spreadsheet formula


async def test_erasure_empties_the_tickets_personal_parts_and_export_has_them(
    db: Database,
) -> None:
    member = await asker(db)
    ticket_id = await new_ticket(db, member)
    await store.claim_answer(db, ticket_id, 900, "Olga", "Sim, com coleira.", NOW)
    await store.member_wrote(db, ticket_id, "Obrigada, Ana Pereira", NOW)
    await store.add_post(db, ticket_id, 900, 17)
    await learning.record_feedback(db, member.user_id, "faq", "visa", "faq", False, NOW)
    exported = await export_member(db, member.user_id)
    (mine,) = exported["tickets"]
    assert mine["question"] == "Posso levar meu cachorro?"
    assert [n["text"] for n in mine["conversation"]][-1] == "Obrigada, Ana Pereira"

    await erase_member(db, member.user_id)
    ticket = await store.get_ticket(db, ticket_id)
    assert ticket is not None and ticket.erased and ticket.member_id is None
    assert (ticket.question, ticket.member_name, ticket.institution, ticket.chat_id) == (
        "",
        "",
        "",
        None,
    )
    assert ticket.answer == "Sim, com coleira."  # what the organizers wrote stays
    assert [n.author for n in await store.notes_of(db, ticket_id)] == ["organizer"]
    per_faq, _ = await learning.feedback_counts(db)
    assert [(v.key, v.unhelpful) for v in per_faq] == [("visa", 1)]  # the vote, without them

    await erase_member(db, 900)  # the organizer: their name and private copy go
    ticket = await store.get_ticket(db, ticket_id)
    assert ticket is not None and ticket.answered_by is None and ticket.answered_by_name != "Olga"
    assert await store.posts_of(db, ticket_id) == []
