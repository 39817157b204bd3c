"""The demo's confirmed focal points and its closed survey with stored results.

Six institutions of the sample network get a confirmed focal point (named by role and
institution, never by a person's name), so the open institution survey has institutions
invited, and a survey that closed ten days ago holds their answers: /results and the Mini
App's survey board show something at once. The confirmations and the answers go through
storage as an organizer's and the focal points' would; the survey is closed last (the
running bot's survey job would close it before the answers were in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.enums import SurveyStatus
from bot.devtools.local import LocalBot
from storage import memberships
from storage import surveys as store
from storage.db import Database
from storage.institutions import get_institution
from storage.members import TelegramIdentity, ensure_member, get_member, update_member
from storage.models import Question, Survey

CLOSED_SURVEY = "training-priorities"
OPENED_BEFORE = timedelta(days=40)
CLOSED_BEFORE = timedelta(days=10)
DEMO_ACTOR = memberships.Actor(0, "demo")
ROLE_NAME = {"es": "Punto focal", "pt": "Ponto focal", "en": "Focal point"}


@dataclass(frozen=True)
class FocalPoint:
    user_id: int
    institution: str
    language: str
    answers: dict[str, Any]  # question id -> stored value
    sent: bool = True  # False: left in progress when the survey closed


FOCAL_POINTS = (
    FocalPoint(
        3001,
        "senai",
        "pt",
        {
            "area": "digital",
            "readiness": 4,
            "online-courses": "yes",
            "trainers": 120,
            "initiative": "Trilhas de formação em IA para docentes",
        },
    ),
    FocalPoint(
        3002,
        "sena",
        "es",
        {
            "area": "green",
            "readiness": 3,
            "online-courses": "yes",
            "trainers": 85,
            "initiative": "Red de centros de formación en energías renovables",
        },
    ),
    FocalPoint(
        3003,
        "infotep",
        "es",
        {"area": "apprenticeships", "readiness": 4, "online-courses": "no", "trainers": 40},
    ),
    FocalPoint(
        3004,
        "heart-nsta",
        "en",
        {
            "area": "care",
            "readiness": 2,
            "online-courses": "yes",
            "trainers": 25,
            "initiative": "Certified caregiver pathway with employers",
        },
    ),
    FocalPoint(
        3005,
        "inefop",
        "es",
        {"area": "digital", "readiness": 5, "online-courses": "yes", "trainers": 30},
    ),
    FocalPoint(3006, "senati", "es", {"area": "digital", "readiness": 3}, sent=False),
)


def _texts(es: str, pt: str, en: str) -> dict[str, str]:
    return {"es": es, "pt": pt, "en": en}


def _option(option_id: str, es: str, pt: str, en: str) -> dict[str, Any]:
    return {"id": option_id, "text": _texts(es, pt, en)}


def _questions() -> list[Question]:
    return [
        Question(
            survey_id=CLOSED_SURVEY,
            id="area",
            position=0,
            kind="single",
            text=_texts(
                "¿Qué área tendrá prioridad en tu institución el próximo año?",
                "Que área terá prioridade na sua instituição no próximo ano?",
                "Which area will your institution give priority to next year?",
            ),
            options=[
                _option(
                    "digital",
                    "Transformación digital",
                    "Transformação digital",
                    "Digital transformation",
                ),
                _option("green", "Empleos verdes", "Empregos verdes", "Green jobs"),
                _option("care", "Economía del cuidado", "Economia do cuidado", "Care economy"),
                _option(
                    "apprenticeships",
                    "Aprendizajes de calidad",
                    "Aprendizagem de qualidade",
                    "Quality apprenticeships",
                ),
            ],
        ),
        Question(
            survey_id=CLOSED_SURVEY,
            id="readiness",
            position=1,
            kind="scale",
            text=_texts(
                "¿Qué tan preparada está tu institución para certificar competencias "
                "adquiridas en el trabajo? (1 = nada, 5 = del todo)",
                "Quão preparada está a sua instituição para certificar competências "
                "adquiridas no trabalho? (1 = nada, 5 = totalmente)",
                "How ready is your institution to certify skills learnt at work? "
                "(1 = not at all, 5 = fully)",
            ),
            min_value=1,
            max_value=5,
        ),
        Question(
            survey_id=CLOSED_SURVEY,
            id="online-courses",
            position=2,
            kind="yesno",
            text=_texts(
                "¿Ofrecerá tu institución nuevos cursos en línea?",
                "A sua instituição oferecerá novos cursos on-line?",
                "Will your institution offer new online courses?",
            ),
        ),
        Question(
            survey_id=CLOSED_SURVEY,
            id="trainers",
            position=3,
            kind="number",
            text=_texts(
                "¿Cuántos docentes participarán en los cursos de la red?",
                "Quantos docentes participarão dos cursos da rede?",
                "How many trainers will take part in the network's courses?",
            ),
            min_value=0,
            max_value=5000,
        ),
        Question(
            survey_id=CLOSED_SURVEY,
            id="initiative",
            position=4,
            kind="text",
            required=False,
            max_length=500,
            text=_texts(
                "Una iniciativa para compartir con la red (opcional)",
                "Uma iniciativa para compartilhar com a rede (opcional)",
                "One initiative to share with the network (optional)",
            ),
        ),
    ]


async def add_demo_results(running: LocalBot) -> None:
    """The focal points (known to the emulator, so that what the bot sends them arrives)
    and the closed survey with their answers."""
    now = running.services.now()
    for point in FOCAL_POINTS:  # first: the survey job may invite them at once
        running.emulator.user(
            user_id=point.user_id,
            first_name=ROLE_NAME[point.language],
            last_name=point.institution.upper(),
            language_code=point.language,
        )
    await add_focal_points(running.db, now, running.settings.default_timezone)
    await add_closed_survey(running.db, now)


async def add_focal_points(db: Database, now: datetime, default_timezone: str) -> None:
    """A confirmed focal point for each institution of :data:`FOCAL_POINTS` (as a member's
    claim and an organizer's confirmation would make them)."""
    for point in FOCAL_POINTS:
        institution = await get_institution(db, point.institution)
        assert institution is not None, point.institution
        name = ROLE_NAME[point.language]
        who = TelegramIdentity(
            point.user_id, point.user_id, name, institution.acronym, None, point.language
        )
        await ensure_member(db, who, default_timezone=default_timezone)
        await update_member(db, point.user_id, timezone=institution.timezone, onboarded=True)
        await memberships.claim_institution(db, point.user_id, point.institution, now)
        await memberships.decide(
            db, point.user_id, point.institution, DEMO_ACTOR, now, confirm=True
        )


async def add_closed_survey(db: Database, now: datetime) -> None:
    """The closed survey: opened forty days ago, answered by the focal points (all but one
    sent), closed ten days ago."""
    opened, closed = now - OPENED_BEFORE, now - CLOSED_BEFORE
    survey = Survey(
        id=CLOSED_SURVEY,
        title=_texts(
            "Prioridades de formación para el próximo ciclo",
            "Prioridades de formação para o próximo ciclo",
            "Training priorities for the next cycle",
        ),
        intro=_texts(
            "Una respuesta por institución, del punto focal.",
            "Uma resposta por instituição, do ponto focal.",
            "One answer per institution, from its focal point.",
        ),
        respondent="institution",
        audience=["all"],
        opens_at=opened,
        closes_at=None,  # until answered: the running bot's survey job would close it
        status="open",
        launched_at=opened,
        auto_open=False,
        updated_at=opened,
    )
    await store.create_survey(db, survey, _questions(), actor_id=0, actor_name="demo")
    for number, point in enumerate(FOCAL_POINTS):
        await _answer(db, survey, point, opened + timedelta(days=2 + 3 * number))
    async with db.session() as session:  # then closed, as the job closes one at its time
        stored = await session.get(Survey, CLOSED_SURVEY)
        assert stored is not None
        stored.closes_at, stored.status, stored.updated_at = closed, SurveyStatus.closed, closed


async def _answer(db: Database, survey: Survey, point: FocalPoint, at: datetime) -> None:
    member = await get_member(db, point.user_id)
    assert member is not None
    response = await store.start_response(db, survey, member, at)
    assert response.id is not None
    for question_id, value in point.answers.items():
        problem = await store.save_answer(
            db, response.id, question_id, value, member_id=point.user_id, now=at, current=None
        )
        assert problem is None, problem
    if point.sent:
        assert await store.submit(db, response.id, at + timedelta(minutes=5)) is None
