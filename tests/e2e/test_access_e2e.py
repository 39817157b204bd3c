"""End-to-end over the emulator: what a member may see, change and be refused.

A claim grants nothing: a member who only said ``/institution senai`` is not in a
``country:BR`` audience, in the chat's answers or the Mini App, until it is confirmed.
Once survey answers are sent, the buttons of old question messages change nothing (only
reopening from /survey does); text while a question waits for a button gets a hint.
A role command refused to a member is in the audit log, once a minute per command.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.render.callbacks import surveys as cb
from storage.members import update_member
from storage.models import Answer, AuditLog, Response
from tests.conftest import ADMIN_ID
from tests.e2e.test_miniapp_api import Api, api  # noqa: F401  (the fixture)
from tests.e2e.test_reminders_e2e import add_event, videoconference
from tests.e2e.test_surveys_e2e import NOW, answer_all, launch, member, press_and_wait

pytestmark = pytest.mark.strict_api
ZOOM = "https://zoom.us/j/555000111"
QUESTION = "what is the zoom link for tomorrow's videoconference?"


async def test_a_claim_does_not_open_a_country_event(api: Api) -> None:  # noqa: F811
    running = api.bot
    start = NOW + timedelta(days=1)
    brazil_only = videoconference(
        starts_at=start, ends_at=start + timedelta(hours=1), audience=["country:BR"], join_url=ZOOM
    )
    await add_event(running.db, brazil_only)
    user = await member(running, 9101, language="en")
    await user.send("/institution senai")
    assert "SENAI" in (await user.next_message()).text

    await user.send(QUESTION)
    answer = await user.next_message()
    assert "Competency certification" in answer.text and ZOOM not in answer.text
    status, events = await api.call("GET", "/app/api/events", 9101, language="en")
    assert status == 200 and [e["id"] for e in events] == ["vc-cert"]
    assert "join_url" not in events[0] and events[0]["can_rsvp"] is False

    # confirmed, the same member sees the link in both places
    await update_member(running.db, 9101, verified_institution_id="senai")
    await user.send(QUESTION)
    assert ZOOM in (await user.next_message()).text
    status, events = await api.call("GET", "/app/api/events", 9101, language="en")
    assert status == 200 and events[0]["join_url"] == ZOOM


async def comments_answer(api: Api) -> object:  # noqa: F811
    async with api.bot.db.session() as session:
        found = await session.exec(select(Answer).where(col(Answer.question_id) == "comments"))
        row = found.first()
        return row.value if row is not None else None


async def test_old_buttons_of_sent_answers_change_nothing(api: Api) -> None:  # noqa: F811
    running = api.bot
    user = await member(running, 9201, institution="utu")
    await launch(running, "skills-2026")
    summary = await answer_all(running, user)
    await user.press(summary, "✅ Enviar respuestas")
    await running.emulator.wait_for(lambda: "Gracias" in summary.text)
    seventh = next(m for m in running.emulator.messages_to(9201) if "(7/7)" in m.text)
    before = seventh.edits
    assert not seventh.buttons  # taken off when the typed answer brought the summary
    async with running.db.session() as session:
        found = await session.exec(select(Response).where(col(Response.survey_id) == "skills-2026"))
        response_id = found.one().id
    assert response_id is not None

    query = await user.press_data(seventh.message_id, cb.Skip(response_id, 6).pack())  # kept
    answered = await user.next_callback_answer(query)
    assert answered.get("text") == "Este botón ya no es válido." and answered.get("show_alert")
    assert await comments_answer(api) == "=SUM(A1:A9) todo bien"
    assert seventh.edits == before

    # the deliberate way: /survey, the survey, ✏️ on the summary
    await user.send("/survey")
    listing = await user.next_message()
    await user.press(listing, "Encuesta de competencias")
    reopened = await user.next_message()
    assert "todo bien" in reopened.text
    edit = next(t for t in reopened.button_texts() if t.startswith("✏️") and "7" in t)
    await press_and_wait(user, reopened, edit, running)
    await user.send("nada más")
    assert "nada más" in (await user.next_message()).text  # the summary again
    assert await comments_answer(api) == "nada más"


async def test_text_on_a_button_question_gets_a_hint(api: Api) -> None:  # noqa: F811
    running = api.bot
    user = await member(running, 9202)
    await launch(running, "skills-2026")
    invitation = await user.next_message()
    await user.press(invitation, "▶ Responder")
    question = await user.next_message()  # under the survey's title and intro
    assert "(1/7)" in question.text
    for typed in ("-3", "50%"):
        await user.send(typed)
        hint = await user.next_message()
        assert "Toca uno de los botones" in hint.text and "/cancel" in hint.text
    await press_and_wait(user, question, "En línea", running)
    assert "(2/7)" in question.text
    await user.send("/cancel")
    stopped = (await user.next_message()).text
    assert "Tus respuestas quedan guardadas" in stopped and "No se envió" not in stopped
    await user.send("/cancel")  # twice: nothing left to cancel, and it says so
    assert "No había nada que cancelar" in (await user.next_message()).text
    await user.send("50%")
    assert "Toca uno de los botones" not in (await user.next_message()).text


async def test_a_typed_button_is_taken_as_the_tap(api: Api) -> None:  # noqa: F811
    """ "presencial", "4", "sí" typed on phone where a button was expected answer the
    question; the next one comes below as a new message."""
    running = api.bot
    user = await member(running, 9203)
    await launch(running, "skills-2026")
    await user.press(await user.next_message(), "▶ Responder")
    first = await user.next_message()
    await user.send("Presencial")
    rating = await user.next_message()
    assert "¿Qué tan útil" in rating.text and "(2/6)" in rating.text  # platforms skipped
    await user.send("9")  # not on the 1-5 scale: the hint, nothing stored
    assert "Toca uno de los botones" in (await user.next_message()).text
    await user.send("4")
    plan = await user.next_message()
    assert "plan de digitalización" in plan.text
    await user.send("sí")
    share = await user.next_message()
    assert "Porcentaje" in share.text
    async with running.db.session() as session:
        rows = await session.exec(select(Answer).where(col(Answer.answered_by) == 9203))
        stored = {a.question_id: a.value for a in rows.all()}
    assert stored == {"mode": "classroom", "rating": 4, "plan": "yes"}
    assert "(1/7)" in first.text  # the first message was not edited by the typed answer
    # the questions left behind lose their buttons: a tap there would answer them again
    await running.emulator.wait_for(lambda: not (first.buttons or rating.buttons or plan.buttons))
    assert share.buttons  # the question showing keeps its own (skip, back)


async def refusals(api: Api, target: str) -> list[AuditLog]:  # noqa: F811
    async with api.bot.db.session() as session:
        found = await session.exec(
            select(AuditLog).where(
                col(AuditLog.action) == "refused role", col(AuditLog.target) == target
            )
        )
        return list(found.all())


async def test_refused_role_commands_are_audited_once_a_minute(api: Api) -> None:  # noqa: F811
    running = api.bot
    user = await member(running, 9301)
    commands = ["/broadcast", "/broadcast", "/broadcast", "/import", "/audit", "/grant 1001 admin"]
    commands += ["/launch skills-2026", "/results skills-2026", "/attendees vc", "/members"]
    for command in commands:
        await user.send(command)
        assert "solo los" in (await user.next_message()).text.lower()
    for target in ("/broadcast", "/import", "/audit", "/grant", "/launch", "/results"):
        rows = await refusals(api, target)
        assert [(r.actor_id, r.details) for r in rows] == [(9301, rows[0].details)], target
    assert (await refusals(api, "/broadcast"))[0].details == {"role": "organizer"}
    assert (await refusals(api, "/grant"))[0].details == {"role": "admin"}
    assert len(await refusals(api, "/attendees")) == len(await refusals(api, "/members")) == 1

    api.clock.advance(seconds=61)
    await user.send("/broadcast")
    await user.next_message()
    assert len(await refusals(api, "/broadcast")) == 2

    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    admin.skip_all()  # their survey invitations
    await admin.send("/audit")
    shown = await admin.next_message()
    assert "command refused (role)" in shown.text and "/broadcast" in shown.text
    assert "Ana9301" in shown.text
