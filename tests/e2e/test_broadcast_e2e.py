"""End-to-end: composing, previewing, sending, scheduling and cancelling announcements."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from bot.devtools.emulator import BotMessage, EmulatedUser
from bot.devtools.local import LocalBot
from bot.messaging.compose import split_html
from bot.render.callbacks.broadcast import AudienceToggle
from storage.broadcasts import create_broadcast, list_groups, recent_broadcasts
from storage.members import update_member
from storage.outbox import status_counts
from storage.types import utcnow
from tests.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import language_button, seed_institutions


async def onboard(bot: LocalBot, user_id: int, language: str, country: str) -> None:
    user = bot.emulator.user(user_id=user_id, first_name=f"M{user_id}", language_code=language)
    await user.send("/help")
    await user.next_message()
    await update_member(bot.db, user_id, country=country, onboarded=True)


async def test_member_cannot_broadcast(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=6001, first_name="Ana", language_code="pt")
    await user.send("/broadcast")
    assert "organizadores" in (await user.next_message()).text
    assert await recent_broadcasts(bot.db) == []


async def test_compose_in_two_languages_preview_and_send(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    await onboard(bot, 6101, "es", "UY")
    await onboard(bot, 6102, "pt", "UY")
    await onboard(bot, 6103, "en", "BR")
    bot.emulator.block_user(6103)
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("<b>Hola</b> red")
    which = await admin.next_message()
    await admin.press(which, language_button(which, "Español"))
    await bot.emulator.wait_for(lambda: "Texts so far" in which.text)
    await admin.press(which, "bc:more")
    await bot.emulator.wait_for(lambda: "other language" in which.text)
    await admin.send("<b>Olá</b> rede")
    which = await admin.next_message()
    await admin.press(which, language_button(which, "Português"))
    await bot.emulator.wait_for(lambda: "Texts so far: Spanish and Portuguese" in which.text)
    await admin.press(which, "bc:audience")
    await bot.emulator.wait_for(lambda: "Who should receive it" in which.text)
    assert "4 people" in which.text  # the three members and the admin
    await admin.press(which, "bc:preview")
    preview_sample = await admin.next_message()
    assert "Hola" in preview_sample.text  # the admin reads English: falls back to the default
    confirm = await admin.next_message()
    await admin.press(confirm, "bc:send")
    await bot.emulator.wait_for(
        lambda: any("Announcement #" in m.text for m in admin.messages[admin.cursor :])
    )
    progress = next(m for m in admin.messages[admin.cursor :] if "Announcement #" in m.text)
    await bot.emulator.wait_for(lambda: not confirm.buttons)  # "Send it?" is answered
    spanish = bot.emulator.user(user_id=6101)
    portuguese = bot.emulator.user(user_id=6102)
    assert (await spanish.next_message()).html == "<b>Hola</b> red"
    assert (await portuguese.next_message()).text == "Olá rede"
    await bot.emulator.wait_for(lambda: "finished" in progress.text, timeout=10)
    assert "Delivered: 3" in progress.text and "Blocked the bot: 1" in progress.text
    broadcast = (await recent_broadcasts(bot.db))[0]
    assert broadcast.status == "done"
    assert await status_counts(bot.db, broadcast.id) == {"sent": 3, "blocked": 1}


async def compose_to_confirm(
    bot: LocalBot, admin: EmulatedUser, text: str, language: str
) -> tuple[BotMessage, BotMessage, BotMessage]:
    """/broadcast one text in one language to the audience offered: the language question,
    the preview's sample and the confirmation."""
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send(text)
    which = await admin.next_message()
    await admin.press(which, language_button(which, language))
    await bot.emulator.wait_for(lambda: "bc:audience" in str(which.reply_markup))
    await admin.press(which, "bc:audience")
    await bot.emulator.wait_for(lambda: "bc:preview" in str(which.reply_markup))
    await admin.press(which, "bc:preview")
    sample = await admin.next_message()
    return which, sample, await admin.next_message()


async def test_a_less_than_sign_is_sent_as_written(bot: LocalBot) -> None:
    """A "<" that starts no tag is the character: the text goes out, not refused as HTML."""
    await seed_institutions(bot.db)
    await onboard(bot, 6251, "es", "UY")
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    text = "Quedan <10 cupos y el costo es <= 100 USD <3 <b>¡apúrense!</b>"
    which, sample, confirm = await compose_to_confirm(bot, admin, text, "Español")
    assert "HTML" not in which.text
    assert "Quedan <10 cupos y el costo es <= 100 USD <3 ¡apúrense!" in sample.text
    await admin.press(confirm, "bc:send")
    got = await bot.emulator.user(user_id=6251).next_message()
    assert got.text == "Quedan <10 cupos y el costo es <= 100 USD <3 ¡apúrense!"
    assert got.html.endswith("<b>¡apúrense!</b>")


async def test_audience_by_country_and_bad_selectors(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    await onboard(bot, 6201, "es", "UY")
    await onboard(bot, 6202, "es", "CO")
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="es")
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("Aviso para Uruguay")
    which = await admin.next_message()
    await admin.press(which, language_button(which, "Español"))
    await bot.emulator.wait_for(lambda: "bc:audience" in str(which.reply_markup))
    await admin.press(which, "bc:audience")
    await admin.send("country:ZZZ")
    assert "country:ZZZ" in (await admin.next_message()).text
    await admin.send("event:no-such-event")
    assert "no-such-event" in (await admin.next_message()).text
    await admin.send("country:uy")
    audience = await admin.next_message()
    assert "Público: Uruguay\n" in audience.text and "1 persona y" in audience.text
    await bot.emulator.wait_for(lambda: not which.buttons)  # the panel above the typed text
    stale = await admin.press_data(which.message_id, AudienceToggle("country", "CO").pack())
    assert (await admin.next_callback_answer(stale)).get("show_alert")  # a client kept them
    await admin.press(audience, "bc:preview")
    await admin.next_message()
    confirm = await admin.next_message()
    await admin.press(confirm, "bc:send")
    await admin.next_message()
    assert "Aviso para Uruguay" in (await bot.emulator.user(user_id=6201).next_message()).text
    await bot.emulator.user(user_id=6202).expect_silence(1.0)


async def test_bad_texts_are_refused(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send("<b>unclosed")
    assert "refuse this HTML" in (await admin.next_message()).text
    await admin.send("<div>no</div>")
    assert "unknown tag <div>" in (await admin.next_message()).text  # not the parser's
    await admin.send("x<y")  # a letter after "<" may be a mistyped tag: still asked
    assert "refuse this HTML" in (await admin.next_message()).text
    await admin.send("/cancel")
    assert "Nothing was sent" in (await admin.next_message()).text
    assert await recent_broadcasts(bot.db) == []


async def test_schedule_then_cancel_and_schedule_then_send(bot: LocalBot) -> None:
    await onboard(bot, 6301, "en", "UY")
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    clock = FakeClock(now)
    bot.services.clock = clock
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/help")
    await admin.next_message()
    assert await update_member(bot.db, ADMIN_ID, timezone="Europe/Madrid") is not None

    async def compose(text: str, when: str) -> None:
        _, _, confirm = await compose_to_confirm(bot, admin, text, "English")
        await admin.press(confirm, "bc:schedule")
        await bot.emulator.wait_for(lambda: "When should it go" in confirm.text)
        await admin.send("2020-01-01 10:00")
        assert "already passed" in (await admin.next_message()).text
        await admin.send("2027-03-28 02:30")  # does not exist in Madrid (clock change)
        assert "could not read" in (await admin.next_message()).text
        await admin.send(when)

    await compose("first", "2026-11-24 15:00")
    scheduled = await admin.next_message()
    assert "Scheduled announcement" in scheduled.text
    await admin.press(scheduled, "Cancel this announcement")  # asks first
    await bot.emulator.wait_for(lambda: "Cancel announcement #" in scheduled.text)
    assert "“first”" in scheduled.text and "cancelled" not in scheduled.text
    await admin.send("/broadcasts")  # a listing from before the cancellation
    listing = await admin.next_message()
    await admin.press(scheduled, "Yes, cancel it")
    await bot.emulator.wait_for(lambda: "cancelled" in scheduled.text)
    stale = next(t for t in listing.button_texts() if t.startswith("Cancel #"))
    await admin.press(listing, stale)  # that button is stale now
    assert "was already cancelled" in (await admin.next_message()).text

    await compose("second", "2026-11-24 14:00")  # 13:00 UTC
    assert "Scheduled" in (await admin.next_message()).text
    member = bot.emulator.user(user_id=6301)
    await member.expect_silence(2.5)
    clock.set(now + timedelta(hours=1, minutes=1))
    assert (await member.next_message(timeout=10)).text == "second"
    await member.expect_silence(1.0)
    statuses = sorted(b.status for b in await recent_broadcasts(bot.db))
    assert statuses[0] == "cancelled" and statuses[1] in ("sending", "done")


async def test_command_line_broadcast_is_sent_by_the_running_bot(bot: LocalBot) -> None:
    await onboard(bot, 6401, "pt", "BR")
    await onboard(bot, 6402, "es", "UY")
    env = {**os.environ, "DATABASE_URL": bot.settings.database_url}
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "bot",
            "broadcast",
            "--to",
            "language:pt",
            "--text",
            "pt=Olá do terminal",
            "--text",
            "es=Hola desde la terminal",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 recipients" in result.stdout
    assert (await bot.emulator.user(user_id=6401).next_message(timeout=10)).text == (
        "Olá do terminal"
    )
    bad = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "broadcast", "--to", "planet:mars", "--text", "es=x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "planet:mars" in bad.stderr


async def test_group_registered_by_an_admin_receives_broadcasts(bot: LocalBot) -> None:
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    member = bot.emulator.user(user_id=6501, first_name="Ana", language_code="es")
    group = bot.emulator.group(chat_id=-100_555, title="Red Cinterfor", added_by=admin)
    await member.send("/registergroup", chat=group)
    assert "solo los administradores" in (await group.next_message()).text.lower()
    await admin.send("/registergroup", chat=group)
    assert "registered" in (await group.next_message()).text
    groups = await list_groups(bot.db)
    assert [g.chat_id for g in groups] == [-100_555]
    created = await create_broadcast(
        bot.db,
        created_by=ADMIN_ID,
        actor_name="Root",
        texts={"es": "Hola, red"},
        audience=["group:all"],
        now=utcnow(),
        default_language="es",
        split=split_html,
    )
    assert created.recipients == 1
    assert bot.services.delivery is not None
    bot.services.delivery.wake()
    assert (await group.next_message()).text == "Hola, red"


async def test_stats_for_organizers(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    await onboard(bot, 6601, "es", "UY")
    await onboard(bot, 6602, "pt", "BR")
    await update_member(bot.db, 6602, opted_out=True)
    member = bot.emulator.user(user_id=6601)
    await member.send("/stats")
    assert "organizadores" in (await member.next_message()).text
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/stats")
    stats = await admin.next_message()
    assert "Members: 3" in stats.text and "opted out: 1" in stats.text
    assert "Uruguay: 1" in stats.text and "Brazil: 1" in stats.text


async def test_announcement_with_a_document(bot: LocalBot) -> None:
    await onboard(bot, 6701, "es", "UY")
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/broadcast")
    await admin.next_message()
    await admin.send_document("programa.pdf", b"%PDF-1.4 programme", caption="Programa del taller")
    which = await admin.next_message()
    await admin.press(which, language_button(which, "Español"))
    await bot.emulator.wait_for(lambda: "bc:audience" in str(which.reply_markup))
    await admin.press(which, "bc:audience")
    await bot.emulator.wait_for(lambda: "bc:preview" in str(which.reply_markup))
    await admin.press(which, "bc:preview")
    await admin.next_message()
    confirm = await admin.next_message()
    await admin.press(confirm, "bc:send")
    received = await bot.emulator.user(user_id=6701).next_message()
    assert received.document is not None and received.document.content == b"%PDF-1.4 programme"
    assert received.caption == "Programa del taller"
