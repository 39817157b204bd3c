"""``python -m bot backup FILE`` and ``python -m bot restore FILE``, while the bot runs.

- SQLite: SQLite's online backup API, page by page under SQLite's own locks, so the copy is
  consistent even while the bot writes; restore copies the file back the same way.
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) when the client tools
  are installed, restored with ``pg_restore --clean``; without them a logical export, one
  JSON document of every table read in one repeatable-read transaction.

``restore`` recognises the three formats by their first bytes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, insert, select, text
from sqlalchemy.engine import Connection, make_url

from bot.app.config import sqlite_path
from storage.db import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
LOGICAL_FORMAT = "cinterfor-logical-1"
PG_BINDIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


class BackupError(Exception):
    """The backup or restore could not be made; the message says why, in one line."""


def pg_tool(name: str) -> str | None:
    for folder in (os.environ.get("PG_BINDIR"), *PG_BINDIRS):
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    return shutil.which(name)


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    parsed = make_url(url)
    args = ["--dbname", parsed.database or "postgres"]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)  # not on the command line, where ps shows it
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{Path(command[0]).name}: {last}")


def backup(url: str, target: Path, *, logical: bool = False) -> str:
    """Write a backup of ``url`` to ``target``; returns the format used."""
    path = sqlite_path(url)
    if path is not None and not logical:
        _sqlite_copy(path, target)
        return "sqlite"
    dump = pg_tool("pg_dump")
    if path is None and dump is not None and not logical:
        args, env = _pg_args(url)
        _run([dump, "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return "pg_dump"
    document = asyncio.run(_export(url))
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return "logical"


def restore(url: str, source: Path) -> str:
    """Replace the contents of ``url`` with the backup in ``source``; returns its format."""
    with source.open("rb") as handle:
        head = handle.read(16)
    path = sqlite_path(url)
    if head.startswith(SQLITE_MAGIC):
        if path is None:
            raise BackupError("an SQLite backup restores into an SQLite database only")
        _sqlite_copy(source, path)
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        tool = pg_tool("pg_restore")
        if path is not None or tool is None:
            raise BackupError("a pg_dump backup needs PostgreSQL and pg_restore")
        args, env = _pg_args(url)
        flags = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([tool, *flags, *args, str(source)], env)
        return "pg_dump"
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{source} is not a backup of this bot") from exc
    if not isinstance(document, dict) or document.get("format") != LOGICAL_FORMAT:
        raise BackupError(f"{source} is not a backup of this bot")
    asyncio.run(_import(url, document))
    return "logical"


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=256)
    finally:
        dst.close()
        src.close()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("$"):
        return {"$j": value}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "$dt":
            return datetime.fromisoformat(inner)
        if key == "$d":
            return date.fromisoformat(inner)
        if key == "$b":
            return base64.b64decode(inner)
        if key == "$j":
            return inner
    return value


def _tables(conn: Connection) -> list[Table]:
    meta = MetaData()
    meta.reflect(conn)
    return list(meta.sorted_tables)


async def _export(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            if not db.is_sqlite:
                await conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            tables = await conn.run_sync(_tables)
            data: dict[str, list[dict[str, Any]]] = {}
            for table in tables:
                rows = (await conn.execute(select(table))).mappings().all()
                data[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    finally:
        await db.dispose()
    return {"format": LOGICAL_FORMAT, "order": [t.name for t in tables], "tables": data}


async def _import(url: str, document: dict[str, Any]) -> None:
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            tables = {t.name: t for t in await conn.run_sync(_tables)}
            for name in reversed(list(tables)):
                await conn.execute(tables[name].delete())
            for name in document["order"]:
                rows = document["tables"].get(name) or []
                if name in tables and rows:
                    decoded = [{k: _decode(v) for k, v in row.items()} for row in rows]
                    await conn.execute(insert(tables[name]), decoded)
            if not db.is_sqlite:
                await _reset_sequences(conn, list(tables.values()))
    finally:
        await db.dispose()


async def _reset_sequences(conn: Any, tables: list[Table]) -> None:
    """PostgreSQL: serial ids continue after the restored rows."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int
            ):
                sql = (
                    "SELECT setval(pg_get_serial_sequence(:t, :c), "
                    f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false) '
                    "WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"
                )
                await conn.execute(text(sql), {"t": table.name, "c": column.name})
