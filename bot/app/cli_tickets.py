"""``python -m bot tickets list [--status S] | show ID | close ID | export FILE``.

Reads and changes the shared database; a running bot shows a ticket closed here as closed
the next time it touches it. The export is a CSV of every question and its answer.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from pathlib import Path
from typing import Any

from bot.app.config import load_settings
from bot.core.enums import TicketStatus

EXPORT_COLUMNS = [
    "id",
    "status",
    "language",
    "created_at",
    "institution",
    "question",
    "answer",
    "answered_by",
    "answered_at",
    "faq_id",
]


async def _run(args: argparse.Namespace) -> int:
    from storage import tickets as store
    from storage.db import Database
    from storage.types import utcnow

    settings = load_settings()
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        if args.action == "list":
            status = TicketStatus(args.status) if args.status else None
            for t in await store.list_tickets(db, status, args.limit):
                print(
                    f"#{t.id}\t{t.status}\t{t.language}\t{t.created_at:%Y-%m-%d %H:%M}\t"
                    f"{t.question[:70]!s}"
                )
            return 0
        if args.action == "export":
            rows = await store.export_rows(db)
            _write_csv(args.target, rows)
            print(f"{len(rows)} questions written to {args.target}")
            return 0
        ticket_id = _ticket_id(args.target)
        if ticket_id is None:
            print(f"error: not a ticket number: {args.target}", file=sys.stderr)
            return 2
        ticket = await store.get_ticket(db, ticket_id)
        if ticket is None:
            print(f"error: no ticket #{ticket_id}", file=sys.stderr)
            return 1
        if args.action == "show":
            _show(ticket, await store.notes_of(db, ticket_id))
            return 0
        change = await store.close_ticket(db, ticket_id, utcnow())
        print(f"ticket #{ticket_id} closed" if change.done else f"ticket #{ticket_id} was closed")
        return 0
    finally:
        await db.dispose()


def _ticket_id(text: str | None) -> int | None:
    value = (text or "").lstrip("#")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _show(ticket: Any, notes: list[Any]) -> None:
    print(
        f"#{ticket.id} · {ticket.status} · {ticket.language} · {ticket.created_at:%Y-%m-%d %H:%M}"
    )
    if ticket.erased:
        print("(the person who asked erased their data)")
    else:
        print(f"from: {ticket.member_name} · {ticket.institution or '—'}")
    for note in notes:
        who = "member" if note.author == "member" else (note.author_name or "organizer")
        print(f"--- {who}, {note.at:%Y-%m-%d %H:%M}\n{note.text}")


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in rows:
            # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
            writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def cmd_tickets(args: argparse.Namespace) -> int:
    if args.action in ("show", "close", "export") and not args.target:
        print(
            f"error: tickets {args.action} needs {'FILE' if args.action == 'export' else 'ID'}",
            file=sys.stderr,
        )
        return 2
    if args.action == "export":
        args.target = Path(args.target)
    return asyncio.run(_run(args))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tickets = sub.add_parser("tickets", help="questions handed to the organizers")
    tickets.add_argument("action", choices=("list", "show", "close", "export"))
    tickets.add_argument("target", nargs="?", help="the ticket number, or the CSV file")
    tickets.add_argument("--status", choices=[s.value for s in TicketStatus], default=None)
    tickets.add_argument("--limit", type=int, default=50)
    tickets.set_defaults(func=cmd_tickets)
