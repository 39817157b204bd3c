"""End-to-end, as an organizer on a phone meets it (issue 15): /broadcast guesses the
language and warns before replacing a text, takes "mañana a las 10", /broadcasts shows each
announcement's first words and cancelling asks first; /audit is readable and paged; /stats
and /launch speak the reader's language; /timezone knows capitals, offsets and aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.devtools.local import LocalBot, local_bot
from storage import audit as audit_store
from storage.broadcasts import recent_broadcasts
from storage.members import get_member, update_member
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.test_surveys_e2e import prepare
from tests.helpers import language_button

pytestmark = pytest.mark.strict_api
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday; 09:00 in Montevideo


@pytest.fixture
async def running(sqlite_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(
        database_url=sqlite_url, admin_ids=(ADMIN_ID,), clock=FakeClock(NOW)
    ) as bot:
        yield bot


async def spanish_admin(bot: LocalBot):  # type: ignore[no-untyped-def]
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    await admin.send("/help")
    await admin.next_message()
    await update_member(bot.db, ADMIN_ID, timezone="America/Montevideo", onboarded=True)
    return admin


async def test_broadcast_guess_replace_natural_time_snippet_and_confirmed_cancel(
    running: LocalBot,
) -> None:
    admin = await spanish_admin(running)
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("La próxima reunión de la red será el martes")
    which = await admin.next_message()
    assert "Parece español" in which.text
    assert which.buttons[0][0].text == "✅ Español"  # preselected: one tap
    assert [t for t in which.button_texts() if "Español" in t] == ["✅ Español"]  # once
    await admin.press(which, "✅ Español")
    await running.emulator.wait_for(lambda: "Textos hasta ahora: español." in which.text)
    await admin.press(which, "bc:more")
    await running.emulator.wait_for(lambda: "otro idioma" in which.text)
    await admin.send("<b>Nueva</b> fecha de la reunión de la red: el jueves a las 10")
    which = await admin.next_message()
    await admin.press(
        which, language_button(which, "Español")
    )  # already has a text: warned, nothing replaced
    await running.emulator.wait_for(lambda: "Ya hay un texto en español" in which.text)
    assert "Reemplazarlo" in which.button_texts() and "Español" not in which.button_texts()
    await admin.press(which, "Reemplazarlo")
    await running.emulator.wait_for(lambda: "Textos hasta ahora: español." in which.text)
    await admin.press(which, "bc:audience")
    await running.emulator.wait_for(lambda: "bc:preview" in str(which.reply_markup))
    assert "1 persona y 0 grupos" in which.text  # the admin alone
    await admin.press(which, "bc:preview")
    await admin.next_message()  # the text as members will read it
    confirm = await admin.next_message()
    await admin.press(confirm, "bc:schedule")
    await running.emulator.wait_for(lambda: "por ejemplo 3 de diciembre 10:00" in confirm.text)
    assert "Montevideo" in confirm.text and "America/" not in confirm.text
    await admin.send("cuando se pueda")
    assert "No pude entender" in (await admin.next_message()).text
    await admin.send("ayer a las 10")
    assert "ya pasó" in (await admin.next_message()).text
    await admin.send("1 de diciembre a las 10")
    assert "ya pasó" in (await admin.next_message()).text
    await admin.send("mañana a las 10")
    scheduled = await admin.next_message()
    assert "jueves, 3 de diciembre de 2026, 10:00" in scheduled.text
    broadcast = (await recent_broadcasts(running.db))[0]
    assert broadcast.scheduled_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    replaced = "<b>Nueva</b> fecha de la reunión de la red: el jueves a las 10"
    assert broadcast.texts == {"es": replaced}

    await admin.send("/broadcasts")
    listing = await admin.next_message()
    assert "programado" in listing.text and "scheduled" not in listing.text
    assert "“Nueva fecha de la reunión de la red: el jueves a las 10”" in listing.text
    await admin.press(listing, f"Cancelar #{broadcast.id}")
    await running.emulator.wait_for(lambda: "¿Cancelar el anuncio" in listing.text)
    await admin.press(listing, "No, mantenerlo")
    await running.emulator.wait_for(lambda: "sigue programado" in listing.text)
    assert (await recent_broadcasts(running.db))[0].status == "scheduled"


async def test_audit_entries_are_readable_and_paged(running: LocalBot) -> None:
    admin = await spanish_admin(running)
    leo = running.emulator.user(user_id=3102, first_name="Leo", language_code="pt")
    await leo.send("/help")
    await leo.next_message()
    for _ in range(6):
        await admin.send("/grant 3102 organizer")
        await admin.next_message()
        await admin.send("/revoke 3102")
        await admin.next_message()
    await audit_store.record(
        running.db,
        actor_id=ADMIN_ID,
        action="move event",
        target="webinar-3",
        details={"from": "2026-12-03T13:00:00+00:00", "to": "2026-12-04T13:00:00+00:00"},
    )
    await admin.send("/audit")
    page = await admin.next_message()
    assert page.text.startswith("Registro de auditoría (13 entradas)")
    assert "evento reprogramado → webinar-3" in page.text
    assert "de: 3 dic 2026, 10:00 · a: 4 dic 2026, 10:00" in page.text  # the reader's zone
    assert "rol retirado → 3102" in page.text and "rol: miembro · antes: organizador" in page.text
    assert "{" not in page.text and "'" not in page.text
    await admin.press(page, "▶")
    await running.emulator.wait_for(lambda: "rol otorgado" in page.text and page.edits > 0)
    assert page.text.count("\n\n") == 3  # the head and the three last entries


async def test_stats_and_launch_speak_the_readers_language(running: LocalBot) -> None:
    await prepare(running)
    admin = await spanish_admin(running)
    await admin.send("/stats")
    stats = await admin.next_message()
    assert "administrador: 1" in stats.text and "admin:" not in stats.text
    assert "español: 1" in stats.text
    await admin.send("/launch")
    surveys = await admin.next_message()
    assert "(borrador)" in surveys.text and "(draft)" not in surveys.text


@pytest.mark.parametrize(
    ("typed", "zone", "said"),
    [
        ("Kingston", "America/Jamaica", "Zona horaria: Jamaica"),
        ("Jamaica", "America/Jamaica", "Zona horaria: Jamaica"),
        ("Brasília", "America/Sao_Paulo", "Zona horaria: São Paulo"),
        ("Praia", "Atlantic/Cape_Verde", "Zona horaria: Cabo Verde"),
        ("UTC-3", "Etc/GMT+3", "Zona horaria: UTC−3"),
    ],
)
async def test_timezone_capitals_offsets_and_aliases(
    running: LocalBot, typed: str, zone: str, said: str
) -> None:
    user = running.emulator.user(user_id=3201, first_name="Ana", language_code="es")
    await user.send(f"/timezone {typed}")
    answer = await user.next_message()
    member = await get_member(running.db, 3201)
    assert member is not None and member.timezone == zone
    assert "America/" not in answer.text
    if zone.startswith("Etc/"):
        assert "desfase fijo (Etc/GMT+3)" in answer.text  # which zone it is, said plainly
    await user.send("/settings")
    assert said in (await user.next_message()).text
