"""What the benchmarks put in a scratch database besides members (``harness.add_members``):
the sample network, the 10-question bench survey and its submitted responses, and the
test broadcast."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.devtools.sample import sample_bytes
from bot.importer.load import run_import
from bot.messaging.compose import split_html
from storage import broadcasts
from storage.db import Database
from storage.models import Broadcast, Response
from storage.types import utcnow

OPTIONS = "\n".join(f"          - {{id: o{i}, text: Opción {i}}}" for i in range(1, 5))
QUESTIONS = "\n".join(
    f"""      - id: q{n}
        kind: {kind}
        text: {{es: "Pregunta {n}"}}
{extra}"""
    for n, kind, extra in [
        (1, "single", f"        options:\n{OPTIONS}"),
        (2, "scale", "        min: 1\n        max: 5"),
        (3, "yesno", ""),
        (4, "single", f"        options:\n{OPTIONS}"),
        (5, "scale", "        min: 0\n        max: 10"),
        (6, "yesno", ""),
        (7, "single", f"        options:\n{OPTIONS}"),
        (8, "scale", "        min: 1\n        max: 5"),
        (9, "yesno", ""),
        (10, "number", "        min: 0\n        max: 100"),
    ]
)


def survey_file(closes: str) -> bytes:
    return f"""version: 1
surveys:
  - id: bench
    title: {{es: "Encuesta de prueba"}}
    respondent: member
    audience: all
    closes: {closes}
    timezone: America/Montevideo
    questions:
{QUESTIONS}
""".encode()


async def import_survey(db: Database) -> None:
    """The survey ``bench`` (open, closing in three days), imported as from a data file."""
    closes = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    outcome = await run_import(
        db,
        [("s.yaml", survey_file(closes))],
        default_language="es",
        default_timezone="America/Montevideo",
    )
    assert outcome.ok, outcome.errors


async def add_responses(session: AsyncSession, members: Sequence[int], now: datetime) -> None:
    """One submitted response to ``bench`` per member, with ids 1, 2, ... in their order
    (the answers are each benchmark's own)."""
    await session.exec(
        insert(Response).values(
            [
                {
                    "id": n + 1,
                    "survey_id": "bench",
                    "respondent_key": f"member:{i}",
                    "member_id": i,
                    "status": "submitted",
                    "started_at": now,
                    "submitted_at": now,
                    "updated_at": now,
                }
                for n, i in enumerate(members)
            ]
        )
    )


async def import_sample(db: Database) -> None:
    """The sample network (courses, events, FAQ) the members' questions are answered from."""
    await run_import(
        db,
        [("network.yaml", sample_bytes(utcnow()))],
        default_language="es",
        default_timezone="America/Montevideo",
    )


async def bench_broadcast(db: Database) -> Broadcast:
    """A broadcast to every Spanish-speaking member, queued in the outbox now."""
    return await broadcasts.create_broadcast(
        db,
        created_by=0,
        actor_name="bench",
        texts={"es": "Aviso de la red: <b>prueba</b>"},
        audience=["language:es"],
        now=utcnow(),
        default_language="es",
        split=split_html,
    )
