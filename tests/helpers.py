"""Small helpers for tests: seed data straight into storage."""

from __future__ import annotations

from storage.db import Database
from storage.models import Institution


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
