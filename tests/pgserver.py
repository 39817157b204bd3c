"""A throwaway PostgreSQL server for the storage tests, started from the server binaries.

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` system user
(``runuser``). Where no PostgreSQL is installed the tests that need it are skipped with the
reason shown — unless ``REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns that into a
failure so CI can never pass without them.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_BINDIR = "/usr/lib/postgresql/15/bin"


@dataclass
class PostgresServer:
    url: str
    directory: Path
    bindir: Path
    prefix: list[str]

    def stop(self) -> None:
        subprocess.run(
            [
                *self.prefix,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.directory / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_bindir() -> Path | None:
    for candidate in (os.environ.get("PG_BINDIR"), DEFAULT_BINDIR):
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def start_postgres() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError(f"no PostgreSQL server binaries (looked in {DEFAULT_BINDIR})")
    directory = Path(tempfile.mkdtemp(prefix="cinterfor-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(directory, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        ],
        capture_output=True,
        check=True,
    )
    port = _free_port()
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        capture_output=True,
        check=True,
    )
    return PostgresServer(
        f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres", directory, bindir, prefix
    )


def _run_sql(url: str, sql: str) -> None:
    """Run one statement with asyncpg on a private loop (safe inside or outside a loop)."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    errors: list[BaseException] = []

    async def go() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def target() -> None:
        try:
            asyncio.run(go())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def create_database(server_url: str, name: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    _run_sql(server_url, f'DROP DATABASE IF EXISTS "{name}"')
    _run_sql(server_url, f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_postgres()
    except (FileNotFoundError, KeyError, subprocess.CalledProcessError) as exc:
        detail = (
            exc.stderr.decode(errors="replace")[-500:]
            if isinstance(exc, subprocess.CalledProcessError) and exc.stderr
            else str(exc)
        )
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(
                f"PostgreSQL is required (REQUIRE_POSTGRES=1) but could not start: {detail}"
            )
        pytest.skip(f"PostgreSQL not available: {detail}")
    try:
        yield server
    finally:
        server.stop()
