"""Mini App authentication: Telegram's signed init data, checked as its documentation says.

secret key = HMAC-SHA256(key="WebAppData", message=bot token); the hash is
HMAC-SHA256(key=secret key, message=data-check string), the data-check string being every
field but ``hash`` as ``key=value`` sorted by key and joined by newlines.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

SCHEME = "tma"
MAX_INIT_DATA = 8192  # bytes; Telegram's are well under 1 KB


class InitDataError(ValueError):
    """The init data is missing, malformed, forged, expired or for another bot."""


@dataclass(frozen=True)
class WebAppUser:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    auth_date: int


def _secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(token: str, fields: dict[str, Any]) -> str:
    """Init data as Telegram would hand it to the page (the demo and the tests sign with
    their own token). Dict values (``user``) are JSON-encoded."""
    flat = {
        key: json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        if isinstance(value, dict)
        else str(value)
        for key, value in fields.items()
    }
    digest = hmac.new(_secret_key(token), _data_check_string(flat).encode(), hashlib.sha256)
    return urlencode({**flat, "hash": digest.hexdigest()})


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data.encode("utf-8", "surrogateescape")) > MAX_INIT_DATA:
        raise InitDataError("missing or oversized init data")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("malformed init data") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("repeated field")
    return fields


def _user(fields: dict[str, str], auth_date: int) -> WebAppUser:
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError) as exc:
        raise InitDataError("no user") from exc
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
        raise InitDataError("bad user id")

    def text(key: str) -> str | None:
        value = user.get(key)
        return value if isinstance(value, str) else None

    return WebAppUser(
        user_id,
        text("first_name") or "",
        text("last_name"),
        text("username"),
        text("language_code"),
        auth_date,
    )


def validate_init_data(
    init_data: str, token: str, *, max_age: int, now: float | None = None
) -> WebAppUser:
    """The user the init data vouches for; :class:`InitDataError` on any failure."""
    fields = _fields(init_data)
    given = fields.get("hash", "")
    expected = hmac.new(
        _secret_key(token), _data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InitDataError("bad signature")
    try:
        auth_date = int(fields["auth_date"])
    except (KeyError, ValueError) as exc:
        raise InitDataError("no auth_date") from exc
    age = (time.time() if now is None else now) - auth_date
    if age > max_age or age < -300:
        raise InitDataError("expired init data")
    return _user(fields, auth_date)


def claimed_language(header: str | None) -> str | None:
    """The ``language_code`` the init data of an ``Authorization`` header claims, signature
    NOT checked: only for the language of a refusal (a forger learns nothing but a
    translation), never for who the caller is."""
    try:
        user = json.loads(_fields(init_data_from_header(header)).get("user", ""))
    except (InitDataError, ValueError, RecursionError):  # RecursionError: [[[[…]]]]
        return None
    code = user.get("language_code") if isinstance(user, dict) else None
    return code if isinstance(code, str) else None


def init_data_from_header(header: str | None) -> str:
    """The init data of an ``Authorization: tma <initData>`` header."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != SCHEME or not value.strip():
        raise InitDataError("no tma authorization")
    return value.strip()
