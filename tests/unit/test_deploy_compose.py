"""The deployment file's structure: PostgreSQL with a volume and a health check, two bot
replicas in webhook mode with health checks, a reverse proxy from an official image
terminating TLS, and no secret written inline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SECRET_NAMES = re.compile(r"TOKEN|SECRET|PASSWORD|DATABASE_URL", re.I)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text()))


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_services_and_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "bot1", "bot2", "proxy"} <= set(services)
    postgres = services["postgres"]
    assert any(str(v).endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in str(postgres["healthcheck"]["test"])
    assert postgres["volumes"][0].split(":")[0] in compose["volumes"]
    for name in ("bot1", "bot2"):
        bot = services[name]
        assert "healthcheck" in str(bot["healthcheck"]["test"])
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert bot["env_file"] == "bot.env"
        assert "ports" not in bot  # reached through the proxy only
    assert services["proxy"]["image"].split(":")[0] in {"caddy", "nginx", "haproxy"}
    assert "healthcheck" in services["proxy"]


def test_the_proxy_terminates_tls_and_keeps_metrics_private(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    ports = [str(p) for p in proxy["ports"]]
    assert "443:443" in ports
    metrics_ports = [p for p in ports if p.endswith(":9180")]
    assert metrics_ports and all(p.startswith("127.0.0.1:") for p in metrics_ports)
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    public = caddyfile.split(":9180", 1)[0]
    assert "/telegram" in public and "/app/*" in public and "bot1:8080 bot2:8080" in public
    assert "respond @metrics 404" in public
    example = (DEPLOY / "bot.env.example").read_text()
    assert re.search(r"^WEBHOOK_URL=https://[^/\s]+/telegram$", example, re.M)  # webhook mode


def test_no_secret_inline(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in environment(service).items():
            assert not SECRET_NAMES.search(key), f"{name}: {key} belongs in an env file"
            assert not re.search(r"\d{5,}:[A-Za-z0-9_-]{30,}", value)
    text = (DEPLOY / "compose.yaml").read_text()
    assert not re.search(r"postgres(ql)?://[^:\s]+:[^@\s]+@", text)
    for example in DEPLOY.glob("*.env.example"):
        for line in example.read_text().splitlines():
            if SECRET_NAMES.search(line.split("=", 1)[0]) and "=" in line:
                value = line.split("=", 1)[1]
                assert value in ("",) or "CHANGE-ME" in value, f"{example.name}: {line}"
