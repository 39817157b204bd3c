"""Small helpers for tests: seed data straight into storage; the web demo's world."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.devtools.local import LocalBot, local_bot
from bot.devtools.webchat import WebChat, public_webapp_url, start_demo_world
from bot.devtools.webchat.personas import DEMO_ADMIN_ID
from storage.db import Database
from storage.models import Institution
from tests.ports import free_port


async def seed_institutions(db: Database) -> None:
    async with db.session() as session:
        for inst in (
            Institution(
                id="senai",
                acronym="SENAI",
                country="BR",
                timezone="America/Sao_Paulo",
                name={"pt": "Serviço Nacional de Aprendizagem Industrial"},
                languages=["pt"],
            ),
            Institution(
                id="inefop",
                acronym="INEFOP",
                country="UY",
                timezone="America/Montevideo",
                name={"es": "Instituto Nacional de Empleo y Formación Profesional"},
                languages=["es"],
            ),
            Institution(
                id="utu",
                acronym="UTU",
                country="UY",
                timezone="America/Montevideo",
                name={"es": "Universidad del Trabajo del Uruguay"},
                languages=["es"],
            ),
            Institution(
                id="sena",
                acronym="SENA",
                country="CO",
                timezone="America/Bogota",
                name={"es": "Servicio Nacional de Aprendizaje"},
                languages=["es"],
            ),
            Institution(
                id="fundae",
                acronym="Fundae",
                country="ES",
                timezone="Europe/Madrid",
                name={"es": "Fundación Estatal para la Formación en el Empleo"},
                languages=["es"],
            ),
        ):
            session.add(inst)


def language_button(message: object, name: str) -> str:
    """The label of a language button: the guessed language is offered once, ticked first."""
    texts = message.button_texts()  # type: ignore[attr-defined]
    return f"✅ {name}" if f"✅ {name}" in texts else name


@contextlib.asynccontextmanager
async def demo_world(tmp_path: Path) -> AsyncIterator[tuple[LocalBot, str]]:
    """The web demo's world (its people known to the emulator, as the web chat makes them)
    on a fresh SQLite database, with the bot's HTTP server: the bot and its base URL."""
    http_port = free_port()
    async with local_bot(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        admin_ids=(DEMO_ADMIN_ID,),
        http_port=http_port,
        webapp_url=public_webapp_url(http_port),
    ) as running:
        WebChat(running.emulator)
        await start_demo_world(running)
        yield running, f"http://127.0.0.1:{http_port}"
