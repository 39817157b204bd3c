"""What a log line is about (update, chat, delivery), carried by a context variable so that
every record logged while handling one update or sending one delivery names them.

Each update and each send runs in its own asyncio task, whose context is its own copy:
setting the fields there never leaks into another task."""

from __future__ import annotations

import contextvars
from typing import Any

FIELDS = ("update_id", "chat_id", "delivery_id")
_CURRENT: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "log_fields", default=None
)


def bind(**fields: Any) -> contextvars.Token[dict[str, Any] | None]:
    """Add ``fields`` (None values are dropped) to the current task's log fields."""
    merged = dict(_CURRENT.get() or {})
    merged.update({k: v for k, v in fields.items() if v is not None})
    return _CURRENT.set(merged)


def reset(token: contextvars.Token[dict[str, Any] | None]) -> None:
    _CURRENT.reset(token)


def current() -> dict[str, Any]:
    return dict(_CURRENT.get() or {})
