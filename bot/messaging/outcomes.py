"""What one send's failure means for its outbox row: the classes of failure, backoff, and
outcomes that keep the row's progress (parts sent, first attempt, timeouts)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TimedOut

from bot.messaging.payload import EmptyPayload, Progress
from storage import outbox
from storage.models import Delivery

BACKOFF_CAP = 300.0

# What a failed send says about Telegram and about the row.
FLOOD, BLOCKED, REFUSED, TIMEOUT, TRANSIENT = "flood", "blocked", "refused", "timeout", "transient"


def classify(exc: BaseException) -> str:
    """The kind of a send failure; anything unknown is taken as passing (and retried)."""
    if isinstance(exc, RetryAfter):
        return FLOOD
    if isinstance(exc, Forbidden):
        return BLOCKED
    if isinstance(exc, BadRequest | ChatMigrated | EmptyPayload):
        return REFUSED
    if isinstance(exc, TimedOut):
        return TIMEOUT
    return TRANSIENT  # NetworkError (5xx, resets), KeyError/ValueError of odd bodies, ...


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … seconds (capped at five minutes), with jitter so retries spread out."""
    seconds = min(BACKOFF_CAP, 2.0 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def result(
    delivery: Delivery,
    status: str,
    attempts: int,
    progress: Progress,
    first: datetime,
    *,
    error: str,
    retry_at: datetime | None = None,
    timeouts: int | None = None,
    extra: dict[str, Any] | None = None,
) -> outbox.Outcome:
    """An outcome that keeps the row's progress (parts sent, first attempt, timeouts)."""
    assert delivery.id is not None
    return outbox.Outcome(
        delivery.id,
        status,
        attempts,
        message_id=progress.message_id or delivery.telegram_message_id,
        error=error,
        retry_at=retry_at,
        extra=extra or {},
        parts_sent=progress.parts_sent,
        first_attempt_at=first,
        timeouts=delivery.timeouts if timeouts is None else timeouts,
    )


def keep(delivery: Delivery, status: str, attempts: int) -> outbox.Outcome:
    """The row goes back exactly as it was (nothing was tried)."""
    assert delivery.id is not None
    return outbox.Outcome(
        delivery.id,
        status,
        attempts,
        error=delivery.last_error,
        retry_at=delivery.next_attempt_at,
        parts_sent=delivery.parts_sent,
        first_attempt_at=delivery.first_attempt_at,
        timeouts=delivery.timeouts,
        message_id=delivery.telegram_message_id,
    )


def seconds_of(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
