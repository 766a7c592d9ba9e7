"""The wheel that is built carries the compiled catalogues: without them an installed
sprintboard would speak English whatever the user chose, and say nothing about it.

Built for real with pip (hatchling, the project's build backend, in pip's isolated build
environment): some seconds, so this module is slow (tests/conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from sprintboard.i18n import extract

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_compiled_catalogues(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            *("-m", "pip", "wheel", "--no-deps", "--quiet"),
            *("--wheel-dir", str(tmp_path), str(ROOT)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = tmp_path.glob("sprintboard-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for path in extract.catalogues():
            mo = path.with_suffix(".mo").relative_to(ROOT).as_posix()
            assert mo in names, sorted(name for name in names if "locale" in name)
            assert archive.read(mo) == path.with_suffix(".mo").read_bytes()
    assert "sprintboard/locale/da/LC_MESSAGES/sprintboard.mo" in names
