"""scripts/test-setup, the README's test set-up: it installs from Debian only what is
missing, as root, and its exit code tells the truth.

The script runs for real (bash), on a copy in a temporary project folder, with a PATH
of stand-ins that record how they were called: `apt-get`, `dpkg-query`, `chromium`,
`pdftotext`, `ssh`, `id`, `python3` (which makes a `.venv/bin/pip` stand-in). Nothing is
installed and the real `.venv` is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from report_pages import ROOT

SCRIPT = ROOT / "scripts" / "test-setup"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


def _machine(
    tmp_path: Path,
    *,
    have: tuple[str, ...] = ("chromium", "pdftotext", "ssh"),
    fonts: bool = True,
    uid: int = 0,
    apt_fails: bool = False,
) -> tuple[Path, Path, Path]:
    """A project copy and a PATH of stand-ins; returns (script, bin, log)."""
    project, stubs, log = tmp_path / "project", tmp_path / "bin", tmp_path / "calls.log"
    (project / "scripts").mkdir(parents=True)
    shutil.copy2(SCRIPT, project / "scripts" / "test-setup")
    stubs.mkdir()
    for tool in ("grep", "dirname", "mkdir", "cat", "chmod", "env"):
        found = shutil.which(tool)
        assert found is not None
        (stubs / tool).symlink_to(found)
    record = f'echo "$(basename "$0") $*" >> {log}'
    for tool in have:
        _stub(stubs, tool, record)
    _stub(stubs, "basename", 'echo "${1##*/}"')
    _stub(stubs, "id", f"echo {uid}")
    _stub(
        stubs,
        "dpkg-query",
        record + ("\necho -n 'install ok installed'" if fonts else "\nexit 1"),
    )
    _stub(stubs, "apt-get", record + ("\nexit 100" if apt_fails else ""))
    pip = f'#!/bin/bash\necho "pip $*" >> {log}'
    _stub(
        stubs,
        "python3",
        record + f"\nmkdir -p .venv/bin && printf '%s\\n' '{pip}' > .venv/bin/pip"
        " && chmod +x .venv/bin/pip",
    )
    return project / "scripts" / "test-setup", stubs, log


def _run(script: Path, stubs: Path) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    assert bash is not None
    return subprocess.run(
        [bash, str(script)],
        env={"PATH": str(stubs), "HOME": str(stubs)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_a_machine_with_everything_installs_nothing_from_debian(tmp_path: Path) -> None:
    script, stubs, log = _machine(tmp_path)
    done = _run(script, stubs)
    assert done.returncode == 0, done.stderr
    calls = _calls(log)
    assert not [c for c in calls if c.startswith("apt-get")]
    assert calls[-2:] == ["python3 -m venv .venv", "pip install -q -e .[test]"]


def test_what_is_missing_is_installed_as_root_after_an_update(tmp_path: Path) -> None:
    script, stubs, log = _machine(tmp_path, have=("pdftotext",), fonts=False)
    done = _run(script, stubs)
    assert done.returncode == 0, done.stderr
    apt = [c for c in _calls(log) if c.startswith("apt-get")]
    assert apt == [
        "apt-get update -q",
        "apt-get install -y -q --no-install-recommends chromium openssh-client "
        "fonts-dejavu-core fonts-noto-color-emoji",
    ]
    assert (
        "installing chromium openssh-client fonts-dejavu-core fonts-noto-color-emoji" in done.stderr
    )


def test_a_failed_install_fails_the_set_up_before_the_python_part(tmp_path: Path) -> None:
    script, stubs, log = _machine(tmp_path, have=(), apt_fails=True)
    done = _run(script, stubs)
    assert done.returncode != 0
    assert not [c for c in _calls(log) if c.startswith(("python3", "pip"))]


def test_without_root_or_sudo_it_says_so_and_fails(tmp_path: Path) -> None:
    script, stubs, log = _machine(tmp_path, have=("pdftotext", "ssh"), uid=1000)
    done = _run(script, stubs)
    assert done.returncode == 1
    assert done.stderr.strip() == "test-setup: chromium missing; run this as root to install them"
    assert not [c for c in _calls(log) if c.startswith(("apt-get", "python3"))]
