"""Prometheus metrics of the bot (served at GET /metrics).

Counters live in the default registry; the queue gauges are refreshed when scraped.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

UPDATES = Counter("bot_updates_total", "Updates received, by outcome", ["outcome"])
REPLIES = Counter(
    "bot_replies_total", "Sends outside the outbox (replies), by outcome", ["outcome"]
)
OUTBOX_SENDS = Counter("bot_outbox_sends_total", "Outbox send attempts, by outcome", ["outcome"])
FLOODS = Counter("bot_telegram_429_total", "429 answers from Telegram, by scope", ["scope"])
QUEUE_DEPTH = Gauge("bot_outbox_queue_depth", "Outbox rows pending or being sent")
OLDEST_DUE = Gauge("bot_outbox_oldest_due_seconds", "Age of the oldest due outbox row")
CIRCUIT_OPEN = Gauge("bot_outbox_circuit_open", "1 while the outbox circuit breaker is open")
ENGINE_RESTARTS = Counter(
    "bot_outbox_task_restarts_total", "Delivery engine tasks restarted by the supervisor"
)
POLLER = Gauge("bot_is_poller", "1 when this replica polls getUpdates (PostgreSQL election)")
SEND_SHARE = Gauge("bot_send_share", "This replica's share of the bot's messages a second")
