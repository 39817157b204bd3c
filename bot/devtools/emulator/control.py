"""Fault injection (:meth:`inject_fault`, :meth:`random_faults`) and the control API
(``/_emulator/...``) that benchmarks use to drive an emulator in another process."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from aiohttp import web

from bot.devtools.emulator.model import FAULT_KINDS, APIError, Fault, WireFault, bad_request
from bot.devtools.emulator.state import EmulatorState

if TYPE_CHECKING:
    from bot.devtools.emulator.server import BotAPIEmulator

SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
        "forwardMessage",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendLocation",
        "sendPoll",
    }
)


class FaultInjection(EmulatorState):
    """Faults on the methods: one-off, counted, for a time window, or at random."""

    def inject_fault(
        self,
        method: str,
        kind: str,
        *,
        chat_id: int | None = None,
        count: int | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
        probability: float = 1.0,
        until: float | None = None,
        duration: float | None = None,
    ) -> Fault:
        """Make ``method`` (``"*"``: any) fail, for ``chat_id`` only when given.

        Kinds: see :data:`FAULT_KINDS`. ``count`` limits how often; ``until`` (the emulator's
        clock, ``time.monotonic`` by default) or ``duration`` (seconds from now) limits how
        long; with neither the fault holds until cleared. ``slow`` and ``late`` wait
        ``delay`` seconds (``late`` after delivering)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if duration is not None:
            end = self._clock() + duration
            until = end if until is None else min(until, end)
        fault = Fault(method, kind, chat_id, count, retry_after, delay, probability, until)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()
        self._random_faults.clear()

    def random_faults(self, *, seed: int = 0, delay: float = 0.5, **rates: float) -> None:
        """Answer a share of sends with a fault, e.g. ``random_faults(server_error=0.01)``;
        ``delay`` is the wait of the ``slow`` and ``late`` ones."""
        for kind in rates:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}")
        self._random_faults = dict(rates)
        self._random_delay = delay
        self._rng = random.Random(seed)

    async def _apply_faults(self, method: str, chat_id: int | None) -> None:
        now = self._clock()
        for fault in list(self.faults):
            if fault.expired(now):
                self.faults.remove(fault)
                continue
            if not fault.matches(method, chat_id):
                continue
            if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                continue
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
            await self._raise_fault(fault.kind, fault.retry_after, fault.delay)
        if self._random_faults and method in SEND_METHODS:
            for kind, rate in self._random_faults.items():
                if self._rng.random() < rate:
                    await self._raise_fault(kind, 1, self._random_delay)

    async def _raise_fault(self, kind: str, retry_after: int, delay: float) -> None:
        """Raise the fault's error (APIError or WireFault); ``slow`` only waits."""
        if kind == "slow":
            self.faults_applied[kind] = self.faults_applied.get(kind, 0) + 1
            await asyncio.sleep(delay)
            return
        if kind in ("ok_false", "html_bad_gateway", "not_json", "late", "reset"):
            raise WireFault(kind, delay)
        self.faults_applied[kind] = self.faults_applied.get(kind, 0) + 1
        if kind == "blocked":
            raise APIError(403, "Forbidden: bot was blocked by the user", injected=True)
        if kind == "server_error":
            raise APIError(500, "Internal Server Error", injected=True)
        if kind in ("bad_gateway", "outage"):
            raise APIError(502, "Bad Gateway", injected=True)
        if kind == "flood":
            description = f"Too Many Requests: retry after {retry_after}"
            raise APIError(429, description, retry_after, injected=True)
        raise bad_request("injected fault", injected=True)


class ControlAPI:
    """``/_emulator/...``: drive an emulator that runs in another process (benchmarks):
    create people, block them, inject random faults, type messages, read what was sent."""

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator

    async def users(self, request: web.Request) -> web.Response:
        body = await request.json()
        language = body.get("language", "es")
        for user_id in body["ids"]:
            self.emulator.user(user_id=int(user_id), language_code=language)
        return web.json_response({"ok": True, "users": len(self.emulator.users)})

    async def block(self, request: web.Request) -> web.Response:
        for user_id in (await request.json())["ids"]:
            self.emulator.block_user(int(user_id))
        return web.json_response({"ok": True})

    async def faults(self, request: web.Request) -> web.Response:
        """Replace the faults: ``{"random": {kind: rate}, "seed": 0, "delay": 0.5,
        "inject": [{"method": "*", "kind": "outage", "duration": 5}, ...]}``."""
        body = await request.json()
        self.emulator.clear_faults()
        if body.get("random"):
            self.emulator.random_faults(
                seed=int(body.get("seed", 0)),
                delay=float(body.get("delay", 0.5)),
                **body["random"],
            )
        try:
            for spec in body.get("inject") or []:
                options = {k: v for k, v in spec.items() if k not in ("method", "kind")}
                self.emulator.inject_fault(spec.get("method", "*"), spec["kind"], **options)
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)
        return web.json_response({"ok": True})

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = self.emulator.user(user_id=int(body["user_id"]))
        message_id = await user.send(str(body["text"]))
        return web.json_response({"message_id": message_id, "at": self.emulator._clock()})

    async def stats(self, request: web.Request) -> web.Response:
        delivered = {
            str(chat_id): len(chat.messages)
            for chat_id, chat in self.emulator.chats.items()
            if chat.messages
        }
        calls = {
            f"{method}:{status}": n for (method, status), n in self.emulator.call_counts.items()
        }
        moments = [m.at for chat in self.emulator.chats.values() for m in chat.messages]
        first = min(moments, default=0.0)
        per_second: dict[int, int] = {}
        for moment in moments:
            second = int(moment - first)
            per_second[second] = per_second.get(second, 0) + 1
        return web.json_response(
            {
                "delivered": delivered,
                "calls": calls,
                "first_at": min(moments, default=None),
                "last_at": max(moments, default=None),
                "per_second": [
                    per_second.get(s, 0) for s in range(max(per_second, default=-1) + 1)
                ],
                "faults": dict(self.emulator.faults_applied),
                "refused": len(self.emulator.refused),
                "now": self.emulator._clock(),
            }
        )

    async def refused(self, request: web.Request) -> web.Response:
        """The requests the emulator refused (strict mode's findings among them)."""
        rows = [
            {"method": c.method, "status": c.status, "description": c.description, "at": c.at}
            for c in self.emulator.refused
        ]
        return web.json_response({"refused": rows})

    async def chat(self, request: web.Request) -> web.Response:
        chat = self.emulator.chats.get(int(request.match_info["chat_id"]))
        messages = [
            {"message_id": m.message_id, "text": m.body, "at": m.at, "from_bot": m.from_bot}
            for m in (chat.messages if chat else [])
        ]
        return web.json_response({"messages": messages})

    async def messages(self, request: web.Request) -> web.Response:
        """Every message the bot sent: chat, emulator time, start of the text."""
        rows = [
            {"chat_id": chat_id, "at": m.at, "text": m.body[:80]}
            for chat_id, chat in self.emulator.chats.items()
            for m in chat.messages
        ]
        return web.json_response({"messages": rows, "now": self.emulator._clock()})
