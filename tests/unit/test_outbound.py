"""Typed outgoing messages: the outbox JSON they write and read (the format rows already in
the database have), and buttons that are a callback or a link, never both."""

from __future__ import annotations

import json

import pytest

from bot.core.outbound import Button, OutboundMessage, button_rows
from bot.messaging.markup import inline_markup
from bot.render.callbacks.onboarding import ForgetMe


def test_payload_round_trip_keeps_the_stored_json() -> None:
    message = OutboundMessage(
        ["<b>Hola</b>", "segunda parte"],
        buttons=[
            [Button("▶️ Join", url="https://meet.example/x")],
            [Button("Sí", data=ForgetMe("yes").pack()), Button("No", data="fm:no")],
        ],
        document="FILE-1",
        silent=True,
    )
    payload = message.to_payload()
    assert payload == {
        "parts": ["<b>Hola</b>", "segunda parte"],
        "parse_mode": "HTML",
        "buttons": [
            [["▶️ Join", "url:https://meet.example/x"]],
            [["Sí", "fm:yes"], ["No", "fm:no"]],
        ],
        "document": "FILE-1",
        "silent": True,
    }
    stored = json.loads(json.dumps(payload))  # what the JSON column gives back
    assert OutboundMessage.from_payload(stored) == message


@pytest.mark.parametrize(
    "payload",
    [
        {"parts": ["a"], "parse_mode": "HTML"},  # storage.broadcasts, no attachment
        {"parts": ["a", "b"], "parse_mode": "HTML", "photo": "P"},
        {"parts": ["a"], "parse_mode": "HTML", "document": "D"},
        {"parts": ["x"], "parse_mode": None},
        {
            "parts": ["r"],
            "parse_mode": "HTML",
            "buttons": [[["✅ I'll attend", "rv:y:webinar"], ["Join", "url:https://x.org"]]],
        },
    ],
)
def test_payloads_written_today_read_back_unchanged(payload: dict[str, object]) -> None:
    assert OutboundMessage.from_payload(payload).to_payload() == payload


def test_older_payload_shapes_are_read() -> None:
    legacy = OutboundMessage.from_payload({"text": "hello 1"})  # tests/storage, early rows
    assert legacy == OutboundMessage(["hello 1"])
    empty_buttons = OutboundMessage.from_payload({"parts": ["c"], "buttons": []})
    assert empty_buttons.buttons == [] and empty_buttons.parse_mode == "HTML"
    assert OutboundMessage.from_payload({"parts": ["p"], "photo": "P"}).media == ("photo", "P")
    both = OutboundMessage.from_payload({"parts": ["p"], "document": "D", "photo": "P"})
    assert both.media == ("document", "D")  # as the delivery engine always chose


def test_button_is_exactly_one_of_data_and_url() -> None:
    with pytest.raises(ValueError):
        Button("neither")
    with pytest.raises(ValueError):
        Button("both", data="fm:yes", url="https://x.org")
    with pytest.raises(ValueError):
        Button("ambiguous", data="url:https://x.org")  # would read back as a link
    assert Button("ok", data="fm:yes").url is None
    assert Button("ok", url="https://x.org").data is None


def test_message_is_a_document_or_a_photo_not_both() -> None:
    with pytest.raises(ValueError):
        OutboundMessage(["x"], document="D", photo="P")


def test_legacy_pairs_and_buttons_mix_in_rows() -> None:
    rows = button_rows([[("Yes", "fm:yes"), Button("Site", url="https://x.org")], []])
    assert rows == [[Button("Yes", data="fm:yes"), Button("Site", url="https://x.org")]]
    markup = inline_markup([[("Yes", "fm:yes"), ("Site", "url:https://x.org")]])
    assert markup is not None
    first, second = markup.inline_keyboard[0]
    assert (first.text, first.callback_data, first.url) == ("Yes", "fm:yes", None)
    assert (second.text, second.callback_data, second.url) == ("Site", None, "https://x.org")
    assert inline_markup([]) is None and inline_markup(None) is None


def test_a_web_app_button_survives_the_outbox_and_becomes_a_web_app_button() -> None:
    button = Button("📱 App", web_app="https://example.org/app/?view=event&id=vc")
    message = OutboundMessage(["x"], buttons=[[button]])
    payload = json.loads(json.dumps(message.to_payload()))
    assert payload["buttons"] == [[["📱 App", "webapp:https://example.org/app/?view=event&id=vc"]]]
    assert OutboundMessage.from_payload(payload) == message
    markup = inline_markup([[button]])
    assert markup is not None
    cell = markup.inline_keyboard[0][0]
    assert cell.web_app is not None and cell.web_app.url == button.web_app
    assert cell.callback_data is None and cell.url is None


@pytest.mark.parametrize(
    "fields",
    [{"web_app": "https://a", "url": "https://b"}, {"web_app": "https://a", "data": "x"}, {}],
)
def test_a_button_is_exactly_one_kind(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Button("x", **fields)


def test_callback_data_cannot_pass_for_a_web_app_button() -> None:
    with pytest.raises(ValueError):
        Button("x", data="webapp:https://example.org/")
