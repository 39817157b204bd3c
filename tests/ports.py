"""Ports for servers the tests start.

Port 0 hands out a port from the kernel's ephemeral range, the same range outgoing
connections take their local ports from: between asking and binding, another worker's
client connection can take it ("address already in use", seen in CI). So tests take ports
below that range, a separate block for each pytest-xdist worker, never the same one twice
in a process, and check the port is free before returning it.
"""

from __future__ import annotations

import itertools
import os
import random
import socket

LOW, HIGH = 20_000, 32_000  # below Linux's default ephemeral range (32768-60999)
BLOCK = 1_000
_issued: set[int] = set()


def _block() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    start = LOW + (index * BLOCK) % (HIGH - LOW)
    return range(start, start + BLOCK)


def free_port() -> int:
    """A loopback port nobody listens on, for this worker only."""
    block = list(_block())
    random.shuffle(block)
    for port in itertools.chain(block, range(LOW, HIGH)):
        if port in _issued:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _issued.add(port)
        return port
    raise RuntimeError("no free port below the ephemeral range")
