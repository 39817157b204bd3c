"""The deployment's topology without Docker: two replicas in webhook mode on one PostgreSQL
behind Debian's nginx on loopback, terminating TLS and balancing /telegram and /app/, with
/metrics kept off the public side. Updates posted through the proxy (half of them twice, as
Telegram does after a timeout) are handled once, by both replicas between them."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.devtools.emulator import BotAPIEmulator
from storage.db import Database
from tests.pgserver import PostgresServer, create_database
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "topology-secret-0123456789"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(
    NGINX is None or shutil.which("openssl") is None,
    reason="nginx or openssl is not installed (.ci/run installs nginx with apt-get)",
)
CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    upstream bots {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{public} ssl;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        location = /telegram {{ proxy_pass http://bots; }}
        location /app/ {{ proxy_pass http://bots; }}
        location / {{ return 404; }}
    }}
    server {{
        listen 127.0.0.1:{private};
        location = /metrics {{ proxy_pass http://bots; }}
    }}
}}
"""


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[dict[str, int]]:
    ports = {name: free_port() for name in ("a", "b", "public", "private")}
    folder = tmp_path / "nginx"
    folder.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "nginx.conf").write_text(CONF.format(dir=folder, **ports))
    assert NGINX is not None
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        yield ports
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def start_replica(emu: BotAPIEmulator, url: str, port: int, public: int, log: Path) -> Any:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "DATABASE_URL": url,
        "WEBHOOK_URL": f"https://127.0.0.1:{public}/telegram",
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=log.parent,
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def request(url: str, body: dict[str, object] | None = None) -> tuple[int, str]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10, context=context) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def start_update(update_id: int, user_id: int) -> dict[str, object]:
    person = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "es"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
            "from": person,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def handled(port: int) -> float:
    _, page = request(f"http://127.0.0.1:{port}/metrics")
    for line in page.splitlines():
        if line.startswith('bot_updates_total{outcome="handled"}'):
            return float(line.split()[-1])
    return 0.0


async def test_two_replicas_behind_nginx(
    postgres_server: PostgresServer, nginx: dict[str, int], tmp_path: Path
) -> None:
    url = create_database(postgres_server.url, f"topology_{os.getpid()}")
    db = Database(url)
    await db.upgrade()
    await db.dispose()
    emu = BotAPIEmulator()
    await emu.start()
    log = tmp_path / "bots.log"
    public = f"https://127.0.0.1:{nginx['public']}"
    processes = [start_replica(emu, url, nginx[k], nginx["public"], log) for k in ("a", "b")]
    users = list(range(50_000, 50_020))
    try:
        for port in (nginx["a"], nginx["b"]):
            for _ in range(600):
                if request(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(log.read_text()[-3000:])
        for user_id in users:
            emu.user(user_id=user_id, language_code="es")
        for n, user_id in enumerate(users, start=1):
            update = start_update(n, user_id)
            for _ in range(1 + n % 2):  # Telegram posts again what it thinks was lost
                status, body = await asyncio.to_thread(request, f"{public}/telegram", update)
                assert status == 200, body
        await emu.wait_for(lambda: all(emu.chats[u].messages for u in users), timeout=60)
        assert request(f"{public}/metrics")[0] == 404  # not public
        assert request(f"{public}/healthz")[0] == 404
        status, page = request(f"http://127.0.0.1:{nginx['private']}/metrics")
        assert status == 200 and "bot_updates_total" in page
        per_replica = [handled(nginx["a"]), handled(nginx["b"])]
        assert sum(per_replica) == len(users) and min(per_replica) > 0, per_replica
    finally:
        for process in processes:
            process.terminate()
            try:
                await asyncio.to_thread(process.wait, 15)
            except subprocess.TimeoutExpired:
                process.kill()
        await emu.stop()
    text = log.read_text(errors="replace")
    assert emu.token not in text and SECRET not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(e) for e in lines)
