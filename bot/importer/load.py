"""One import of network data files, shared by ``python -m bot import`` and ``/import``:
read and check every file, then write everything in one transaction — or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.importer.network_file import NetworkFileError, parse_network_files
from bot.importer.schema import MAX_CHECK_SECONDS
from bot.importer.worker import parse_off_loop
from storage.db import Database
from storage.network import ImportSummary, ReferenceError_, import_network


@dataclass
class ImportOutcome:
    summary: ImportSummary | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.summary is not None


async def run_import(
    db: Database,
    files: list[tuple[str, bytes]],
    *,
    default_language: str,
    default_timezone: str,
    prune: bool = False,
    actor_id: int | None = None,
    actor_name: str | None = None,
    off_loop: bool = False,
    timeout: float = MAX_CHECK_SECONDS,
) -> ImportOutcome:
    """``off_loop`` (the bot's /import): read and check in a worker process, at most
    ``timeout`` seconds; the CLI and tests check in-line."""
    try:
        if off_loop:
            data = await parse_off_loop(
                files,
                default_language=default_language,
                default_timezone=default_timezone,
                timeout=timeout,
            )
        else:
            data = parse_network_files(
                files, default_language=default_language, default_timezone=default_timezone
            )
    except NetworkFileError as exc:
        return ImportOutcome(errors=exc.errors)
    if not data.sections:
        return ImportOutcome(errors=["the files contain no section to import"])
    try:
        summary = await import_network(
            db, data, prune=prune, actor_id=actor_id, actor_name=actor_name
        )
    except ReferenceError_ as exc:
        return ImportOutcome(errors=exc.errors)
    return ImportOutcome(summary=summary)
