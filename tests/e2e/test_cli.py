"""The command line as a process: a bad configuration is one line on stderr, no traceback.
(Moved from tests/unit/test_config.py: starting Python and importing the whole bot takes
seconds, which the unit suite's budget cannot spare.)"""

from __future__ import annotations

import subprocess
import sys


def test_cli_prints_one_line_without_traceback(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={"BOT_TOKEN": "123:bad token", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr
    assert "bad token" not in result.stderr
