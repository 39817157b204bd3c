"""End-to-end: bad input gets a clear, localized message, changes nothing, and the bot
keeps answering."""

from __future__ import annotations

import logging

import pytest

from bot.app.logsetup import setup_logging
from bot.devtools.local import LocalBot, local_bot
from storage.members import get_member


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "demasiado largo"), ("pt", "longa demais"), ("en", "too long")],
)
async def test_oversize_message(bot: LocalBot, language: str, expected: str) -> None:
    user = bot.emulator.user(user_id=4001, first_name="Ana", language_code=language)
    await user.send("/institution " + "x" * 5000)
    answer = await user.next_message()
    assert expected in answer.text
    member = await get_member(bot.db, 4001)
    assert member is not None and member.institution_id is None
    await user.send("/help")
    assert "/settings" in (await user.next_message()).text


async def test_control_characters_refused(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=4002, first_name="Ana", language_code="en")
    await user.send("/timezone Europe/Madrid\x00\x07")
    assert "control characters" in (await user.next_message()).text
    member = await get_member(bot.db, 4002)
    assert member is not None and member.timezone == "America/Montevideo"


@pytest.mark.parametrize(
    "data",
    [
        "ob:ctry:ZZ",
        "sz:tz:BR:99",
        "sz:tz:XX:0",
        "ob:lang:klingon",
        "si:inst:does-not-exist",
        "st:nothing",
        "fm:maybe",
        "totally-unknown",
        "ob",
        "oc:ob:ZZ",
        "oc:ob:UY:extra",
        "oz:sz:BR:99",
        "oz:sz:BR:-1",
        "oz:sz:XX:0",
        "oz:sz:BR:00000000000000000000001",
        "ol:ob:klingon",
        "ol:si:es",
        "oi:si:does-not-exist",
        "oi:sl:",
        "st:",
        "fm:yes:",
    ],
)
async def test_forged_or_stale_buttons(bot: LocalBot, data: str) -> None:
    user = bot.emulator.user(user_id=4003, first_name="Ana", language_code="es")
    await user.send("/help")
    message = await user.next_message()
    before = await get_member(bot.db, 4003)
    query = await user.press_data(message.message_id, data)
    answer = await user.next_callback_answer(query)
    assert "ya no es válido" in answer.get("text", "")
    after = await get_member(bot.db, 4003)
    assert before is not None and after is not None
    assert before.model_dump(exclude={"updated_at"}) == after.model_dump(exclude={"updated_at"})


async def test_unknown_command_gets_a_hint(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=4004, first_name="Ana", language_code="pt")
    await user.send("/teleport now")
    answer = await user.next_message()
    assert "/teleport" in answer.text and "/help" in answer.text


async def test_long_reply_is_split(bot: LocalBot) -> None:
    from bot.messaging.textsplit import split_text

    text = ("palavra " * 450 + "\n") * 2  # two paragraphs of 3,601 characters
    parts = split_text(text)
    assert len(parts) == 2 and all(len(p) <= 4096 for p in parts)
    assert parts[0].endswith("palavra")  # cut at the paragraph, not inside a word
    assert "".join(p.replace(" ", "").replace("\n", "") for p in parts) == text.replace(
        " ", ""
    ).replace("\n", "")


async def test_handler_failure_is_apologised_and_bot_keeps_answering(
    bot: LocalBot, caplog: pytest.LogCaptureFixture
) -> None:
    user = bot.emulator.user(user_id=4005, first_name="Ana", language_code="en")
    bot.emulator.inject_fault("sendMessage", "server_error", chat_id=4005, count=1)
    with caplog.at_level(logging.ERROR):
        await user.send("/help")
        apology = await user.next_message()
    assert "Sorry, something went wrong" in apology.text
    assert any("error while handling update" in r.getMessage() for r in caplog.records)
    await user.send("/help")
    assert "/settings" in (await user.next_message()).text


async def test_token_never_in_logs(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    from bot.devtools.emulator import BotAPIEmulator

    token = "7654321098:AAF-real-looking-secret-token-value-123"
    setup_logging("DEBUG", secrets=[token])
    emu = BotAPIEmulator(token=token)
    await emu.start()
    try:
        with caplog.at_level(logging.DEBUG):
            async with local_bot(database_url=sqlite_url, emulator=emu) as running:
                user = running.emulator.user(user_id=4006, first_name="Ana", language_code="en")
                running.emulator.inject_fault("sendMessage", "server_error", chat_id=4006)
                await user.send("/help")
                await running.emulator.wait_for(
                    lambda: any("error while handling" in r.getMessage() for r in caplog.records)
                )
    finally:
        await emu.stop()
        logging.getLogger().setLevel(logging.WARNING)
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert len(caplog.records) > 20
    assert token not in text
    assert token.split(":")[1] not in text
