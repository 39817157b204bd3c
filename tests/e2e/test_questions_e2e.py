"""Questions answered like a colleague would, end to end over the emulator: every fact a
record holds, asked in each language, is stated in the reply; small talk gets a short
reply and is never kept as unanswered; weekday and month questions find that time's events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.devtools.emulator import EmulatedUser
from bot.devtools.local import LocalBot
from tests.conftest import ADMIN_ID
from tests.e2e.helpers import bot_at, cli_env, member_in, run_cli

NETWORK = """
version: 1
courses:
  - id: green-2020
    title: {es: "Empleos verdes", pt: "Empregos verdes", en: "Green jobs"}
    summary: {es: "Formación para la transición justa.", pt: "Formação para a transição justa.",
              en: "Training for a just transition."}
    topics: [green-jobs]
    modality: blended
    pace: self-paced
    languages: [es, pt]
    starts: 2020-04-06
    ends: 2020-05-29
    hours: 40
    enroll_by: 2020-03-30
    enroll_url: https://example.org/green
    cost: {es: free, pt: free, en: free}
    certificate: true
    provider: INEFOP
events:
  - id: vc-2020-03-26
    title: {es: "COVID-19: la respuesta de las IFP", pt: "COVID-19: a resposta das IFP",
            en: "COVID-19: the response of VTIs"}
    starts: 2020-03-26T14:00
    ends: 2020-03-26T15:30
    timezone: America/Montevideo
    platform: Webex
    join_url: https://example.org/j/123
    reminders: ["1h"]
  - id: meeting-2020-04-14
    kind: meeting
    title: {es: "Encuentro de formación dual", pt: "Encontro de formação dual",
            en: "Dual training meeting"}
    starts: 2020-04-14T09:00
    ends: 2020-04-14T17:00
    timezone: America/Lima
    location: "SENATI, Lima"
""".encode()
NOW = datetime(2020, 3, 20, 15, 0, tzinfo=UTC)  # a Friday

FACTS = {
    "es": [
        ("¿cuándo empieza el curso de empleos verdes?", "6 de abril de 2020"),
        ("a qué hora es la videoconferencia sobre covid?", "14:00 (Montevideo)"),
        ("cuánto dura la videoconferencia sobre covid?", "1 hora y 30 minutos"),
        ("qué plataforma usa la videoconferencia sobre covid?", "Webex"),
        ("dónde es el encuentro de formación dual?", "SENATI, Lima"),
        ("link de la videoconferencia sobre covid", "https://example.org/j/123"),
        ("cómo me inscribo al curso de empleos verdes?", "https://example.org/green"),
        ("hasta cuándo me puedo inscribir al curso de empleos verdes?", "30 de marzo"),
        ("cuánto cuesta el curso de empleos verdes?", "Gratuito"),
        ("el curso de empleos verdes da certificado?", "certificado"),
        ("cuántas horas tiene el curso de empleos verdes?", "40"),
        ("el curso de empleos verdes es presencial?", "semipresencial"),
        ("en qué idioma se dicta el curso de empleos verdes?", "Portugués"),
        ("quién ofrece el curso de empleos verdes?", "INEFOP"),
        ("hay recordatorios de la videoconferencia sobre covid?", "1 hora"),
    ],
    "pt": [
        ("quando começa o curso de empregos verdes?", "6 de abril de 2020"),
        ("que horas é a videoconferência sobre covid?", "14:00 (Montevid"),
        ("quanto tempo dura a videoconferência sobre covid?", "1 hora e 30 minutos"),
        ("qual plataforma usa a videoconferência sobre covid?", "Webex"),
        ("onde vai ser o encontro de formação dual?", "SENATI, Lima"),
        ("link da videoconferência sobre covid", "https://example.org/j/123"),
        ("como me inscrevo no curso de empregos verdes?", "https://example.org/green"),
        ("até quando posso me inscrever no curso de empregos verdes?", "30 de março"),
        ("quanto custa o curso de empregos verdes?", "Gratuito"),
        ("o curso de empregos verdes dá certificado?", "certificado"),
        ("quantas horas tem o curso de empregos verdes?", "40"),
        ("o curso de empregos verdes é presencial?", "semipresencial"),
        ("em que idioma é ministrado o curso de empregos verdes?", "Espanhol"),
        ("quem oferece o curso de empregos verdes?", "INEFOP"),
        ("vai ter lembretes da videoconferência sobre covid?", "1 hora"),
    ],
    "en": [
        ("when does the green jobs course start?", "April 6, 2020"),
        ("what time is the covid videoconference?", "2:00\u202fPM (Montevideo)"),
        ("how long is the covid videoconference?", "30 minutes"),
        ("which platform is the covid videoconference on?", "Webex"),
        ("where is the dual training meeting?", "SENATI, Lima"),
        ("link for the covid videoconference", "https://example.org/j/123"),
        ("how do I enrol in the green jobs course?", "https://example.org/green"),
        ("what is the deadline for the green jobs course?", "March 30"),
        ("how much does the green jobs course cost?", "Free"),
        ("does the green jobs course give a certificate?", "certificate"),
        ("how many hours is the green jobs course?", "40"),
        ("is the green jobs course in person?", "blended"),
        ("in which language is the green jobs course taught?", "Portuguese"),
        ("who offers the green jobs course?", "INEFOP"),
        ("will there be reminders for the covid videoconference?", "1 hour"),
    ],
}


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with bot_at(sqlite_url, NOW) as running:
        admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
        await admin.send_document("network.yaml", NETWORK, caption="/import")
        assert "Import done" in (await admin.next_message()).text
        yield running


async def member(bot: LocalBot, user_id: int, language: str) -> EmulatedUser:
    return await member_in(bot, user_id, "America/Montevideo", language)


@pytest.mark.strict_api
@pytest.mark.parametrize("language", ["es", "pt", "en"])
async def test_every_fact_kind_is_stated(bot: LocalBot, language: str) -> None:
    user = await member(bot, 7100 + len(language) + ord(language[0]), language)
    missing = []
    for question, fact in FACTS[language]:
        await user.send(question)
        answer = await user.next_message()
        if fact not in answer.text:
            missing.append(f"{question!r}: {fact!r} not in {answer.text!r}")
    assert not missing, "\n".join(missing)


@pytest.mark.strict_api
async def test_small_talk_is_answered_briefly_and_not_kept(bot: LocalBot) -> None:
    user = await member(bot, 7201, "es")
    for text, expected in [
        ("hola", "Pregúntame"),
        ("gracias", "De nada"),
        ("2", "Pregúntame"),
        ("hi", "Pregúntame"),  # in the member's language, whatever the greeting's
        ("thanks!", "De nada"),
        ("obrigado", "De nada"),
        ("chau", "Hasta pronto"),  # a goodbye is not answered with a greeting
        ("bye", "Hasta pronto"),
        ("what is the weather in Lima", "fuera"),
    ]:
        await user.send(text)
        answer = await user.next_message()
        assert expected in answer.text, (text, answer.text)
        assert "organiza" not in answer.text
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/unanswered")
    assert "No unanswered questions" in (await admin.next_message()).text


@pytest.mark.strict_api
@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("es", "link de la videoconferencia del jueves"),
        ("pt", "link da videoconferência de quinta?"),
        ("en", "whats the link for thursdays videoconference"),
    ],
)
async def test_weekday_question_finds_that_days_event(
    bot: LocalBot, language: str, question: str
) -> None:
    user = await member(bot, 7300 + ord(language[0]), language)
    await user.send(question)
    assert "https://example.org/j/123" in (await user.next_message()).text


@pytest.mark.strict_api
@pytest.mark.parametrize(
    ("language", "question", "header"),
    [
        ("es", "qué actividades hay en abril?", "Actividades"),
        ("pt", "quais eventos tem em abril?", "Atividades"),
        ("en", "what events are there in april?", "What is on"),
    ],
)
async def test_month_question_lists_its_activities(
    bot: LocalBot, language: str, question: str, header: str
) -> None:
    user = await member(bot, 7400 + ord(language[0]), language)
    await user.send(question)
    answer = (await user.next_message()).text
    assert header in answer and "/event meeting-2020-04-14" in answer


def test_ask_command_replies_in_the_questions_language_as_plain_text(tmp_path: Path) -> None:
    env = cli_env(tmp_path, DEFAULT_LANGUAGE="es")
    network = tmp_path / "network.yaml"
    network.write_bytes(NETWORK)
    assert run_cli(["import", str(network)], env, tmp_path).returncode == 0
    asked = run_cli(["ask", "who offers the green jobs course?"], env, tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert "Offered by: INEFOP" in asked.stdout  # English, as the question
    assert "<b>" not in asked.stdout and "&#x27;" not in asked.stdout
    for bad in (["--timezone", "Mars/X"], ["--lang", "fr"]):
        refused = run_cli(["ask", *bad, "hola"], env, tmp_path)
        assert refused.returncode == 2
        assert refused.stderr.strip().count("\n") == 0 and "error:" in refused.stderr
        assert "Traceback" not in refused.stderr
