"""Command line: ``python -m bot run | demo | db upgrade | healthcheck | ...``.

Configuration problems end the command with one line on stderr naming the variable.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.app import cli_broadcast, cli_network, cli_tickets, startup
from bot.app.config import ConfigError, Settings, load_settings
from bot.app.logsetup import setup_logging

log = logging.getLogger("bot")
Command = Callable[[argparse.Namespace], int]


def _settings(**overrides: object) -> Settings:
    return load_settings(**overrides)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app.application import build_application
    from bot.app.serving import install_signal_handlers, run_polling_until, run_webhook_until
    from storage.db import Database

    settings = _settings()
    token = settings.token  # raises ConfigError when missing
    setup_logging(settings.log_level, secrets=[token], log_format=settings.log_format)
    startup.prepare_database(settings.database_url)

    async def main() -> None:
        db = Database(settings.database_url)
        application = build_application(settings, db)
        stop = asyncio.Event()
        install_signal_handlers(stop)
        try:
            if settings.webhook_url:
                await run_webhook_until(application, settings, db, stop)
            else:
                await run_polling_until(application, stop, http_port=settings.port)
        finally:
            await db.dispose()

    with startup.explained(settings):
        asyncio.run(main())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.devtools.demo import run_demo, run_web_demo

    if not args.terminal:
        return run_web_demo(host=args.host, port=args.port, limits=args.limits)
    return run_demo(as_role=args.as_role, language=args.lang, limits=args.limits)


def cmd_db(args: argparse.Namespace) -> int:
    from storage.db import upgrade_database

    settings = _settings()
    setup_logging(settings.log_level, log_format=settings.log_format)
    if args.action == "upgrade":
        upgrade_database(settings.database_url)
        print("database is up to date")
    return 0


def cmd_healthcheck(args: argparse.Namespace) -> int:
    """Exit 0 when the running bot's /healthz (served on PORT in both modes) says healthy."""
    import urllib.request

    settings = _settings()
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{settings.port}/healthz", timeout=5
        ) as answer:
            return 0 if answer.status == 200 else 1
    except OSError:
        return 1


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up (or restore) the database while the bot runs; see bot.app.backup."""
    from bot.app import backup

    settings = _settings()
    setup_logging(settings.log_level, log_format=settings.log_format)
    try:
        if args.command == "backup":
            kind = backup.backup(settings.database_url, args.file, logical=args.logical)
            print(f"backup written to {args.file} ({kind})")
        else:
            kind = backup.restore(settings.database_url, args.file)
            print(f"restored from {args.file} ({kind})")
    except backup.BackupError as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_emulator(args: argparse.Namespace) -> int:
    """The Bot API emulator on its own (benchmarks run it beside a real ``run``)."""
    from bot.devtools.emulator import BotAPIEmulator, FloodLimits, serve_forever

    limits = None
    if args.limits:
        limits = FloodLimits(args.overall, args.per_chat, args.per_group)
    emulator = BotAPIEmulator(token=args.token, limits=limits, port=args.port, record_calls=False)
    asyncio.run(serve_forever(emulator))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="ILO/Cinterfor network coordination bot"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="serve the bot (long polling, or webhook when WEBHOOK_URL is set)"
    )
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser(
        "demo", help="try the bot in a web chat (or --terminal) on this machine; no token needed"
    )
    demo.add_argument(
        "--terminal", action="store_true", help="chat in this terminal instead of a browser"
    )
    demo.add_argument("--port", type=int, default=8765, help="the web chat's port")
    demo.add_argument(
        "--host", default="127.0.0.1", help="the web chat's address (loopback by default)"
    )
    demo.add_argument(
        "--as",
        dest="as_role",
        choices=("member", "organizer", "admin"),
        default="member",
        help="who you are in the terminal chat",
    )
    demo.add_argument(
        "--lang",
        choices=("es", "pt", "en"),
        default=None,
        help="the language your Telegram app would report",
    )
    demo.add_argument("--limits", action="store_true", help="enforce Telegram's flood limits")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=("upgrade",))
    db.set_defaults(func=cmd_db)

    health = sub.add_parser("healthcheck", help="exit 0 when the bot is healthy (for Docker)")
    health.set_defaults(func=cmd_healthcheck)

    for name, text in (
        ("backup", "write a backup of the database to FILE (safe while the bot runs)"),
        ("restore", "replace the database's contents with the backup in FILE"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("file", type=Path)
        if name == "backup":
            cmd.add_argument("--logical", action="store_true", help="a JSON export, not pg_dump")
        else:
            cmd.set_defaults(logical=False)
        cmd.set_defaults(func=cmd_backup)

    emulator = sub.add_parser("emulator", help="run the Bot API emulator alone (benchmarks)")
    emulator.add_argument("--port", type=int, default=0)
    emulator.add_argument("--token", default=None)
    emulator.add_argument("--limits", action="store_true", help="enforce flood limits")
    emulator.add_argument("--overall", type=float, default=30, help="messages a second")
    emulator.add_argument("--per-chat", type=float, default=1, help="messages a second")
    emulator.add_argument("--per-group", type=float, default=20, help="messages a minute")
    emulator.set_defaults(func=cmd_emulator)

    cli_network.register(sub)
    cli_broadcast.register(sub)
    cli_tickets.register(sub)
    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Feature modules add subcommands (import, export, ask, broadcast) here.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        func: Command = args.func
        return func(args)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except startup.StartupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
