"""``python -m bot import FILE... [--prune]``, ``python -m bot export network`` and
``python -m bot ask [--lang xx] [--json] [--file F] [QUESTION]``, on the configured database."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.app.config import Settings, load_settings


async def _database(settings: Settings) -> Any:
    """The configured database, migrated (Alembic runs in a thread: it has its own loop)."""
    from storage.db import Database

    db = Database(settings.database_url)
    await db.upgrade()
    return db


def _problems(n: int) -> str:
    return "1 problem" if n == 1 else f"{n} problems"


def cmd_import(args: argparse.Namespace) -> int:
    from bot.importer.load import run_import

    settings = load_settings()
    files: list[tuple[str, bytes]] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"error: {name}: no such file", file=sys.stderr)
            return 2
        files.append((path.name, path.read_bytes()))

    async def run() -> int:
        db = await _database(settings)
        try:
            outcome = await run_import(
                db,
                files,
                default_language=settings.default_language,
                default_timezone=settings.default_timezone,
                prune=args.prune,
                actor_name="command line",
            )
        finally:
            await db.dispose()
        if outcome.summary is None:
            print(
                f"import refused, nothing written ({_problems(len(outcome.errors))}):",
                file=sys.stderr,
            )
            for error in outcome.errors:
                print(f"  {error}", file=sys.stderr)
            return 1
        for section, counts in outcome.summary.sections.items():
            line = (
                f"{section}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged"
            )
            if args.prune:
                line += f", {counts.deleted} removed"
            print(line)
        return 0

    return asyncio.run(run())


def cmd_export(args: argparse.Namespace) -> int:
    from storage.network import export_network

    settings = load_settings()
    if args.what == "survey":
        return export_survey(args, settings)

    async def run() -> dict[str, Any]:
        db = await _database(settings)
        try:
            return await export_network(db)
        finally:
            await db.dispose()

    data = asyncio.run(run())
    if args.format not in (None, "yaml", "json"):
        print("error: export network writes --format yaml or json", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=100)
    return 0


def export_survey(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.i18n import Translator
    from bot.render.exports import to_csv, to_xlsx
    from storage import surveys
    from storage.catalog import pick_text

    if not args.id:
        print("error: export survey needs the survey's id", file=sys.stderr)
        return 2
    file_format = args.format or "csv"
    if file_format not in ("csv", "xlsx"):
        print("error: export survey writes --format csv or xlsx", file=sys.stderr)
        return 2
    language = args.lang or settings.default_language

    async def run() -> tuple[Any, Any, Any] | None:
        db = await _database(settings)
        try:
            found = await surveys.get_survey(db, args.id)
            if found is None:
                return None
            questions, rows = await surveys.export_rows(db, args.id)
            return found[0], questions, rows
        finally:
            await db.dispose()

    result = asyncio.run(run())
    if result is None:
        print(f"error: there is no survey {args.id!r}", file=sys.stderr)
        return 2
    survey, questions, rows = result
    tr = Translator(language)
    default = settings.default_language
    if file_format == "csv":
        content = to_csv(questions, rows, tr, default)
    else:
        content = to_xlsx(questions, rows, tr, default, pick_text(survey.title, language, default))
    if args.output:
        Path(args.output).write_bytes(content)
        print(f"{len(rows)} responses written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
    return 0


def _ask_options(args: argparse.Namespace, settings: Settings) -> tuple[str | None, str] | None:
    """The asker's language (None: the question's own) and time zone; None after printing
    one clear line when an option is wrong."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if args.lang is not None and args.lang not in ("es", "pt", "en"):
        print(f"error: unknown language {args.lang!r} (use es, pt or en)", file=sys.stderr)
        return None
    zone = args.timezone or settings.default_timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        print(
            f"error: unknown time zone {zone!r} (use an IANA name such as America/Lima)",
            file=sys.stderr,
        )
        return None
    return args.lang, zone


def plain_text(markup: str) -> str:
    """A reply's Telegram HTML as plain text: tags dropped, entities unescaped."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa.engine import Answerer, Catalog
    from bot.qa.reply import Reader, compose
    from storage.types import utcnow

    settings = load_settings()
    options = _ask_options(args, settings)
    if options is None:
        return 2
    language, zone = options
    if args.file:
        lines = Path(args.file).read_text(encoding="utf-8").splitlines()
        questions = [line.strip() for line in lines if line.strip()]
    elif args.question:
        questions = [" ".join(args.question)]
    else:
        print("error: give a QUESTION or --file F", file=sys.stderr)
        return 2

    async def load() -> Catalog:
        from bot.qa.service import load_catalog  # with the FAQ entries made from tickets

        db = await _database(settings)
        try:
            return await load_catalog(db)
        finally:
            await db.dispose()

    answerer = Answerer(asyncio.run(load()))
    for question in questions:
        now = utcnow()
        asked = language or settings.default_language
        result = answerer.ask(question, language=asked, zone=zone, now=now)
        # No --lang: the reply is in the question's own language, as its JSON says.
        reader = Reader(language or result.language, zone, registered=True)
        answer = compose(result, reader, now, settings.default_language)
        if args.json:
            hits = result.hits if result.confident else []
            line = {
                "language": result.language,
                "intent": result.intent,
                "results": [{"kind": h.kind, "id": h.id, "score": round(h.score, 4)} for h in hits],
                "reply": answer.text,
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(plain_text(answer.text))
            if len(questions) > 1:
                print()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = sub.add_parser("import", help="load network data files (YAML, JSON, CSV, .ics)")
    importer.add_argument("files", nargs="+", metavar="FILE")
    importer.add_argument(
        "--prune",
        action="store_true",
        help="remove records the files no longer list (in the sections they contain)",
    )
    importer.set_defaults(func=cmd_import)

    exporter = sub.add_parser(
        "export", help="the network data file, or a survey's answers (CSV or XLSX)"
    )
    exporter.add_argument("what", choices=("network", "survey"))
    exporter.add_argument("id", nargs="?", help="the survey's id (export survey ID)")
    exporter.add_argument("--format", choices=("yaml", "json", "csv", "xlsx"), default=None)
    exporter.add_argument("--lang", choices=("es", "pt", "en"), help="labels' language")
    exporter.add_argument("--output", help="write to this file instead of standard output")
    exporter.set_defaults(func=cmd_export)

    ask = sub.add_parser("ask", help="answer questions from the database, without Telegram")
    ask.add_argument("question", nargs="*", metavar="QUESTION")
    ask.add_argument("--lang", help="the asker's language: es, pt or en")
    ask.add_argument("--timezone", help="the asker's time zone (default DEFAULT_TIMEZONE)")
    ask.add_argument("--json", action="store_true", help="one JSON line per question")
    ask.add_argument("--file", help="one question per line")
    ask.set_defaults(func=cmd_ask)
