"""The README's demo command, driven as a newcomer would: type, read, press numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_demo(tmp_path: Path, lines: list[str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--terminal", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_demo_onboarding_in_portuguese(tmp_path: Path) -> None:
    out = run_demo(tmp_path, ["/start", "2", "/settings", "/timezone São Paulo", "/help", "/quit"])
    assert "Which language do you prefer?" not in out  # greeted in Spanish first
    assert "¿Qué idioma prefieres?" in out
    assert "[1] Español  [2] Português  [3] English" in out
    assert "Em qual país" in out  # pressing 2 switched to Portuguese
    assert "Fuso horário definido como São Paulo" in out
    assert "/timezone" in out and "bye!" in out
    assert (tmp_path / "data" / "demo.db").exists()


def test_demo_as_admin_in_english(tmp_path: Path) -> None:
    out = run_demo(
        tmp_path, ["/help", "/audit", "/events", "/quit"], "--as", "admin", "--lang", "en"
    )
    assert "/grant" in out
    assert "Audit log" in out
    assert "Upcoming events" in out
