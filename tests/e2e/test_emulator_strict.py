"""Strict mode of the emulator, over real HTTP: Telegram's status codes and descriptions for
requests that break the Bot API's rules, and the record of every refused request."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from telegram.error import BadRequest

from bot.devtools.emulator import (
    STRICT_ENV,
    BotAPIEmulator,
    BotMessage,
    Call,
    collect_refusals,
    strict_default,
)
from bot.devtools.local import LocalBot
from tests.conftest import ADMIN_ID

USER = 5201


class Clock:
    """The emulator's clock, moved by hand (for the callback answer deadline)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def provoked(emulator_refusals: list[Call]) -> Iterator[None]:
    """These tests make refusals on purpose: keep them out of the run's list."""
    yield
    emulator_refusals.clear()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emu(clock: Clock) -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator(strict=True, clock=clock) as emulator:
        emulator.user(user_id=USER)
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


async def call(
    http: httpx.AsyncClient, emu: BotAPIEmulator, method: str, **params: Any
) -> httpx.Response:
    return await http.post(f"{emu.base_url}/bot{emu.token}/{method}", json=params)


def refusal(answer: httpx.Response, description: str) -> None:
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"ok": False, "error_code": 400, "description": description}


async def sent(http: httpx.AsyncClient, emu: BotAPIEmulator, **params: Any) -> BotMessage:
    answer = await call(http, emu, "sendMessage", chat_id=USER, **params)
    assert answer.status_code == 200, answer.text
    message = emu.find_message(USER, answer.json()["result"]["message_id"])
    assert message is not None
    return message


async def test_a_good_request_passes_and_nothing_is_refused(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    await sent(http, emu, text="<b>hi</b>", parse_mode="HTML", disable_notification=True)
    assert emu.refused == []


async def test_unknown_parameter_is_refused_and_recorded(
    emu: BotAPIEmulator, http: httpx.AsyncClient, emulator_refusals: list[Call]
) -> None:
    answer = await call(http, emu, "sendMessage", chat_id=USER, text="hi", colour="red")
    refusal(answer, 'Bad Request: unknown parameter "colour" for method sendMessage')
    assert emu.messages_to(USER) == []
    assert [(c.method, c.status) for c in emu.refused] == [("sendMessage", 400)]
    assert emulator_refusals == emu.refused  # what the suite's fixture sees


async def test_missing_required_fields(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    refusal(await call(http, emu, "sendMessage", text="hi"), "Bad Request: chat_id is empty")
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER), "Bad Request: message text is empty"
    )
    refusal(await call(http, emu, "answerCallbackQuery", text="x"), "Bad Request: QUERY_ID_INVALID")
    refusal(
        await call(http, emu, "deleteMessage", chat_id=USER),
        "Bad Request: message identifier is not specified",
    )
    refusal(
        await call(http, emu, "editMessageText", message_id=1, text="new"),
        "Bad Request: chat_id is empty",
    )
    refusal(
        await call(http, emu, "editMessageReplyMarkup", chat_id=USER),
        "Bad Request: message identifier is not specified",
    )
    assert len(emu.refused) == 6
    listed = (await http.get(f"{emu.base_url}/_emulator/refused")).json()["refused"]
    assert [row["method"] for row in listed] == [c.method for c in emu.refused]
    stats = (await http.get(f"{emu.base_url}/_emulator/stats")).json()
    assert stats["refused"] == 6


async def test_wrong_types(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    refusal(
        await call(http, emu, "deleteMessage", chat_id=USER, message_id="first"),
        'Bad Request: field "message_id" must be of type Integer',
    )
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER, text="x", reply_markup="[oops"),
        'Bad Request: field "reply_markup" must be of type JSON-serialized object',
    )
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER, text="x", disable_notification="y"),
        'Bad Request: field "disable_notification" must be of type Boolean',
    )


async def test_form_encoded_values_are_read_as_telegram_reads_them(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    """PTB sends url-encoded forms: numbers, booleans and JSON arrive as strings."""
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    form = {
        "chat_id": str(USER),
        "text": "hi",
        "disable_notification": "true",
        "reply_markup": json.dumps(markup),
    }
    answer = await http.post(f"{emu.base_url}/bot{emu.token}/sendMessage", data=form)
    assert answer.status_code == 200, answer.text
    assert emu.refused == []


async def test_multipart_upload_counts_as_the_file_field(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    url = f"{emu.base_url}/bot{emu.token}/sendDocument"
    files = {"document": ("a.csv", b"x,y\n", "text/csv")}
    answer = await http.post(url, data={"chat_id": str(USER), "caption": "c"}, files=files)
    assert answer.status_code == 200, answer.text
    missing = await http.post(url, data={"chat_id": str(USER)})
    refusal(missing, "Bad Request: document is empty")


async def test_text_length_after_entity_parsing(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    await sent(http, emu, text="<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER, text="a" * 4097),
        "Bad Request: message is too long",
    )
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER, text="<b> </b>", parse_mode="HTML"),
        "Bad Request: message text is empty",
    )


async def test_text_length_counts_utf16_code_units(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    """An emoji outside the BMP is two code units for Telegram: 2,048 of them fill a message."""
    await sent(http, emu, text="\U0001f600" * 2048)
    refusal(
        await call(http, emu, "sendMessage", chat_id=USER, text="\U0001f600" * 2048 + "a"),
        "Bad Request: message is too long",
    )
    url = f"{emu.base_url}/bot{emu.token}/sendDocument"
    files = {"document": ("a.txt", b"x", "text/plain")}
    long = {"chat_id": str(USER), "caption": "\U0001f600" * 512 + "c"}
    refusal(
        await http.post(url, data=long, files=files), "Bad Request: message caption is too long"
    )


async def test_caption_limit_on_send_and_on_edit(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    url = f"{emu.base_url}/bot{emu.token}/sendDocument"
    files = {"document": ("a.txt", b"x", "text/plain")}
    long = {"chat_id": str(USER), "caption": "c" * 1025}
    refusal(
        await http.post(url, data=long, files=files), "Bad Request: message caption is too long"
    )
    answer = await http.post(url, data={"chat_id": str(USER), "caption": "c"}, files=files)
    message_id = answer.json()["result"]["message_id"]
    edit = {"chat_id": USER, "message_id": message_id}
    refusal(
        await call(http, emu, "editMessageCaption", **edit, caption="c" * 1025),
        "Bad Request: message caption is too long",
    )
    assert (await call(http, emu, "editMessageCaption", **edit, caption="d")).status_code == 200


async def test_callback_data_is_1_to_64_bytes(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    for data in ("", "é" * 33):
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": data}]]}
        answer = await call(http, emu, "sendMessage", chat_id=USER, text="x", reply_markup=markup)
        refusal(answer, "Bad Request: BUTTON_DATA_INVALID")
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "é" * 32}]]}
    await sent(http, emu, text="x", reply_markup=markup)


async def test_edits_not_modified_and_not_found(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    message = await sent(http, emu, text="same")
    edit = {"chat_id": USER, "message_id": message.message_id}
    refusal(
        await call(http, emu, "editMessageText", **edit, text="same"),
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )
    refusal(
        await call(http, emu, "editMessageText", chat_id=USER, message_id=999, text="new"),
        "Bad Request: message to edit not found",
    )


async def test_callback_answers_text_and_deadline(
    emu: BotAPIEmulator, http: httpx.AsyncClient, clock: Clock
) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    message = await sent(http, emu, text="x", reply_markup=markup)
    person = emu.users[USER]
    first = await person.press(message, "A")
    refusal(
        await call(http, emu, "answerCallbackQuery", callback_query_id=first, text="t" * 201),
        "Bad Request: MESSAGE_TOO_LONG",
    )
    assert (await call(http, emu, "answerCallbackQuery", callback_query_id=first)).is_success
    late = await person.press(message, "A")
    clock.now += 15.5
    refusal(
        await call(http, emu, "answerCallbackQuery", callback_query_id=late),
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )


async def test_unknown_method_is_a_refusal(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    answer = await call(http, emu, "sendTelepathy", chat_id=USER)
    assert answer.status_code == 404
    assert [c.method for c in emu.refused] == ["sendTelepathy"]


async def test_injected_faults_are_not_refusals(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    emu.inject_fault("sendMessage", "bad_request", count=1)
    with collect_refusals() as collected:
        answer = await call(http, emu, "sendMessage", chat_id=USER, text="x")
    assert answer.status_code == 400
    assert collected == []
    assert emu.refused == []


async def test_lenient_emulator_lets_unknown_parameters_through(
    http: httpx.AsyncClient,
) -> None:
    async with BotAPIEmulator(strict=False) as lenient:
        lenient.user(user_id=USER)
        answer = await call(http, lenient, "sendMessage", chat_id=USER, text="hi", colour="red")
        assert answer.status_code == 200
        assert lenient.refused == []


def test_strict_by_default_in_the_test_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    assert BotAPIEmulator().strict is True  # tests/conftest.py sets the variable
    monkeypatch.setenv(STRICT_ENV, "0")
    assert strict_default() is False
    assert BotAPIEmulator().strict is False
    monkeypatch.delenv(STRICT_ENV)
    assert BotAPIEmulator().strict is False


@pytest.mark.strict_api
async def test_the_bot_makes_no_refused_request_in_a_button_flow(bot: LocalBot) -> None:
    """The real bot in strict mode: the marker fails the test on any refused request."""
    assert bot.emulator.strict
    target = bot.emulator.user(user_id=5301, first_name="Ada", language_code="en")
    await target.send("/help")
    await target.next_message()
    admin = bot.emulator.user(user_id=ADMIN_ID, first_name="Root", language_code="en")
    await admin.send("/grant 5301")
    choice = await admin.next_message()
    await admin.press(choice, "admin")
    await bot.emulator.wait_for(lambda: "is now admin" in choice.text)
    assert bot.emulator.count("answerCallbackQuery") == 1
    assert bot.emulator.refused == []


async def test_ptb_sees_refusals_as_bad_request(
    bot: LocalBot, emulator_refusals: list[Call]
) -> None:
    """PTB's own request forms pass the field checks; the rules answer with BadRequest."""
    person = bot.emulator.user(user_id=5302)
    with pytest.raises(BadRequest, match=r"(?i)unknown parameter"):
        await bot.application.bot.send_message(person.id, "hi", api_kwargs={"colour": "red"})
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.application.bot.send_message(person.id, "x" * 4097)
    assert [c.description for c in emulator_refusals] == [
        'Bad Request: unknown parameter "colour" for method sendMessage',
        "Bad Request: message is too long",
    ]
    await bot.application.bot.send_message(person.id, "fine", disable_notification=True)
    assert len(emulator_refusals) == 2
