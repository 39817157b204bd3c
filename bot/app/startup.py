"""Start-up failures as one clear line (exit code 1), never a traceback, never the token.

A rejected token, an unreachable Bot API, an unreachable or unusable database and a port
already in use are the usual reasons a deployment does not come up; each is named here.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app.config import Settings
from bot.app.logsetup import redact


class StartupError(Exception):
    """The bot cannot start; ``str(err)`` is the one line shown."""


def _first_line(exc: BaseException) -> str:
    cause: BaseException = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return redact(text)[:200]


def safe_database_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


def prepare_database(url: str) -> None:
    """Migrate the database, or explain in one line why that is impossible."""
    from storage.db import upgrade_database

    try:
        upgrade_database(url)
    except Exception as exc:
        raise StartupError(
            f"cannot start: the database {safe_database_url(url)} is unreachable or not "
            f"usable ({_first_line(exc)})"
        ) from None


@contextlib.contextmanager
def explained(settings: Settings) -> Iterator[None]:
    """Turn the known start-up failures raised inside into :class:`StartupError`."""
    api = settings.telegram_api_base_url
    try:
        yield
    except InvalidToken:
        raise StartupError(
            "cannot start: Telegram rejected BOT_TOKEN (revoked or mistyped? check it with "
            "@BotFather)"
        ) from None
    except NetworkError as exc:
        raise StartupError(
            f"cannot start: the Telegram Bot API at {api} is unreachable ({_first_line(exc)})"
        ) from None
    except TelegramError as exc:
        raise StartupError(
            f"cannot start: Telegram refused the start ({_first_line(exc)})"
        ) from None
    except SQLAlchemyError as exc:
        raise StartupError(
            f"cannot start: the database {safe_database_url(settings.database_url)} failed "
            f"({_first_line(exc)})"
        ) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(
                f"cannot start: port {settings.port} is already in use (set PORT)"
            ) from None
        raise StartupError(f"cannot start: {_first_line(exc)}") from None
