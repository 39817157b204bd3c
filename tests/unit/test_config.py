"""Configuration: defaults, and one clear line naming the variable for bad values."""

from __future__ import annotations

import pytest

from bot.app.config import ConfigError, load_settings


def test_defaults() -> None:
    settings = load_settings(_env_file=None)
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.default_language == "es"
    assert settings.default_timezone == "America/Montevideo"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.admin_ids == ()


def test_values_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34,56")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/bot")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "pt")
    settings = load_settings(_env_file=None)
    assert settings.admin_ids == (12, 34, 56)
    assert settings.database_url == "postgresql+asyncpg://u:p@db/bot"
    assert settings.default_language == "pt"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN"),
        ("ADMIN_IDS", "1,two", "ADMIN_IDS"),
        ("DEFAULT_LANGUAGE", "fr", "DEFAULT_LANGUAGE"),
        ("DEFAULT_TIMEZONE", "America/Montevido", "DEFAULT_TIMEZONE"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("PORT", "eighty", "PORT"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("WEBHOOK_URL", "http://insecure.example.org/hook", "WEBHOOK_URL"),
        ("WEBAPP_URL", "http://insecure.example.org/app/", "WEBAPP_URL"),
        ("WEBAPP_AUTH_MAX_AGE", "5", "WEBAPP_AUTH_MAX_AGE"),
        ("DEFAULT_REMINDERS", "soon", "DEFAULT_REMINDERS"),
        ("DEFAULT_REMINDERS", "24h,45d", "DEFAULT_REMINDERS"),
        ("SEND_RATE_LIMIT", "0", "SEND_RATE_LIMIT"),
        ("OUTBOX_LEASE_SECONDS", "1", "OUTBOX_LEASE_SECONDS"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    message = str(error.value)
    assert expected in message and "\n" not in message


def test_webhook_needs_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        load_settings(_env_file=None)


def test_default_reminders_are_read_in_the_files_notation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEFAULT_REMINDERS", "1h, 24h ,10m")
    assert load_settings(_env_file=None).default_reminders == (1440, 60, 10)


@pytest.mark.parametrize(
    "given",
    ["https://api.example.org/bot", "https://api.example.org/bot/", "https://api.example.org"],
)
def test_api_base_url_with_or_without_ptbs_bot_suffix(given: str) -> None:
    settings = load_settings(_env_file=None, telegram_api_base_url=given)
    assert settings.telegram_api_base_url == "https://api.example.org"


@pytest.mark.parametrize(("given", "seconds"), [("24h", 86_400), ("90m", 5_400), ("3600", 3_600)])
def test_outbox_give_up_after(monkeypatch: pytest.MonkeyPatch, given: str, seconds: int) -> None:
    assert load_settings(_env_file=None).outbox_give_up_after == 86_400
    monkeypatch.setenv("OUTBOX_GIVE_UP_AFTER", given)
    assert load_settings(_env_file=None).outbox_give_up_after == seconds


def test_outbox_give_up_after_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOX_GIVE_UP_AFTER", "soon")
    with pytest.raises(ConfigError, match="OUTBOX_GIVE_UP_AFTER"):
        load_settings(_env_file=None)
