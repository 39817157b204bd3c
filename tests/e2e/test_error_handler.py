"""The error handler never fails on an answered (or too old) button press: answering the
query may fail, the apology still goes."""

from __future__ import annotations

import logging

import pytest

from bot.devtools.local import LocalBot


async def test_apology_goes_even_when_answering_the_query_fails(
    bot: LocalBot, caplog: pytest.LogCaptureFixture
) -> None:
    user = bot.emulator.user(user_id=4105, first_name="Ana", language_code="en")
    await user.send("/settings")
    menu = await user.next_message()
    assert menu.button_data(), menu.text
    # The handler's edit fails (an error for on_error), and Telegram refuses to answer the
    # query ("query is too old"): the handler's answer and the error handler's both fail.
    bot.emulator.inject_fault("editMessageText", "server_error", count=1)
    bot.emulator.inject_fault("answerCallbackQuery", "bad_request", count=5)
    with caplog.at_level(logging.ERROR):
        await user.press_data(menu.message_id, menu.button_data()[0])
        await bot.emulator.wait_for(
            lambda: any("Sorry, something went wrong" in m.text for m in user.messages),
            timeout=10,
        )
    assert bot.emulator.count("answerCallbackQuery", 400) >= 1
    assert bot.emulator.count("editMessageText", 500) == 1
    assert not any("could not send the apology" in r.getMessage() for r in caplog.records)
