"""python-telegram-bot's HTTP layer on aiohttp, which the bot already uses to serve.

PTB calls Telegram through a :class:`~telegram.request.BaseRequest`; its default one is
built on httpx. In the survey burst of ``bench/surveys.py`` httpx's request path took about a
quarter of the bot's main-thread time (three calls a tap: the callback answer, the edit and
a share of ``getUpdates``), so the bot talks through aiohttp instead: the same contract —
status and body back, :class:`~telegram.error.TimedOut` for a timeout,
:class:`~telegram.error.NetworkError` for any other transport failure, which PTB and the
delivery engine retry — with less work per call.
"""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT = BaseRequest.DEFAULT_NONE
_BOT_PATH = re.compile(r"/bot[^/\s'\"]+/")  # the token's place in a Bot API URL


class AiohttpRequest(BaseRequest):
    """One pool of keep-alive connections to the Bot API (``connection_pool_size`` at once).

    Timeouts mean what they mean to PTB's default request: ``connect`` to open a
    connection, ``read`` between bytes of the answer, ``pool`` to wait for a free
    connection (added to ``connect``: aiohttp counts both as connecting) and ``write``
    for the whole upload of a file (``media_write_timeout``).
    """

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT,
        write_timeout: ODVInput[float] = DEFAULT,
        connect_timeout: ODVInput[float] = DEFAULT,
        pool_timeout: ODVInput[float] = DEFAULT,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, files)
        body = _form(fields, files) if files else fields
        try:
            async with self._session.request(
                method,
                url,
                data=body,
                timeout=timeout,
                allow_redirects=False,
                proxy=self._proxy_for(url),
            ) as answer:
                return answer.status, await answer.read()
        # aiohttp's messages may hold the URL, and so the token: the cause is not chained
        except TimeoutError as err:
            raise TimedOut(f"Timed out: {_described(err)}") from None
        except aiohttp.ClientError as err:
            raise NetworkError(_described(err)) from None

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for ``url``'s host (HTTPS_PROXY, NO_PROXY…), as
        httpx would use; read once per host. (aiohttp's ``trust_env`` reads the environment
        on every request: 10% fewer answers a second in the survey burst.)"""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            host = parts.hostname or ""
            wanted = urllib.request.getproxies().get(parts.scheme)
            self._proxies[key] = None if urllib.request.proxy_bypass(host) else wanted
        return self._proxies[key]

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        files: UploadFileDict | None,
    ) -> aiohttp.ClientTimeout:
        """The call's timeouts; PTB's ``DEFAULT_NONE`` means this request's own."""
        read_s = _given(read, self._read)
        connect_s = _given(connect, self._connect)
        pool_s = _given(pool, self._pool)
        write_s = _given(write, self._media_write if files else self._write)
        waiting = None if connect_s is None else connect_s + (pool_s or 0.0)
        upload = None if not files or write_s is None or read_s is None else write_s + read_s
        return aiohttp.ClientTimeout(
            total=upload, connect=waiting, sock_connect=connect_s, sock_read=read_s
        )


def _given(value: ODVInput[float], default: float | None) -> float | None:
    if isinstance(value, DefaultValue):
        return default
    return value


def _described(err: BaseException) -> str:
    """The error's class and message, the token's place in any URL masked."""
    return f"aiohttp.{err.__class__.__name__}: " + _BOT_PATH.sub("/bot<token>/", str(err))


def _form(fields: dict[str, str] | None, files: UploadFileDict) -> aiohttp.FormData:
    """A multipart body: the method's parameters, then the files (name, content, type)."""
    form = aiohttp.FormData(quote_fields=False)  # a file name as written, as httpx sends it
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
