"""End-to-end over the emulator: who may speak for an institution.

A claim grants nothing (a stranger's ``/institution INEFOP`` neither reads nor changes
INEFOP's answers); an organizer confirms or rejects it once; an invitation link confirms at
once; audiences count confirmed memberships; the time zone never changes the country.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.render.callbacks.memberships import ClaimDecision, ConfirmAll, institution_tag
from storage import surveys as survey_store
from storage.audience import resolve_audience
from storage.audit import recent_entries
from storage.members import get_member, update_member
from storage.memberships import membership_of
from storage.models import Institution, Response
from tests.clock import FakeClock as Clock
from tests.conftest import ADMIN_ID
from tests.e2e.test_surveys_e2e import NOW, launch, member, prepare, press_and_wait

pytestmark = pytest.mark.strict_api
LINK = re.compile(r"https://t\.me/(\w+)\?start=(inv-[A-Za-z0-9_-]+)")


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[tuple[LocalBot, Clock]]:
    clock = Clock(NOW)
    async with local_bot(database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=clock) as running:
        await prepare(running)
        yield running, clock


async def institution_response(running: LocalBot, institution: str) -> Response | None:
    async with running.db.session() as session:
        found = await session.exec(
            select(Response).where(col(Response.respondent_key) == f"institution:{institution}")
        )
        return found.first()


async def until(user: EmulatedUser, *words: str) -> BotMessage:
    """The next message with all these words (survey invitations and notices interleave)."""
    while True:
        message = await user.next_message()
        if all(word in message.body for word in words):
            return message


async def admin_of(running: LocalBot) -> EmulatedUser:
    admin = running.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/help")
    await admin.next_message()
    return admin


async def invite(
    running: LocalBot, admin: EmulatedUser, institution: str
) -> tuple[str, BotMessage]:
    await admin.send(f"/invite {institution}")
    message = await until(admin, "t.me")
    assert message.photo is not None and message.photo.content.startswith(b"\x89PNG")
    found = LINK.search(message.body)
    assert found is not None and found.group(1) == running.emulator.bot_username
    assert len(found.group(2)) <= 64
    return found.group(2), message


async def test_stranger_claim_cannot_read_or_change_answers(bot: tuple[LocalBot, Clock]) -> None:
    running, _ = bot
    admin = await admin_of(running)
    focal = await member(running, 8501, institution="inefop")
    stranger = await member(running, 8502)
    await launch(running, "inst-2026")
    invitation = await focal.next_message()
    await focal.press(invitation, "▶ Responder")
    await focal.next_message()
    await focal.send("25")
    question = await focal.next_message()
    await press_and_wait(focal, question, "No", running)
    await focal.press(question, "✅ Enviar respuestas")
    await running.emulator.wait_for(lambda: "Gracias" in question.text)

    stranger_invitation = await stranger.next_message()
    await stranger.send("/institution INEFOP")
    claimed = await stranger.next_message()
    assert "INEFOP" in claimed.text and "organizador confirmará" in claimed.text
    notice = await until(admin, "Ana8502")  # through the outbox, with Confirm / Reject
    assert "Ana8502" in notice.text and notice.button_texts() == ["Confirm", "Reject"]

    await stranger.press(stranger_invitation, "▶ Responder")
    refusal = await stranger.next_message()
    assert "espera la confirmación" in refusal.text and "enlace de invitación" in refusal.text
    assert "Ana8501" not in refusal.text and "25" not in refusal.text
    await stranger.send("/survey")
    listing = await stranger.next_message()
    assert "Ana8501" not in listing.text and "2/2" not in listing.text

    await stranger.send("/settings")
    assert "INEFOP (pendiente de confirmación)" in (await stranger.next_message()).text
    me = await get_member(running.db, 8502)
    assert me is not None and me.institution_id == "inefop" and me.verified_institution_id is None
    response = await institution_response(running, "inefop")
    assert response is not None and response.id is not None
    for data in (f"sv:a:{response.id}:0:0", f"sv:a:{response.id}:1:0", f"sv:e:{response.id}:1"):
        query = await stranger.press_data(stranger_invitation.message_id, data)
        answer = await stranger.next_callback_answer(query)
        assert answer.get("show_alert")
    result = await survey_store.results(running.db, "inst-2026")
    assert result is not None and result.submitted == 1
    assert result.per_question[1].counts == {"no": 1}
    await stranger.send("/institution Hogwarts")  # an unknown institution changes nothing
    assert "Hogwarts" in (await stranger.next_message()).text
    claim = await membership_of(running.db, 8502)
    assert claim is not None and (claim.institution_id, claim.status) == ("inefop", "claimed")
    actions = [e.action for e in await recent_entries(running.db, limit=50)]
    assert "refused survey" in actions and "claim" in actions and "refused claim" in actions


async def test_invited_focal_point_answers_at_once(bot: tuple[LocalBot, Clock]) -> None:
    running, clock = bot
    admin = await admin_of(running)
    code, _ = await invite(running, admin, "INEFOP")
    newcomer = running.emulator.user(user_id=8601, first_name="Bea", language_code="es")
    await newcomer.send(f"/start {code}")
    welcome = await newcomer.next_message()
    assert "punto focal confirmado de INEFOP" in welcome.text
    assert "¡Listo!" in (await newcomer.next_message()).text  # one zone: onboarding done
    bea = await get_member(running.db, 8601)
    assert bea is not None and bea.verified_institution_id == "inefop" and bea.country == "UY"
    assert bea.onboarded and bea.timezone == "America/Montevideo"

    await launch(running, "inst-2026")
    invitation = await newcomer.next_message()
    await newcomer.press(invitation, "▶ Responder")
    first = await newcomer.next_message()
    assert "docentes" in first.text
    response = await institution_response(running, "inefop")
    assert response is not None and response.member_id == 8601

    # the same link again; a second focal point; a forged code; a revoked one; an expired one
    await newcomer.send(f"/start {code}")
    assert "Encuesta en pausa" in (await newcomer.next_message()).text  # she was answering
    assert "Ya eres punto focal confirmado" in (await newcomer.next_message()).text
    second = running.emulator.user(user_id=8602, first_name="Caio", language_code="pt")
    await second.send(f"/start {code}")
    assert "ponto focal confirmado" in (await second.next_message()).text
    forger = running.emulator.user(user_id=8603, first_name="Zed", language_code="en")
    for forged in ("inv-AAAAAAAAAAAAAAAA", "inv-x", "inv-" + "A" * 59, code + "x"):
        await forger.send(f"/start {forged}")
        assert "not valid" in (await forger.next_message()).text
    senai_code, senai_message = await invite(running, admin, "senai")
    await forger.send(f"/start {senai_code[:-1]}{'B' if senai_code[-1] != 'B' else 'C'}")
    assert "not valid" in (await forger.next_message()).text
    await newcomer.send(f"/start {senai_code}")  # a code of another institution
    elsewhere = await newcomer.next_message()
    assert "INEFOP" in elsewhere.text and "SENAI" in elsewhere.text
    bea = await get_member(running.db, 8601)
    assert bea is not None and bea.verified_institution_id == "inefop"
    await admin.press(senai_message, "Revoke")
    assert "withdrawn: 1" in (await until(admin, "withdrawn")).text
    await forger.send(f"/start {senai_code}")
    assert "withdrawn" in (await forger.next_message()).text
    zed = await get_member(running.db, 8603)
    assert zed is not None and zed.verified_institution_id is None and zed.institution_id is None

    utu_code, _ = await invite(running, admin, "utu")
    clock.set(NOW + timedelta(days=31))
    await forger.send(f"/start {utu_code}")
    assert "expired" in (await forger.next_message()).text
    await forger.send("/invite utu")
    assert "only organizers" in (await forger.next_message()).text
    actions = [e.action for e in await recent_entries(running.db, limit=50)]
    assert actions.count("refused invite link") >= 6 and "refused invite" in actions


async def test_confirm_reject_and_confirm_all(bot: tuple[LocalBot, Clock]) -> None:
    running, _ = bot
    admin = await admin_of(running)
    organizer = running.emulator.user(user_id=8701, first_name="Olga", language_code="es")
    await organizer.send("/help")
    await organizer.next_message()
    await update_member(running.db, 8701, role="organizer")
    claimant = await member(running, 8702)
    await claimant.send("/institution senai")
    await claimant.next_message()
    olga_notice, root_notice = await until(organizer, "Ana8702"), await until(admin, "Ana8702")
    await organizer.press(olga_notice, "Confirmar")
    await running.emulator.wait_for(lambda: "Confirmado" in olga_notice.text)
    told = await claimant.next_message()
    assert "punto focal confirmado de SENAI" in told.text
    ana = await get_member(running.db, 8702)
    assert ana is not None and ana.verified_institution_id == "senai" and ana.country == "BR"
    await admin.press(root_notice, "Reject")  # the second decision: already taken
    await running.emulator.wait_for(lambda: "already confirmed by Olga" in root_notice.text)
    ana = await get_member(running.db, 8702)
    assert ana is not None and ana.verified_institution_id == "senai"

    # a forged Confirm from a member; a stale one after the claim changed
    mallory = await member(running, 8703)
    await mallory.send("/institution utu")
    await mallory.next_message()
    await until(organizer, "Ana8703")  # the notice of Mallory's claim
    forged = ClaimDecision(8703, institution_tag("utu"), True).pack()
    query = await mallory.press_data(olga_notice.message_id, forged)
    assert "organizadores" in (await mallory.next_callback_answer(query))["text"]
    mal = await get_member(running.db, 8703)
    assert mal is not None and mal.verified_institution_id is None
    stale = ClaimDecision(8703, institution_tag("inefop"), True).pack()
    query = await organizer.press_data(olga_notice.message_id, stale)
    await organizer.next_callback_answer(query)
    mal = await get_member(running.db, 8703)
    assert mal is not None and mal.verified_institution_id is None
    query = await mallory.press_data(olga_notice.message_id, ConfirmAll().pack())
    await mallory.next_callback_answer(query)
    assert "refused membership decision" in [
        e.action for e in await recent_entries(running.db, limit=50)
    ]

    for user_id, name in ((8704, "sena"), (8705, "fundae")):
        person = await member(running, user_id)
        await person.send(f"/institution {name}")
        await person.next_message()
    await until(admin, "Ana8705")
    await admin.send("/pending")
    page = await until(admin, "Claims waiting")
    assert "(3)" in page.text and "Ana8703" in page.text and "Confirm all" in page.button_texts()
    await admin.press(page, "1. Reject")
    await running.emulator.wait_for(lambda: "(2)" in page.text)
    claim = await membership_of(running.db, 8703)
    assert claim is not None and claim.status == "rejected"
    await admin.press(page, "Confirm all")
    await running.emulator.wait_for(lambda: "No claims" in page.text)
    for user_id in (8704, 8705):
        confirmed = await get_member(running.db, user_id)
        assert confirmed is not None and confirmed.verified_institution_id is not None
    await organizer.send("/pending")
    assert "Confirm" not in " ".join((await until(organizer, "No hay")).button_texts())


async def test_audiences_count_confirmed_and_zone_keeps_country(
    bot: tuple[LocalBot, Clock],
) -> None:
    running, _ = bot
    async with running.db.session() as session:
        session.add(
            Institution(
                id="conalep", acronym="CONALEP", country="MX", timezone="America/Mexico_City"
            )
        )
    focal = await member(running, 8801)
    await update_member(
        running.db, 8801, institution_id="conalep", verified_institution_id="conalep", country="MX"
    )
    stranger = await member(running, 8802)
    await stranger.send("/institution conalep")
    await stranger.next_message()

    await focal.send("/timezone")
    countries = await focal.next_message()
    await focal.press(countries, "Sudamérica")
    await running.emulator.wait_for(lambda: "Brasil" in countries.button_texts())
    await focal.press(countries, "Brasil")
    zones = await focal.next_message()
    sao_paulo = next(t for t in zones.button_texts() if t.startswith("São Paulo"))
    await focal.press(zones, sao_paulo)
    card = await focal.next_message()
    assert "México" in card.text and "Brasil" not in card.text
    await running.emulator.wait_for(lambda: "São Paulo" in zones.text)
    victor = await get_member(running.db, 8801)
    assert victor is not None and victor.timezone == "America/Sao_Paulo" and victor.country == "MX"

    def ids(members: list) -> set[int]:
        return {m.user_id for m in members}

    assert ids(await resolve_audience(running.db, ["institution:conalep"])) == {8801}
    assert 8801 in ids(await resolve_audience(running.db, ["country:MX"]))
    assert 8801 not in ids(await resolve_audience(running.db, ["country:BR"]))
    assert 8802 not in ids(await resolve_audience(running.db, ["institution:conalep"]))
    assert 8802 not in ids(await resolve_audience(running.db, ["country:MX"]))  # a claim


async def test_a_confirmed_focal_point_who_changes_institution_is_told(
    bot: tuple[LocalBot, Clock],
) -> None:
    running, _ = bot
    async with running.db.session() as session:
        for inst in ("dgeti", "cecati"):
            session.add(
                Institution(
                    id=inst, acronym=inst.upper(), country="MX", timezone="America/Mexico_City"
                )
            )
    focal = await member(running, 8811)
    await update_member(running.db, 8811, institution_id="dgeti", verified_institution_id="dgeti")
    await focal.send("/institution cecati")
    text = (await focal.next_message()).text
    assert "CECATI" in text and "Ya no eres el punto focal confirmado de DGETI" in text
    await focal.send("/institution cecati")  # the same again: nothing more to say
    assert "Ya no eres" not in (await focal.next_message()).text
