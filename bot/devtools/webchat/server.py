"""The web chat's HTTP side: the page, its assets, and a small JSON API over the emulator.

Routes: ``GET /`` (the page), ``/static/`` (JS, CSS: all local), ``GET /api/state`` (personas,
chats, the Mini App address), ``GET /api/feed?since=N`` (long poll of messages, edits,
deletions), ``POST /api/send`` (a text), ``POST /api/upload`` (a file with a caption),
``POST /api/press`` (a callback button; answers with the bot's answerCallbackQuery),
``POST /api/language``, ``GET /api/commands``, ``GET /api/initdata``, ``GET /api/file/{id}``,
and ``/app/...`` passed through to the bot's own HTTP server: the Mini App then shares the
page's origin, which its ``frame-ancestors 'self'`` policy needs to be shown in the panel.
Bound to 127.0.0.1 unless told otherwise: it lets anyone act as any persona.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.devtools.emulator import BotAPIEmulator, EmulatedChat, EmulatedUser
from bot.devtools.webchat import personas
from bot.devtools.webchat.feed import Feed

STATIC = Path(__file__).parent / "static"
POLL_SECONDS = 25.0
ANSWER_WAIT = 8.0
MAX_UPLOAD = 20 * 1024 * 1024
CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'"
)
PASSED_HEADERS = ("Authorization", "Content-Type", "Accept", "Accept-Language", "If-None-Match")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class WebChat:
    """The page's server for one emulator. ``webapp_url``: where the page loads the bot's
    Mini App; ``public_url``: the address the bot was told (Telegram wants https, so the
    demo gives the bot ``https://127.0.0.1:PORT/app/`` and the page opens it over http)."""

    def __init__(
        self,
        emulator: BotAPIEmulator,
        webapp_url: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.emulator = emulator
        self.webapp_url = webapp_url
        self.public_url = public_url
        self.bot_http: str | None = None  # the bot's HTTP server, for /app/
        self.feed = Feed(emulator)
        for who in personas.PERSONAS:
            personas.emulated(emulator, who)

    # ----------------------------------------------------------------- helpers
    def _user(self, user_id: Any) -> EmulatedUser:
        if not isinstance(user_id, int) or personas.persona(user_id) is None:
            raise web.HTTPBadRequest(text="unknown persona")
        return self.emulator.users[user_id]

    def _chat(self, user: EmulatedUser, chat_id: Any) -> EmulatedChat:
        if chat_id == user.user_id:
            return user
        chat = self.emulator.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or chat.id > 0:
            raise web.HTTPBadRequest(text="unknown chat")
        return chat

    @staticmethod
    async def _json(request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError as exc:
            raise web.HTTPBadRequest(text="not JSON") from exc
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="not an object")
        return body

    # ----------------------------------------------------------------- routes
    async def index(self, _: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": CSP})

    async def state(self, _: web.Request) -> web.Response:
        chats = [
            {
                "id": who.user_id,
                "title": f"{who.first_name} {who.last_name}",
                "persona": who.public(),
                "language": self.emulator.users[who.user_id].user.get("language_code"),
            }
            for who in personas.PERSONAS
        ]
        group = self.emulator.chats.get(personas.GROUP_ID)
        if group is not None:
            chats.append({"id": group.id, "title": group.chat["title"], "persona": None})
        return web.json_response(
            {
                "bot": {"username": self.emulator.bot_username, "name": "Cinterfor Network"},
                "chats": chats,
                "webapp_url": self.webapp_url,
                "webapp_public_url": self.public_url,
                "seq": self.feed.last_seq,
            }
        )

    async def feed_route(self, request: web.Request) -> web.Response:
        try:
            since = int(request.query.get("since", "0"))
        except ValueError as exc:
            raise web.HTTPBadRequest(text="since") from exc
        wait = POLL_SECONDS if request.query.get("wait") != "0" else 0.0
        events = await self.feed.wait(since, wait)
        return web.json_response({"events": events, "first": self.feed.first_seq})

    async def send(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._user(body.get("user_id"))
        chat = self._chat(user, body.get("chat_id"))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 4096:
            raise web.HTTPBadRequest(text="text")
        message_id = await user.send(text, chat)
        self.feed.mine(chat.id, message_id)
        return web.json_response({"message_id": message_id})

    async def upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="file")
        try:
            user = self._user(int(str(form.get("user_id"))))
            chat = self._chat(user, int(str(form.get("chat_id"))))
        except ValueError as exc:
            raise web.HTTPBadRequest(text="ids") from exc
        content = upload.file.read()
        caption = str(form.get("caption") or "") or None
        message_id = await user.send_document(
            upload.filename,
            content,
            caption=caption,
            mime_type=upload.content_type or "application/octet-stream",
            chat=chat,
        )
        self.feed.mine(chat.id, message_id)
        return web.json_response({"message_id": message_id})

    async def press(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._user(body.get("user_id"))
        chat = self._chat(user, body.get("chat_id"))
        message = self.emulator.find_message(chat.id, body.get("message_id") or 0)
        data = body.get("data")
        if message is None or not isinstance(data, str) or data not in message.button_data():
            raise web.HTTPBadRequest(text="no such button")
        query_id = self.emulator.push_callback(user, message, data)
        answers = self.emulator.callback_answers
        with contextlib.suppress(TimeoutError):
            await self.emulator.wait_for(lambda: query_id in answers, ANSWER_WAIT)
        return web.json_response({"answer": answers.get(query_id)})

    async def language(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._user(body.get("user_id"))
        language = body.get("language")
        if language not in ("es", "pt", "en"):
            raise web.HTTPBadRequest(text="language")
        personas.set_language(user, str(language))
        return web.json_response({"language": language})

    async def commands(self, request: web.Request) -> web.Response:
        user = self._user(_int(request.query.get("user_id")))
        chat = self._chat(user, _int(request.query.get("chat_id")))
        language = str(user.user.get("language_code") or "")
        found = personas.commands_for(self.emulator, chat.id, user.user_id, language)
        return web.json_response(
            {"commands": found, "menu_button": personas.menu_button(self.emulator, chat.id)}
        )

    async def initdata(self, request: web.Request) -> web.Response:
        user = self._user(_int(request.query.get("user_id")))
        chat_id = _int(request.query.get("chat_id")) or user.user_id
        token = self.emulator.token
        return web.json_response({"init_data": personas.init_data(token, user, chat_id)})

    async def file(self, request: web.Request) -> web.Response:
        attachment = self.emulator.files.get(request.match_info["file_id"])
        if attachment is None:
            raise web.HTTPNotFound()
        name = (attachment.file_name or "file").replace('"', "")
        inline = (attachment.mime_type or "").startswith("image/")
        disposition = "inline" if inline else "attachment"
        return web.Response(
            body=attachment.content,
            content_type=attachment.mime_type or "application/octet-stream",
            headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
        )

    async def mini_app(self, request: web.Request) -> web.StreamResponse:
        """``/app/...`` as the bot's HTTP server answers it."""
        if self.bot_http is None:
            raise web.HTTPNotFound(text="no Mini App in this demo")
        headers = {k: v for k, v in request.headers.items() if k in PASSED_HEADERS}
        body = await request.read()
        async with (
            aiohttp.ClientSession() as http,
            http.request(
                request.method,
                self.bot_http + request.rel_url.path_qs,
                headers=headers,
                data=body or None,
                allow_redirects=False,
            ) as answer,
        ):
            content = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
            return web.Response(status=answer.status, body=content, headers=kept)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_get("/", self.index)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/api/state", self.state)
        app.router.add_get("/api/feed", self.feed_route)
        app.router.add_post("/api/send", self.send)
        app.router.add_post("/api/upload", self.upload)
        app.router.add_post("/api/press", self.press)
        app.router.add_post("/api/language", self.language)
        app.router.add_get("/api/commands", self.commands)
        app.router.add_get("/api/initdata", self.initdata)
        app.router.add_get("/api/file/{file_id}", self.file)
        app.router.add_route("*", "/app/{tail:.*}", self.mini_app)
        app.router.add_get("/app", _to_app)
        return app


async def _to_app(_: web.Request) -> web.Response:
    raise web.HTTPFound("/app/")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@contextlib.asynccontextmanager
async def serving(chat: WebChat, host: str = "127.0.0.1", port: int = 8765) -> AsyncIterator[str]:
    """Serve the web chat on ``host:port`` (0: any free port); yields its address."""
    runner = web.AppRunner(chat.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    try:
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        yield f"http://{host}:{bound}/"
    finally:
        chat.feed.close()  # open long polls answer now instead of holding the shutdown
        await runner.cleanup()
        await asyncio.sleep(0)
