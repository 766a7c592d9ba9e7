"""Every benchmark still runs: each script's --smoke mode, on tiny boards, as CI does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    "script",
    [
        "storage",
        "cli_startup",
        "contention",
        "merge",
        "tui",
        "rounds",
        "votes",
        "live",
        "hands",
        "nudge",
        "app_reports",
        "export",
        "stats",
        "guest",
        "invitations",
        "ssh_auth",
        "ssh",
        "web",
        "language",
    ],
)
def test_benchmark_runs_in_smoke_mode(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / f"{script}.py"), "--smoke"],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) >= 5  # it printed its figures
