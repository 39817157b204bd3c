"""Reading and checking import files off the event loop, in a worker process with a time cap.

Why a process and not a thread: parsing a legal 4.9 MB YAML file is ~12-25 s of pure Python.
In a thread it holds the GIL, so the event loop stalls up to ~0.3 s at a time (p99 70 ms,
measured); in a spawned process the loop's p99 lag stays at 4 ms, the work runs on the other
core, and a process that overruns :data:`MAX_CHECK_SECONDS` can be killed (a thread cannot).
One fresh process per import: imports are rare, and the ~1 s start-up is small beside the
parse. Spawn, not fork: the bot has threads, and forking them is unsafe.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from multiprocessing.connection import Connection

from bot.core.records import NetworkData
from bot.importer.network_file import parse_network_files
from bot.importer.schema import MAX_CHECK_SECONDS, MAX_FILE_BYTES, MAX_RECORDS, NetworkFileError

Files = list[tuple[str, bytes]]
_CHECKS = threading.BoundedSemaphore(2)  # at most two worker processes at a time


def _work(sender: Connection, files: Files, default_language: str, default_timezone: str) -> None:
    """In the worker: send back the data, or the errors (a NetworkFileError does not pickle
    whole)."""
    try:
        data = parse_network_files(
            files, default_language=default_language, default_timezone=default_timezone
        )
    except NetworkFileError as exc:
        sender.send((None, exc.errors))
    else:
        sender.send((data, []))
    sender.close()


def too_slow(files: Files, seconds: float) -> str:
    names = ", ".join(name for name, _ in files) or "the files"
    return (
        f"{names}: checking took longer than {seconds:g} s, the limit; split the data into "
        f"smaller files (each at most {MAX_FILE_BYTES // (1024 * 1024)} MB and "
        f"{MAX_RECORDS:,} records per section)"
    )


def parse_in_process(
    files: Files,
    *,
    default_language: str,
    default_timezone: str,
    timeout: float = MAX_CHECK_SECONDS,
) -> NetworkData:
    """:func:`parse_network_files` in a fresh spawned process, killed after ``timeout``
    seconds. Blocking: call it through :func:`parse_off_loop` from async code. A third
    import at the same moment waits for one of the first two (the time cap starts then)."""
    with _CHECKS:
        return _check_in_process(files, default_language, default_timezone, timeout)


def _check_in_process(
    files: Files, default_language: str, default_timezone: str, timeout: float
) -> NetworkData:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_work,
        args=(sender, files, default_language, default_timezone),
        name="import-check",
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise NetworkFileError([too_slow(files, timeout)])
        data, errors = receiver.recv()
    except EOFError:  # the worker died without an answer (killed, out of memory...)
        process.join(1)
        raise RuntimeError(f"the import check stopped (exit code {process.exitcode})") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if data is None:
        raise NetworkFileError(errors)
    return data


async def parse_off_loop(
    files: Files,
    *,
    default_language: str,
    default_timezone: str,
    timeout: float = MAX_CHECK_SECONDS,
) -> NetworkData:
    """The same, awaited: the event loop keeps serving everyone else meanwhile."""
    return await asyncio.to_thread(
        parse_in_process,
        files,
        default_language=default_language,
        default_timezone=default_timezone,
        timeout=timeout,
    )
