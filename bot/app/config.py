"""Configuration from the environment (and an optional `.env` file).

A missing or malformed value stops the start with one clear line naming the variable:
:func:`load_settings` raises :class:`ConfigError`, whose message is that line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["es", "pt", "en"]
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,200}$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/bot.db"


class ConfigError(Exception):
    """A configuration value is missing or malformed; ``str(err)`` is one line for the user."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_language: Language = "es"
    default_timezone: str = "America/Montevideo"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8080, ge=1, le=65535)
    log_level: str = "INFO"
    # text (the default, for people) or json (one object a line, for log collectors)
    log_format: Literal["text", "json"] = "text"
    # How long a delivery claimed by a process that stopped renewing it stays untouched.
    outbox_lease_seconds: int = Field(default=30, ge=2, le=3600)
    # Reminders before each event that does not set its own (the file's notation, 24h,1h).
    default_reminders: Annotated[tuple[int, ...], NoDecode] = (1440, 60)
    # How long an outbox message is retried (network errors, outages) before it is failed:
    # seconds, or a duration like 24h, 90m, 2d.
    outbox_give_up_after: int = Field(default=86_400, ge=60, le=30 * 86_400)
    # Telegram's overall limit (messages a second); raise it only for paid broadcasts.
    send_rate_limit: float = Field(default=30, gt=0, le=1000)
    # Days after which message contents sent and unanswered question texts are deleted.
    retention_days: int = Field(default=90, ge=1, le=3650)
    # Days an institution's invitation link (/invite) can be used.
    invite_days: int = Field(default=30, ge=1, le=365)
    # The Mini App's public https address (Telegram opens it); unset: no Mini App buttons.
    webapp_url: str | None = None
    # Seconds a Mini App's signed init data stays valid (auth_date age).
    webapp_auth_max_age: int = Field(default=86_400, ge=60, le=30 * 86_400)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not TOKEN_PATTERN.match(value.get_secret_value()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("does not look like a bot token (expected digits:characters)")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL")
        # PTB's own form ends in /bot (the token follows it): accept it as well.
        return value.removesuffix("/bot").rstrip("/")

    @field_validator("outbox_give_up_after", mode="before")
    @classmethod
    def _give_up(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().isdigit():
            from bot.core.timeparse import parse_duration

            return parse_duration(value) * 60
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> tuple[int, ...]:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d{1,20}", p) for p in parts):
                raise ValueError("must be comma-separated numeric Telegram user ids")
            return tuple(int(p) for p in parts)
        if isinstance(value, list | tuple):
            return tuple(int(v) for v in value)
        raise ValueError("must be comma-separated numeric Telegram user ids")

    @field_validator("default_reminders", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> tuple[int, ...]:
        if isinstance(value, str):
            from bot.core.timeparse import parse_duration

            try:
                minutes = [parse_duration(p) for p in value.split(",") if p.strip()]
            except ValueError as exc:
                raise ValueError(f"must be offsets like 24h,1h ({exc})") from None
            if any(m > 30 * 1440 for m in minutes):
                raise ValueError("offsets are at most 30 days")
            return tuple(sorted(set(minutes), reverse=True))
        if isinstance(value, list | tuple):
            return tuple(int(v) for v in value)
        raise ValueError("must be offsets like 24h,1h")

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("webhook_url", "webapp_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        """Telegram posts to (and opens Mini Apps at) https addresses only."""
        if not value:
            return None
        if not re.match(r"^https://[^\s/]+", value):
            raise ValueError("must be an https:// URL")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        return self

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise ConfigError("configuration error: BOT_TOKEN is not set")
        return self.bot_token.get_secret_value()


def normalize_database_url(value: str) -> str:
    """Accept plain SQLAlchemy URLs and pick the async drivers this project ships."""
    value = value.strip()
    if value.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + value.split("://", 1)[1]
    if value.startswith("sqlite://") and not value.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + value.split("://", 1)[1]
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError("must be an sqlite:/// or postgresql:// URL")
    return value


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first.get("loc") or ()
        name = str(loc[0]).upper() if loc else "configuration"
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        if name == "CONFIGURATION" or not loc:
            raise ConfigError(f"configuration error: {message}") from None
        raise ConfigError(f"configuration error: {name}: {message}") from None


def sqlite_path(database_url: str) -> Path | None:
    """The file behind an SQLite URL (None for memory or other databases)."""
    if not database_url.startswith("sqlite"):
        return None
    path = database_url.split(":///", 1)[-1]
    if not path or path == ":memory:":
        return None
    return Path(path)
