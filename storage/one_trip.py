"""Hot writes on SQLite in one trip to the driver thread.

SQLite takes one writer at a time; this process's writers queue at the driver's write gate
(:mod:`storage.sqlite_driver`). A write of two statements through SQLAlchemy holds the gate
for three trips to the driver thread (each statement, then the commit), and on a busy bot
each trip waits for the event loop to get round to it: in the 500-member survey burst the
gate was held about 8 ms per answer, busy 95% of the time, and taps queued behind it. The
statements here are SQLAlchemy statements with named parameters, compiled once for the
dialect; their values go through the columns' own bind processing (JSON, UTC times), and
they run as one transaction in one trip, and the one-trip writes that queue at the gate
meanwhile share that trip and its commit (``storage.sqlite_driver.GroupCommit``: 88 answers/s
instead of 80). PostgreSQL, and an in-memory SQLite, take the ordinary path.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.sqlite_driver import Connection

S = TypeVar("S", bound=ClauseElement)


class Prepared(Generic[S]):
    """A statement with ``bindparam`` placeholders, compiled on first use; ``statement``
    itself serves the ordinary path, with the same names as ``params``."""

    def __init__(self, statement: S) -> None:
        self.statement = statement
        self._compiled: Any = None

    def bind(self, dialect: Dialect, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and its positional parameters, processed as SQLAlchemy would."""
        if self._compiled is None:
            compiled: Any = self.statement.compile(dialect=dialect)  # a SQLCompiler
            if compiled.positiontup is None or compiled.post_compile_params:
                raise ValueError("Prepared takes positional, fixed parameters (SQLite's)")
            self._compiled = compiled
        compiled = self._compiled
        params = compiled.construct_params(values)
        processors = compiled._bind_processors
        return compiled.string, [
            processors[name](params[name]) if name in processors else params[name]
            for name in compiled.positiontup
        ]


async def sqlite_driver(session: AsyncSession) -> tuple[Connection, Dialect] | None:
    """The project's SQLite driver connection under ``session`` and its dialect; None on
    PostgreSQL or another driver (the caller takes the ordinary path)."""
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        return None
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    return (driver, connection.dialect) if isinstance(driver, Connection) else None
