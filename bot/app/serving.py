"""Serving: long polling or the aiohttp webhook, until told to stop.

Both modes serve ``GET /healthz``, ``GET /metrics`` (Prometheus) and the Mini App
(``/app/``, :mod:`bot.webapp`) on ``PORT``; the webhook mode also receives Telegram's
``POST`` there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update

from bot.app.application import PollingApp, background_work
from bot.app.config import Settings
from bot.app.context import services_of
from bot.app.election import Election, poller_ttl
from bot.app.updates import ALLOWED_UPDATES
from bot.messaging import metrics
from bot.webapp import setup_webapp
from storage import outbox, updates
from storage.db import Database

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_ID = 2**63 - 1
PRUNE_EVERY = 600.0  # seconds between sweeps of the seen-update ids
ELECTION_KEY = "poller_election"
MAX_LINE = 8190  # bytes of the request line (aiohttp's default)
MAX_FIELD = 8192 + 1024  # bytes of a header: init data up to 8 KB (bot.webapp.auth) and more


def _unauthorized() -> web.Response:
    return web.json_response({"ok": False, "error": "unauthorized"}, status=401)


def _bad_update() -> web.Response:
    return web.json_response({"ok": False, "error": "bad update"}, status=400)


def secret_matches(given: str, secret: str) -> bool:
    """Constant-time comparison that any header value survives (non-ASCII included)."""
    if not secret:
        return False
    try:
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode())
    except (UnicodeError, TypeError):
        return False


async def _read_update(request: web.Request, application: PollingApp) -> Update | None:
    """The posted update, or None when the body is not one (bad JSON, not an object, no
    numeric update_id, values PTB cannot take such as a date out of range)."""
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        return None
    if not 0 <= update_id <= MAX_UPDATE_ID:
        return None
    try:
        return Update.de_json(data, application.bot)
    except Exception as exc:  # PTB raises whatever the odd value causes
        log.info("webhook body refused: %s", type(exc).__name__)
        return None


def _webhook_handler(application: PollingApp, settings: Settings, db: Database) -> Any:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    svc = services_of(application)
    last_prune = [float("-inf")]

    async def receive(request: web.Request) -> web.Response:
        if not secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
            log.warning("webhook call without the right secret from %s", request.remote)
            return _unauthorized()
        update = await _read_update(request, application)
        if update is None:
            metrics.UPDATES.labels("malformed").inc()
            return _bad_update()
        try:
            first = await updates.first_sighting(db, update.update_id, svc.now())
        except Exception:
            log.exception("could not record update %s; Telegram will post it again", update)
            return web.json_response({"ok": False, "error": "unavailable"}, status=503)
        if not first:
            metrics.UPDATES.labels("duplicate").inc()
            return web.json_response({"ok": True, "duplicate": True})
        await application.update_queue.put(update)
        loop = asyncio.get_running_loop()
        if loop.time() - last_prune[0] >= PRUNE_EVERY:
            last_prune[0] = loop.time()
            application.create_task(_prune(db, svc.now()), name="prune-seen-updates")
        return web.json_response({"ok": True})

    return receive


async def _prune(db: Database, now: Any) -> None:
    try:
        await updates.prune(db, now)
    except Exception:
        log.exception("could not prune the seen update ids")


async def health(application: PollingApp) -> tuple[bool, dict[str, Any]]:
    """Healthy: the database answers, PTB runs and the delivery engine runs."""
    svc = services_of(application)
    db_ok = await svc.db.ping()
    engine = svc.delivery
    engine_ok = engine is not None and engine.alive
    report: dict[str, Any] = {
        "database": "ok" if db_ok else "down",
        "delivery": "running" if engine_ok else "stopped",
        "circuit": engine.breaker.state if engine is not None else "closed",
    }
    election = application.bot_data.get(ELECTION_KEY)
    if isinstance(election, Election):
        report["role"] = "poller" if election.leader else "standby"
        metrics.POLLER.set(1 if election.leader else 0)
    if db_ok:
        try:
            stats = await outbox.queue_stats(svc.db, svc.now())
        except Exception:
            log.exception("could not read the outbox queue")
            db_ok = False
        else:
            report["queue_depth"] = stats.depth
            report["due"] = stats.due
            report["oldest_due_seconds"] = round(stats.oldest_due_seconds, 1)
            metrics.QUEUE_DEPTH.set(stats.depth)
            metrics.OLDEST_DUE.set(stats.oldest_due_seconds)
    healthy = db_ok and engine_ok and application.running
    return healthy, {"ok": healthy, **report}


def http_app(application: PollingApp, webhook_path: str | None = None) -> web.Application:
    """aiohttp app: GET /healthz, GET /metrics, and POST <webhook path> in webhook mode."""
    svc = services_of(application)

    async def healthz(_: web.Request) -> web.Response:
        healthy, report = await health(application)
        return web.json_response(report, status=200 if healthy else 503)

    async def metrics_page(_: web.Request) -> web.Response:
        await health(application)  # refreshes the queue gauges
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application(client_max_size=2 * 1024 * 1024)
    if webhook_path is not None:
        app.router.add_post(webhook_path, _webhook_handler(application, svc.settings, svc.db))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    setup_webapp(app, svc)
    return app


def webhook_app(application: PollingApp, settings: Settings, db: Database) -> web.Application:
    """The webhook mode's aiohttp app (secret header checked), with /healthz and /metrics."""
    return http_app(application, urlsplit(settings.webhook_url or "").path or "/webhook")


class QuietBadRequests(logging.Filter):
    """aiohttp logs a request it cannot parse (a 100 KB header, garbage bytes) at ERROR
    with a traceback and the first 100 bytes of the offending line, which may be someone's
    init data. It already answers 400; one INFO line saying so, without either, is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, HttpProcessingError):
            return True
        log.log(
            min(record.levelno, logging.INFO),  # aiohttp's debug lines stay debug
            "refused an unreadable HTTP request (%s %s): %s",
            exc.code,
            type(exc).__name__,
            record.getMessage(),  # "Error handling request from <address>"
        )
        return False


def quiet_bad_requests() -> None:
    """Install :class:`QuietBadRequests` on aiohttp's server logger (once)."""
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, QuietBadRequests) for f in server_log.filters):
        server_log.addFilter(QuietBadRequests())


@contextlib.asynccontextmanager
async def serving_http(
    app: web.Application, host: str, port: int | None
) -> AsyncIterator[web.AppRunner | None]:
    """Serve ``app`` on ``host:port`` (not at all when ``port`` is None)."""
    if port is None:
        yield None
        return
    quiet_bad_requests()
    runner = web.AppRunner(app, access_log=None, max_line_size=MAX_LINE, max_field_size=MAX_FIELD)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        yield runner
    finally:
        await runner.cleanup()


async def run_polling_until(
    application: PollingApp,
    stop: asyncio.Event,
    *,
    polling: bool = True,
    http_port: int | None = None,
    host: str = "0.0.0.0",
) -> None:
    """Serve by long polling until ``stop`` is set. Without ``polling`` only the background
    work runs (a second process beside the one that receives updates: Telegram lets one
    process poll a token). With ``http_port``, /healthz and /metrics are served there."""
    async with closing_http(application), application:
        await application.start()
        assert application.updater is not None
        try:
            async with serving_http(http_app(application), host, http_port):
                await _poll(application, stop, polling)
        finally:
            if application.running:
                await application.stop()


@contextlib.asynccontextmanager
async def closing_http(application: PollingApp) -> AsyncIterator[None]:
    """Close the Bot API connections when serving ends. PTB closes them on a normal stop,
    but not when the start failed (a rejected token, an unreachable API): its shutdown
    skips an application that never finished initializing. Closing twice is harmless."""
    try:
        yield
    finally:
        for request in services_of(application).http:
            await request.shutdown()


async def _poll(application: PollingApp, stop: asyncio.Event, polling: bool) -> None:
    assert application.updater is not None
    if not polling:
        async with background_work(application):
            await stop.wait()
        return
    svc = services_of(application)
    if not svc.db.is_sqlite:
        await _poll_elected(application, stop)
        return
    await application.bot.delete_webhook()
    async with background_work(application):
        await _start_polling(application)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()


async def _start_polling(application: PollingApp) -> None:
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0,
        timeout=10,
        drop_pending_updates=False,
        allowed_updates=ALLOWED_UPDATES,
    )
    log.info("bot @%s polling", application.bot.username)


async def _poll_elected(application: PollingApp, stop: asyncio.Event) -> None:
    """PostgreSQL: any number of replicas, one poller (bot.app.election); the others stand
    by, serving HTTP and sending from the outbox, until the poller goes."""
    svc = services_of(application)
    updater = application.updater
    assert updater is not None and svc.delivery is not None
    ttl = poller_ttl(svc.settings.outbox_lease_seconds)
    election = Election(svc.db, svc.delivery.worker, ttl)
    application.bot_data[ELECTION_KEY] = election

    async def elected() -> None:
        await application.bot.delete_webhook()
        await _start_polling(application)

    async def deposed() -> None:
        if updater.running:
            await updater.stop()
        log.info("bot @%s standing by (another replica polls)", application.bot.username)

    async with background_work(application):
        log.info("bot @%s standing by until elected to poll", application.bot.username)
        await election.run(stop, elected, deposed)


async def run_webhook_until(
    application: PollingApp,
    settings: Settings,
    db: Database,
    stop: asyncio.Event,
    host: str = "0.0.0.0",
) -> None:
    """Serve by webhook: aiohttp receives, PTB processes; Telegram is told the URL."""
    async with closing_http(application), application:
        await application.start()
        try:
            async with serving_http(webhook_app(application, settings, db), host, settings.port):
                secret = (
                    settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
                )
                await application.bot.set_webhook(
                    settings.webhook_url or "", secret_token=secret, allowed_updates=ALLOWED_UPDATES
                )
                log.info(
                    "bot @%s serving webhook on port %s", application.bot.username, settings.port
                )
                async with background_work(application):
                    await stop.wait()
        finally:
            if application.running:
                await application.stop()


def install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
