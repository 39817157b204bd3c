"""``python -m bot broadcast --to SELECTORS --text LANG=TEXT [...] [--at ISO-TIME]``.

Stores the broadcast (and, unless scheduled, its outbox rows) in the shared database; the
running bot sends it. Prints the id and the recipient count.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from bot.app.config import load_settings
from bot.core.audience import AudienceError, parse_selectors
from bot.messaging.compose import parse_local_time, parse_text_args, split_html, text_problem


def _parse_at(text: str, zone: str) -> datetime | None:
    """An ISO time; without an offset it is read in DEFAULT_TIMEZONE."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    local = parse_local_time(moment.strftime("%Y-%m-%d %H:%M"), zone)
    return local


def cmd_broadcast(args: argparse.Namespace) -> int:
    from storage import broadcasts
    from storage.audience import unknown_references
    from storage.db import Database, upgrade_database
    from storage.types import utcnow

    settings = load_settings()
    try:
        texts = parse_text_args(args.text)
        audience = parse_selectors(args.to)
    except ValueError as exc:
        message = (
            f"unknown selector: {exc.selector}" if isinstance(exc, AudienceError) else str(exc)
        )
        print(f"error: {message}", file=sys.stderr)
        return 2
    for language, text in texts.items():
        problem = text_problem(text)
        if problem:
            print(f"error: --text {language}: {problem}", file=sys.stderr)
            return 2
    scheduled = None
    if args.at:
        scheduled = _parse_at(args.at, settings.default_timezone)
        if scheduled is None:
            print(
                f"error: --at: not a valid time in {settings.default_timezone}: {args.at}",
                file=sys.stderr,
            )
            return 2
        if scheduled <= utcnow():
            print("error: --at: that time has already passed", file=sys.stderr)
            return 2
    upgrade_database(settings.database_url)

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            missing = await unknown_references(db, audience)
            if missing:
                print(f"error: unknown {', '.join(missing)}", file=sys.stderr)
                return 2
            recipients = await broadcasts.count_recipients(db, audience)
            if recipients.total == 0:
                print("error: nobody matches this audience", file=sys.stderr)
                return 2
            created = await broadcasts.create_broadcast(
                db,
                created_by=0,
                actor_name="command line",
                texts=texts,
                audience=audience,
                now=utcnow(),
                default_language=settings.default_language,
                split=split_html,
                scheduled_at=scheduled,
            )
            state = f"scheduled for {scheduled.isoformat()}" if scheduled else "queued"
            print(f"broadcast {created.id}: {recipients.total} recipients, {state}")
            if recipients.waiting:
                print(f"not included: {recipients.waiting} whose institution is not confirmed")
            return 0
        finally:
            await db.dispose()

    return asyncio.run(run())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("broadcast", help="queue an announcement for the running bot")
    parser.add_argument("--to", required=True, help="all, or selectors: country:UY,language:es")
    parser.add_argument(
        "--text",
        action="append",
        required=True,
        metavar="LANG=TEXT",
        help="the text in one language (repeat for others)",
    )
    parser.add_argument(
        "--at", help="send later: ISO time (DEFAULT_TIMEZONE unless it has an offset)"
    )
    parser.set_defaults(func=cmd_broadcast)
