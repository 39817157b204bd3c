"""Mini App init data, checked as Telegram's documentation says: the signature over the
sorted data-check string with the bot's key, the age of ``auth_date``, the user."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.webapp.auth import (
    MAX_INIT_DATA,
    InitDataError,
    init_data_from_header,
    sign_init_data,
    validate_init_data,
)

TOKEN = "123456:TEST-token-for-the-mini-app-abcdefghij"
OTHER = "654321:ANOTHER-bot-token-abcdefghijklmnopqrs"
NOW = 1_764_633_600.0
USER = {"id": 4242, "first_name": "Ana", "last_name": "Pérez", "language_code": "pt"}
DAY = 86_400


def signed(token: str = TOKEN, **fields: object) -> str:
    values: dict[str, object] = {"auth_date": int(NOW), "user": USER, "query_id": "AAH1"}
    values.update(fields)
    return sign_init_data(token, values)


def resign(fields: dict[str, str], token: str = TOKEN) -> str:
    """Init data with these exact fields, signed the documented way (independently of
    sign_init_data, so that a mistake in both cannot cancel out)."""
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def test_a_well_signed_init_data_gives_its_user() -> None:
    user = validate_init_data(signed(), TOKEN, max_age=DAY, now=NOW)
    assert (user.user_id, user.first_name, user.last_name) == (4242, "Ana", "Pérez")
    assert user.language_code == "pt" and user.auth_date == int(NOW)


def test_the_documented_algorithm_is_accepted() -> None:
    fields = {"auth_date": str(int(NOW)), "user": json.dumps(USER), "chat_type": "sender"}
    assert validate_init_data(resign(fields), TOKEN, max_age=DAY, now=NOW).user_id == 4242


def test_another_bots_token_is_refused() -> None:
    with pytest.raises(InitDataError):
        validate_init_data(signed(OTHER), TOKEN, max_age=DAY, now=NOW)


@pytest.mark.parametrize("field", ["user", "auth_date", "query_id"])
def test_any_changed_field_breaks_the_signature(field: str) -> None:
    pairs = dict(parse_qsl(signed()))
    pairs[field] = pairs[field].replace("Ana", "Eve").replace("AAH1", "AAH2")
    if field == "auth_date":
        pairs[field] = str(int(NOW) + 1)
    with pytest.raises(InitDataError, match="signature"):
        validate_init_data(urlencode(pairs), TOKEN, max_age=DAY, now=NOW)


def test_an_added_field_breaks_the_signature() -> None:
    with pytest.raises(InitDataError, match="signature"):
        validate_init_data(signed() + "&start_param=x", TOKEN, max_age=DAY, now=NOW)


def test_expiry_at_the_boundary() -> None:
    data = signed()
    assert validate_init_data(data, TOKEN, max_age=DAY, now=NOW + DAY).user_id == 4242
    with pytest.raises(InitDataError, match="expired"):
        validate_init_data(data, TOKEN, max_age=DAY, now=NOW + DAY + 1)


def test_an_auth_date_from_the_future_is_refused_beyond_clock_skew() -> None:
    assert validate_init_data(signed(auth_date=int(NOW) + 60), TOKEN, max_age=DAY, now=NOW)
    with pytest.raises(InitDataError, match="expired"):
        validate_init_data(signed(auth_date=int(NOW) + 3600), TOKEN, max_age=DAY, now=NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"auth_date": "soon", "user": json.dumps(USER)},
        {"user": json.dumps(USER)},
        {"auth_date": str(int(NOW))},
        {"auth_date": str(int(NOW)), "user": "{not json"},
        {"auth_date": str(int(NOW)), "user": json.dumps({"first_name": "no id"})},
        {"auth_date": str(int(NOW)), "user": json.dumps({"id": "4242"})},
        {"auth_date": str(int(NOW)), "user": json.dumps({"id": True})},
        {"auth_date": str(int(NOW)), "user": json.dumps({"id": -5})},
        {"auth_date": str(int(NOW)), "user": json.dumps([1, 2])},
    ],
)
def test_well_signed_but_unusable_data_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(InitDataError):
        validate_init_data(resign(fields), TOKEN, max_age=DAY, now=NOW)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "hash",
        "%%%",
        "a=1&a=2&hash=00",
        "=&=&",
        "x" * (MAX_INIT_DATA + 1),
        signed().replace("hash=", "hash=0"),
        signed().split("&hash=")[0],
    ],
)
def test_malformed_or_missing_hash_is_refused(data: str) -> None:
    with pytest.raises(InitDataError):
        validate_init_data(data, TOKEN, max_age=DAY, now=NOW)


def test_a_repeated_field_is_refused_even_when_signed() -> None:
    data = signed()
    with pytest.raises(InitDataError):
        validate_init_data(data + "&auth_date=" + quote(str(int(NOW))), TOKEN, max_age=DAY, now=NOW)


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("tma abc", True),
        ("TMA abc", True),
        ("  tma   abc  ", True),
        ("Bearer abc", False),
        ("tma", False),
        ("tma ", False),
        ("", False),
        (None, False),
    ],
)
def test_the_authorization_header(header: str | None, ok: bool) -> None:
    if ok:
        assert init_data_from_header(header) == "abc"
    else:
        with pytest.raises(InitDataError):
            init_data_from_header(header)
