"""The Danish app suite, run in a process of its own that speaks Danish.

The app's key descriptions are bound when its modules are imported, so one test process
speaks one language: this suite's (English, tests/conftest.py). `tests/tui/danish` is
collected only when SPRINTBOARD_TEST_LANG=da; this test runs it so, and fails with its
output when it fails. To update its snapshots after a deliberate change:
``SPRINTBOARD_TEST_LANG=da pytest tests/tui/danish --snapshot-update``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_danish_app_suite_passes() -> None:
    env = {**os.environ, "SPRINTBOARD_TEST_LANG": "da"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/tui/danish"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    # it really ran (a suite collected as empty exits 5, but say what ran all the same)
    passed = re.search(r"(\d+) passed", said)
    assert passed is not None and int(passed.group(1)) >= 20, said
    assert "skipped" not in said, said
