"""LOG_FORMAT=json: one JSON object a line, naming the update, chat and delivery the line is
about, with every secret redacted; plain text stays the default."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.app.config import load_settings
from bot.app.logsetup import JsonFormatter, protect_secret, setup_logging
from bot.core import logfields

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    setup_logging("INFO", secrets=[TOKEN])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_one_object_a_line_with_what_it_is_about(captured: io.StringIO) -> None:
    log = logging.getLogger("test.json")
    token = logfields.bind(update_id=77, chat_id=-100123)
    try:
        log.warning("handling %s", "text\nwith a newline")
        inner = logfields.bind(delivery_id=5)
        log.info("sent")
        logfields.reset(inner)
    finally:
        logfields.reset(token)
    log.info("outside")
    first, second, third = lines(captured)
    assert first["level"] == "WARNING" and first["logger"] == "test.json"
    assert first["message"] == "handling text\nwith a newline"
    assert (first["update_id"], first["chat_id"]) == (77, -100123)
    assert "delivery_id" not in first
    assert second["delivery_id"] == 5
    assert "update_id" not in third and str(third["time"]).endswith("+00:00")


def test_no_token_in_messages_or_exceptions(captured: io.StringIO) -> None:
    protect_secret("webhook-secret-value")
    log = logging.getLogger("test.json")
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        log.exception("send failed for %s and webhook-secret-value", TOKEN)
    text = captured.getvalue()
    assert TOKEN not in text and "webhook-secret-value" not in text
    (entry,) = lines(captured)
    assert "<redacted>" in str(entry["message"]) and "<redacted>" in str(entry["exception"])


def test_text_is_the_default_and_json_is_checked() -> None:
    assert load_settings(_env_file=None).log_format == "text"
    assert load_settings(_env_file=None, log_format="json").log_format == "json"
    with pytest.raises(Exception, match="LOG_FORMAT"):
        load_settings(_env_file=None, log_format="xml")
