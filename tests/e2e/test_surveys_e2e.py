"""End-to-end over the emulator: every question kind, show_if, one answer per institution,
resuming after a restart, closed surveys, bad input, reminders, results with a chart whose
bars match the counts, CSV and XLSX, a quick poll, and the feedback survey after an event."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.devtools.emulator import BotAPIEmulator, BotMessage, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.importer.load import run_import
from bot.jobs.reminders import scheduler_of
from storage import reminders as reminder_store
from storage import surveys as store
from storage.db import Database
from storage.members import update_member
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import seed_institutions

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SURVEYS = """
version: 1
surveys:
  - id: skills-2026
    title: {es: "Encuesta de competencias", pt: "Pesquisa de competências",
            en: "Skills survey"}
    respondent: member
    audience: all
    opens: 2026-11-30T09:00
    closes: 2026-12-10T18:00
    timezone: America/Montevideo
    remind_before: 48h
    status: draft                # launched by hand in these tests (/launch)
    questions:
      - id: mode
        kind: single
        text: {es: "¿Cómo se dicta la formación?", en: "How is training delivered?"}
        options:
          - {id: online, text: {es: En línea, en: Online}}
          - {id: mixed, text: {es: Mixta, en: Blended}}
          - {id: classroom, text: {es: Presencial, en: In person}}
      - id: platforms
        kind: multiple
        text: {es: "¿Qué plataformas usan?", en: "Which platforms?"}
        options: [{id: moodle, text: Moodle}, {id: teams, text: Teams}, {id: zoom, text: Zoom}]
        show_if: {question: mode, in: [online, mixed]}
      - id: rating
        kind: scale
        text: {es: "¿Qué tan útil fue el apoyo de la red?", en: "How useful was the support?"}
        min: 1
        max: 5
      - id: plan
        kind: yesno
        text: {es: "¿Tienen un plan de digitalización?", en: "Do you have a digital plan?"}
      - id: share
        kind: number
        text: {es: "Porcentaje de formación en línea", en: "Share of training online"}
        min: 0
        max: 100
        unit: "%"
      - id: since
        kind: date
        text: {es: "¿Desde cuándo?", en: "Since when?"}
      - id: comments
        kind: text
        text: {es: "¿Algo más?", en: "Anything else?"}
        max_length: 200
        required: false
  - id: inst-2026
    title: {es: "Encuesta institucional", en: "Institutional survey"}
    respondent: institution
    audience: all
    closes: 2026-12-10T18:00
    timezone: America/Montevideo
    questions:
      - id: staff
        kind: number
        text: {es: "¿Cuántos docentes tienen?", en: "How many teachers?"}
        min: 0
      - id: remote
        kind: yesno
        text: {es: "¿Dictan cursos a distancia?", en: "Do you teach remotely?"}
""".encode()


async def prepare(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    outcome = await run_import(
        bot.db,
        [("surveys.yaml", SURVEYS)],
        default_language="es",
        default_timezone="America/Montevideo",
    )
    assert outcome.ok, outcome.errors


async def member(
    bot: LocalBot, user_id: int, language: str = "es", institution: str | None = None
) -> EmulatedUser:
    user = bot.emulator.user(user_id=user_id, first_name=f"Ana{user_id}", language_code=language)
    await user.send("/help")
    await user.next_message()
    await update_member(
        bot.db,
        user_id,
        onboarded=True,
        institution_id=institution,
        verified_institution_id=institution,  # a confirmed focal point (storage.memberships)
        country="UY" if institution else None,
    )
    return user


async def launch(bot: LocalBot, survey_id: str) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send(f"/launch {survey_id}")
    asked = await admin.next_message()  # issue 15: "Open … and invite N members?"
    await admin.press(asked, "✅ Open and invite")
    await bot.emulator.wait_for(lambda: "Survey open" in asked.text)


async def press_and_wait(
    user: EmulatedUser, message: BotMessage, label: str, bot: LocalBot
) -> None:
    before = message.edits
    await user.press(message, label)
    await bot.emulator.wait_for(lambda: message.edits > before)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[tuple[LocalBot, FakeClock]]:
    clock = FakeClock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as running:
        await prepare(running)
        yield running, clock


async def answer_all(bot: LocalBot, user: EmulatedUser) -> BotMessage:
    """Answer every kind of question; returns the summary message."""
    invitation = await user.next_message()
    assert "Encuesta de competencias" in invitation.text
    await user.press(invitation, "▶ Responder")
    question = await user.next_message()  # one message: the title and intro head it
    assert "(1/7)" in question.text and "¿Cómo se dicta" in question.text
    assert question.text.startswith("Encuesta de competencias\n")
    await press_and_wait(user, question, "En línea", bot)
    assert "(2/7)" in question.text and "plataformas" in question.text
    await press_and_wait(user, question, "▫️ Moodle", bot)
    await press_and_wait(user, question, "▫️ Zoom", bot)
    assert "✅ Moodle" in question.button_texts() and "✅ Zoom" in question.button_texts()
    await press_and_wait(user, question, "Listo ▶", bot)
    assert "(3/7)" in question.text
    await press_and_wait(user, question, "4", bot)
    await press_and_wait(user, question, "Sí", bot)
    assert "(5/7)" in question.text and "entre 0 y 100 %" in question.text
    await user.send("150")
    assert "fuera de rango" in (await user.next_message()).text
    await user.send("40.0000000000000001")  # beyond a double's precision
    assert "Escribe un número" in (await user.next_message()).text
    await user.send("40")
    since = await user.next_message()
    assert "(6/7)" in since.text
    await user.send("mañana")
    assert "2026-12-03" in (await user.next_message()).text
    await user.send("2020-03-16")
    comments = await user.next_message()
    assert "(7/7)" in comments.text
    await user.send("x" * 300)
    assert "como máximo 200" in (await user.next_message()).text
    await user.send("=SUM(A1:A9) todo bien")
    return await user.next_message()


async def test_every_kind_then_results_chart_and_exports(
    bot: tuple[LocalBot, FakeClock], tmp_path: Path
) -> None:
    running, _ = bot
    user = await member(running, 8101, institution="utu")
    await launch(running, "skills-2026")
    summary = await answer_all(running, user)
    assert "Moodle, Zoom" in summary.text and "40 %" in summary.text
    await user.press(summary, "✅ Enviar respuestas")
    await running.emulator.wait_for(lambda: "Gracias" in summary.text)

    second = await member(running, 8102, language="en")  # joined after the launch
    await second.send("/survey")
    listing = await second.next_message()
    assert "not started" in listing.text
    assert "Open until Thursday, December 10, 2026, 6:00\u202fPM (Montevideo)." in listing.text
    await second.press(listing, "Skills survey")
    question = await second.next_message()
    await press_and_wait(second, question, "In person", running)
    assert "(2/6)" in question.text  # platforms ruled out: not online
    await press_and_wait(second, question, "2", running)

    admin = running.emulator.user(user_id=ADMIN_ID)
    admin.skip_all()  # their own invitation
    await admin.send("/results skills-2026")
    report = await admin.next_message()
    assert "Response rate: 1/3 (33%)" in report.text  # the admin and two members; one sent
    assert "Online: 1 (100%)" in report.text
    charts = [await admin.next_message() for _ in range(4)]  # single, multiple, scale, yes/no
    groups = {chart.media_group_id for chart in charts}  # issue 15: one album, after the text
    assert len(groups) == 1 and None not in groups
    first = charts[0]
    assert first.photo is not None
    image = Image.open(io.BytesIO(first.photo.content))
    image.load()
    assert image.format == "PNG" and image.width > 300
    bars = json.loads(image.text["bars"])
    assert bars == {"Online": 1.0, "Blended": 0.0, "In person": 0.0}

    await admin.send("/export skills-2026")
    csv_file = await admin.next_message()
    xlsx_file = await admin.next_message()
    assert csv_file.document is not None and xlsx_file.document is not None
    raw = csv_file.document.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3  # header, the answer sent, the one in progress
    header, answered = rows[0], next(r for r in rows[1:] if r[5] == "submitted")
    assert answered[header.index("Share of training online [share]")] == "40"
    assert answered[header.index("Which platforms? [platforms]")] == "Moodle; Zoom"
    assert answered[header.index("Anything else? [comments]")] == "'=SUM(A1:A9) todo bien"
    book = load_workbook(io.BytesIO(xlsx_file.document.content))
    sheet = book.active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    comment = values[1][header.index("Anything else? [comments]")]
    assert comment == "'=SUM(A1:A9) todo bien"
    share = header.index("Share of training online [share]") + 1
    assert sheet.cell(row=2, column=share).value == 40


async def test_answers_survive_a_restart(sqlite_url: str) -> None:
    clock = FakeClock(NOW)
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        async with local_bot(
            database_url=sqlite_url, emulator=emulator, admin_ids=(ADMIN_ID,), clock=clock
        ) as running:
            await prepare(running)
            user = await member(running, 8201)
            await launch(running, "skills-2026")
            invitation = await user.next_message()
            await user.press(invitation, "▶ Responder")
            question = await user.next_message()
            await press_and_wait(user, question, "Presencial", running)
            await press_and_wait(user, question, "5", running)
        async with local_bot(
            database_url=sqlite_url, emulator=emulator, admin_ids=(ADMIN_ID,), clock=clock
        ) as running:
            await user.send("/survey")
            listing = await user.next_message()
            assert "2 de 6 respondidas" in listing.text
            await user.press(listing, "Encuesta de competencias")
            resumed = await user.next_message()
            assert "(3/6)" in resumed.text and "plan de digitalización" in resumed.text
    finally:
        await emulator.stop()


async def test_one_answer_per_institution(bot: tuple[LocalBot, FakeClock]) -> None:
    running, _ = bot
    first = await member(running, 8301, institution="inefop")
    second = await member(running, 8302, institution="inefop")
    await launch(running, "inst-2026")
    invitation = await first.next_message()
    assert "Una respuesta por institución" in invitation.text
    await first.press(invitation, "▶ Responder")
    await first.next_message()
    await first.send("25")
    question = await first.next_message()
    await press_and_wait(first, question, "No", running)
    await first.press(question, "✅ Enviar respuestas")
    await running.emulator.wait_for(lambda: "Gracias" in question.text)

    invitation = await second.next_message()
    await second.press(invitation, "▶ Responder")
    note = await second.next_message()
    assert "ya tiene 2 respuestas" in note.text and "Ana8301" in note.text
    summary = await second.next_message()
    assert "25" in summary.text
    await second.press(summary, "✏️ 2")
    await running.emulator.wait_for(lambda: "(2/2)" in summary.text)
    assert "otro punto focal" in summary.text
    await press_and_wait(second, summary, "Sí", running)
    result = await store.results(running.db, "inst-2026")
    assert result is not None and result.submitted == 1
    assert result.per_question[1].counts == {"yes": 1}


async def test_closed_survey_forged_data_and_double_taps(bot: tuple[LocalBot, FakeClock]) -> None:
    running, clock = bot
    user = await member(running, 8401)
    other = await member(running, 8402)
    await launch(running, "skills-2026")
    invitation = await user.next_message()
    await user.press(invitation, "▶ Responder")
    question = await user.next_message()
    state = await store.surveys_for(running.db, (await _member(running, 8401)), clock.now())
    response_id = state[0].response.id if state[0].response else 0
    for data in (
        f"sv:a:{response_id}:0:9",
        f"sv:a:{response_id}:1:0",
        f"sv:zz:{response_id}",
        "sv:a:999999:0:0",
        f"sv:a:{response_id}:0",
        "sv:go:no-such-survey",
    ):
        query = await user.press_data(question.message_id, data)
        assert "ya no es válido" in (await user.next_callback_answer(query))["text"], data
    # someone else's response
    await other.next_message()
    query = await other.press_data(question.message_id, f"sv:a:{response_id}:0:0")
    assert "ya no es válido" in (await other.next_callback_answer(query))["text"]
    # a double tap answers once and moves on once
    await user.press(question, "Mixta")
    await user.press(question, "Mixta")
    await running.emulator.wait_for(lambda: "(2/7)" in question.text)
    found = await store.response_state(running.db, response_id)
    assert found is not None and found.answers == {"mode": "mixed"}

    clock.set(datetime(2026, 12, 11, tzinfo=UTC))
    query = await user.press_data(question.message_id, f"sv:t:{response_id}:1:0")
    assert "cerró" in (await user.next_callback_answer(query))["text"]
    found = await store.response_state(running.db, response_id)
    assert found is not None and found.answers == {"mode": "mixed"}


async def _member(bot: LocalBot, user_id: int):  # type: ignore[no-untyped-def]
    from storage.members import get_member

    found = await get_member(bot.db, user_id)
    assert found is not None
    return found


async def test_automatic_reminder_before_closing_and_nudge(bot: tuple[LocalBot, FakeClock]) -> None:
    running, clock = bot
    done = await member(running, 8501)
    late = await member(running, 8502)
    await launch(running, "skills-2026")
    await done.next_message()
    await late.next_message()
    survey, _ = await store.get_survey(running.db, "skills-2026") or (None, None)
    assert survey is not None
    response = await store.start_response(
        running.db, survey, await _member(running, 8501), clock.now()
    )
    assert response.id is not None
    await store.submit(running.db, response.id, clock.now())
    clock.set(datetime(2026, 12, 8, 21, 1, tzinfo=UTC))  # 48 h before closing
    from bot.jobs.surveys import survey_tick

    class Context:
        application = running.application

    await survey_tick(Context())  # type: ignore[arg-type]
    assert running.services.delivery is not None
    await running.services.delivery.run_until_idle(10, horizon=0)
    assert "Recordatorio" in (await late.next_message()).text
    await done.expect_silence(0.3)
    await survey_tick(Context())  # type: ignore[arg-type]
    await late.expect_silence(0.3)  # once

    admin = running.emulator.user(user_id=ADMIN_ID)
    admin.skip_all()  # the admin is in the audience too: their invitation and reminder
    await admin.send("/nudge skills-2026")
    assert "2 members" in (await admin.next_message()).text  # the late member and the admin


async def test_quick_poll_closing_typed_as_people_write_it(
    bot: tuple[LocalBot, FakeClock],
) -> None:
    running, _ = bot
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/newsurvey")
    await admin.next_message()
    await admin.send("Shall we meet in person?")
    kinds = await admin.next_message()
    await admin.press(kinds, "One choice")
    await admin.next_message()
    await admin.send("Yes\nNo")
    await admin.next_message()
    for bad in ("2026-11-01", "someday", "2027-12-01"):  # past, unreadable, too far
        await admin.send(bad)
        refused = await admin.next_message()
        assert "for example December 8, or a day and time such as tomorrow" in refused.text
    await admin.send("tomorrow 18:00")
    audience = await admin.next_message()
    await admin.press(audience, "Everyone")
    preview = await admin.next_message()
    assert "Closes: Wednesday, December 2, 2026, 6:00\u202fPM (Montevideo)" in preview.text


@pytest.mark.strict_api
async def test_quick_poll(bot: tuple[LocalBot, FakeClock]) -> None:
    running, _ = bot
    voter = await member(running, 8601)
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/newsurvey")
    await admin.next_message()
    await admin.send("Which date suits you for the next videoconference?")
    kinds = await admin.next_message()
    await admin.press(kinds, "One choice")
    await admin.next_message()
    await admin.send("Tuesday 15\nThursday 17\n")
    closes = await admin.next_message()
    await admin.press(closes, "In 3 days")
    audience = await admin.next_message()
    await admin.press(audience, "Everyone")
    preview = await admin.next_message()
    assert "Thursday 17" in preview.text
    assert "Closes: Friday, December 4, 2026, 11:59\u202fPM" in preview.text  # Babel, not ISO
    await admin.press(preview, "✅ Send the poll")
    sent = await admin.next_message()
    assert "Poll sent to 2 members" in sent.text
    invitation = await voter.next_message()
    await voter.press(invitation, "▶ Responder")
    question = await voter.next_message()  # the question at once: no title repeating it
    assert question.text.count("Which date suits you") == 1
    await press_and_wait(voter, question, "Thursday 17", running)
    # one question: the tap is the vote, no review and no second "send" tap
    assert "Voto registrado" in question.text and "4 de diciembre" in question.text
    assert "✅ Enviar respuestas" not in question.button_texts()
    assert "🔘 Thursday 17" in question.button_texts()
    poll = (await store.surveys_for(running.db, await _member(running, 8601), NOW))[0]
    result = await store.results(running.db, poll.survey.id)
    assert result is not None and result.submitted == 1
    assert result.per_question[0].counts == {"o2": 1}
    await press_and_wait(voter, question, "Tuesday 15", running)  # another tap changes it
    result = await store.results(running.db, poll.survey.id)
    assert result is not None and result.submitted == 1
    assert result.per_question[0].counts == {"o1": 1}
    await voter.send("hola")  # text afterwards is no answer: nothing waits for a button
    assert "Toca uno de los botones" not in (await voter.next_message()).text


async def test_feedback_survey_after_an_event(bot: tuple[LocalBot, FakeClock]) -> None:
    running, clock = bot
    from storage.events import create_event
    from storage.models import Event

    attendee = await member(running, 8701)
    absent = await member(running, 8702)
    start = NOW + timedelta(days=2)
    await create_event(
        running.db,
        Event(
            id="vc-feedback",
            title={"es": "Videoconferencia"},
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            timezone="America/Montevideo",
            audience=["all"],
            reminders=[],
            feedback_survey_id="skills-2026",
        ),
        actor_id=0,
        actor_name="test",
    )
    await reminder_store.set_rsvp(running.db, "vc-feedback", 8701, status="yes", now=clock.now())
    clock.set(start + timedelta(hours=1, minutes=1))
    await scheduler_of(running.application).run(running.application)
    assert running.services.delivery is not None
    await running.services.delivery.run_until_idle(10, horizon=0)
    assert "Encuesta de competencias" in (await attendee.next_message()).text
    await absent.expect_silence(0.3)
    await scheduler_of(running.application).run(running.application)
    await attendee.expect_silence(0.3)  # once


def test_export_survey_on_the_command_line(tmp_path: Path) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"

    async def fill() -> None:
        db = Database(url)
        await db.upgrade()
        await prepare_db(db)
        await db.dispose()

    asyncio.run(fill())
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
    }
    out = tmp_path / "answers.xlsx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "export",
            "survey",
            "skills-2026",
            "--format",
            "xlsx",
            "--output",
            str(out),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.cell(row=1, column=8).value == (
        "How is training delivered? [mode]"
    )
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "export", "survey", "nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2 and "no survey 'nope'" in missing.stderr


async def prepare_db(db: Database) -> None:
    outcome = await run_import(
        db,
        [("surveys.yaml", SURVEYS)],
        default_language="es",
        default_timezone="America/Montevideo",
    )
    assert outcome.ok
