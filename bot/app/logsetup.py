"""Logging set-up that keeps secrets (the bot token) out of every log line.

Redaction happens when a record is created (a log record factory), so it holds for every
handler — the console, files, pytest's capture — and for exception texts, which may carry
request URLs with the token in them.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from datetime import UTC, datetime
from typing import Any

from bot.core import logfields

_TOKEN_RE = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,}")
_SECRETS: list[str] = []
_LOCK = threading.Lock()
_installed = False


def redact(text: str) -> str:
    """Known secrets and anything shaped like a bot token become ``<redacted>``."""
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, "<redacted>")
    return _TOKEN_RE.sub("<redacted>", text)


def protect_secret(secret: str) -> None:
    """Keep ``secret`` out of every log record from now on."""
    with _LOCK:
        if secret and secret not in _SECRETS:
            _SECRETS.append(secret)
            _SECRETS.sort(key=len, reverse=True)
    _install_record_factory()


def _install_record_factory() -> None:
    global _installed
    with _LOCK:
        if _installed:
            return
        original = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = original(*args, **kwargs)
            record.log_fields = logfields.current()  # the task that logged it, not the handler's
            try:
                message = record.getMessage()
            except Exception:  # a broken format string: leave it to the handler
                return record
            clean = redact(message)
            if clean != message or record.args:
                record.msg, record.args = clean, None
            if record.exc_info and record.exc_info[0] is not None:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the update, chat and
    delivery the line is about where known (bot.core.logfields). The message and the
    exception were redacted when the record was made; the whole line is redacted again."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "log_fields", None) or {}
        for name in logfields.FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = fields.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


def _formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def setup_logging(
    level: str = "INFO", secrets: list[str] | None = None, log_format: str = "text"
) -> None:
    """Configure the root logger once and make every record secret-free."""
    for secret in secrets or []:
        protect_secret(secret)
    _install_record_factory()
    root = logging.getLogger()
    root.setLevel(level)
    ours = [h for h in root.handlers if getattr(h, "_cinterfor", False)]
    for handler in ours:
        handler.setFormatter(_formatter(log_format))
    if not ours:
        handler = logging.StreamHandler()
        handler.setFormatter(_formatter(log_format))
        handler._cinterfor = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    # httpx logs every request URL, which contains the token: keep it at warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
