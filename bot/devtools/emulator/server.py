"""The HTTP layer: routes, request parsing (query string, form, multipart, JSON), Telegram's
answer shapes, the wire faults, update delivery (long polling, webhook push), life cycle."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from typing import Any

import aiohttp
from aiohttp import web

from bot.devtools.emulator.control import ControlAPI, FaultInjection
from bot.devtools.emulator.methods import BotMethods
from bot.devtools.emulator.model import (
    HTML_BAD_GATEWAY,
    NOT_JSON_BODY,
    APIError,
    Attachment,
    Call,
    WireFault,
    bad_request,
)
from bot.devtools.emulator.strict import check_request, is_refusal, report_refusal

# Parameters Telegram reads as JSON when they arrive as form fields.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
    }
)
INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
        "message_thread_id",
        "icon_color",
    }
)
BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
    }
)


class BotAPIEmulator(BotMethods, FaultInjection):
    """The Bot API on loopback. ``async with BotAPIEmulator() as emu: ...``"""

    # ----------------------------------------------------------------- life cycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        self._stopping.clear()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        control = ControlAPI(self)
        app.router.add_post("/_emulator/users", control.users)
        app.router.add_post("/_emulator/block", control.block)
        app.router.add_post("/_emulator/faults", control.faults)
        app.router.add_post("/_emulator/send", control.send)
        app.router.add_get("/_emulator/stats", control.stats)
        app.router.add_get("/_emulator/refused", control.refused)
        app.router.add_get("/_emulator/chat/{chat_id}", control.chat)
        app.router.add_get("/_emulator/messages", control.messages)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None:
            sockets = getattr(server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._stopping.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- HTTP
    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        try:
            params, uploads = await self._read_params(request)
        except APIError as exc:
            return self._answer(method, {}, exc)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._answer(method, params, APIError(404, "Not Found"))
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        late: WireFault | None = None
        try:
            if self.strict:
                check_request(method, params, uploads)
            await self._apply_faults(method, chat_id)
        except APIError as exc:
            return self._answer(method, params, exc)
        except WireFault as fault:
            if fault.kind != "late":
                return self._wire_fault(request, method, params, fault)
            late = fault
        try:
            result = await handler(params, uploads)
        except APIError as exc:
            response = self._answer(method, params, exc, fault=late)
        else:
            response = self._answer(method, params, result, fault=late)
        if late is not None:  # done, but the client hears of it too late
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), late.delay)
        return response

    def _answer(
        self, method: str, params: dict[str, Any], outcome: Any, fault: WireFault | None = None
    ) -> web.Response:
        if isinstance(outcome, APIError):
            status, body = outcome.code, outcome.body()
            description: str | None = outcome.description
            result = None
        else:
            status, body, description, result = 200, {"ok": True, "result": outcome}, None, outcome
        call = self._record(
            method, params, status, result, description, fault.kind if fault else None
        )
        if isinstance(outcome, APIError) and is_refusal(outcome):
            self.refused.append(call)
            report_refusal(call)
        return web.json_response(body, status=status)

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        result: Any,
        description: str | None,
        fault: str | None = None,
    ) -> Call:
        """Count and keep one call; ``status`` is the HTTP status sent (0: none)."""
        key = (method, status)
        self.call_counts[key] = self.call_counts.get(key, 0) + 1
        if fault is not None:
            self.faults_applied[fault] = self.faults_applied.get(fault, 0) + 1
        call = Call(method, params, status, self._clock(), result, description, fault)
        if self.record_calls:
            self.calls.append(call)
        if method != "getUpdates":
            self._notify()
        return call

    def _wire_fault(
        self, request: web.Request, method: str, params: dict[str, Any], fault: WireFault
    ) -> web.Response:
        """The answer of a fault that is not a Telegram error body (nothing was done)."""
        if fault.kind == "ok_false":
            error = APIError(500, "Internal Server Error")
            self._record(method, params, 200, None, error.description, fault.kind)
            return web.json_response(error.body(), status=200)
        if fault.kind == "html_bad_gateway":
            self._record(method, params, 502, None, "Bad Gateway", fault.kind)
            return web.Response(status=502, text=HTML_BAD_GATEWAY, content_type="text/html")
        if fault.kind == "not_json":
            self._record(method, params, 200, None, NOT_JSON_BODY, fault.kind)
            return web.Response(status=200, text=NOT_JSON_BODY, content_type="text/plain")
        # reset: drop the connection; aiohttp then has nowhere to write the response.
        self._record(method, params, 0, None, "connection reset", fault.kind)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, Attachment]]:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, Attachment] = {}
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise bad_request("can't parse JSON object") from exc
                if not isinstance(body, dict):
                    raise bad_request("JSON object expected")
                return {**raw, **body}, uploads
            if ctype.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                        continue
                    if part.filename is not None:
                        content = await part.read(decode=False)
                        mime = part.headers.get("Content-Type")
                        uploads[part.name] = Attachment("", "", bytes(content), part.filename, mime)
                    else:
                        raw[part.name] = await part.text()
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        raw[key] = value
        return {key: _decode(key, value) for key, value in raw.items()}, uploads

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        attachment = self.files.get(file_id)
        if attachment is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=attachment.content, content_type="application/octet-stream")

    async def _api_getUpdates(self, params: dict[str, Any], _: dict[str, Attachment]) -> list[Any]:
        if self.webhook is not None:
            raise APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0.0, min(50.0, float(params.get("timeout") or 0)))
        # As on Telegram, a new getUpdates ends the one still waiting (which gets 409).
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if generation != self._poll_generation:
                raise APIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            while self._updates and offset and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
            self._drop_unwanted(params.get("allowed_updates"))
            if self._updates:
                return list(itertools.islice(self._updates, 0, limit))
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 1.0))

    def _drop_unwanted(self, allowed: object) -> None:
        """As Telegram: updates of kinds the bot did not ask for are never delivered (an
        empty or missing list keeps the previous choice; here: everything)."""
        if isinstance(allowed, list) and allowed:
            self.allowed_updates = {str(kind) for kind in allowed}
        wanted = self.allowed_updates
        if wanted is None:
            return
        kept = [u for u in self._updates if any(k in wanted for k in u if k != "update_id")]
        if len(kept) != len(self._updates):
            self._updates.clear()
            self._updates.extend(kept)

    async def _api_setWebhook(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        url = params.get("url") or ""
        if not url:
            return await self._api_deleteWebhook(params, _)
        if not str(url).startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._push_to_webhook())
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _push_to_webhook(self) -> None:
        """Deliver queued updates to a webhook on loopback, as Telegram would over HTTPS."""
        async with aiohttp.ClientSession() as http:
            while self.webhook is not None:
                if not self._updates:
                    changed = self._changed
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(changed.wait(), 0.5)
                    continue
                url = self.webhook["url"]
                if not url.startswith("http://"):
                    await asyncio.sleep(0.5)  # a public URL: nothing on this machine to call
                    continue
                update = self._updates[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    async with http.post(url, json=update, headers=headers) as answer:
                        if answer.status == 200:
                            self._updates.popleft()
                            continue
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.5)


def _decode(key: str, value: Any) -> Any:
    """Form fields arrive as strings; read them as Telegram types them."""
    if not isinstance(value, str):
        return value
    if key in JSON_PARAMS:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if key in INT_PARAMS:
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    if key in BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


async def serve_forever(emulator: BotAPIEmulator) -> None:
    """``python -m bot emulator``: run until interrupted."""
    await emulator.start()
    print(f"emulator ready {emulator.base_url} token={emulator.token}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()
