"""`git-setup`: the `.gitattributes` line and the repo-local config that send boards to git."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sprintboard import cli
from sprintboard.git.setup import driver_command

from .git_repo import Repo

BIN = Path(sys.executable).parent


def test_git_setup_is_idempotent_and_keeps_other_lines(
    repo: Repo,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (repo.path / ".gitattributes").write_text("*.png binary")  # no final newline
    (repo.path / "boards").mkdir()
    monkeypatch.chdir(repo.path / "boards")  # from a subfolder: writes at the top
    assert cli.main(["git-setup"]) == 0
    first = capsys.readouterr().out
    assert "added 'boards/*.toml merge=sprintboard'" in first
    assert "git config merge.sprintboard.driver = " in first
    assert cli.main(["git-setup"]) == 0
    second = capsys.readouterr().out
    assert "already has" in second and second.count("already") == 3
    assert (repo.path / ".gitattributes").read_text() == (
        "*.png binary\nboards/*.toml merge=sprintboard\n"
    )
    driver = repo.git("config", "merge.sprintboard.driver").stdout.strip()
    assert driver.endswith("merge-driver %O %A %B %P")
    assert repo.git("config", "merge.sprintboard.name").stdout.strip()
    assert "sprintboard" not in (git_env / ".gitconfig").read_text()  # repo-local only
    check = repo.git("check-attr", "merge", "--", "boards/family.toml").stdout
    assert check.strip().endswith("merge: sprintboard")


def test_driver_command_uses_the_bare_name_only_when_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}/usr/bin{os.pathsep}/bin")
    assert driver_command() == "sprintboard merge-driver %O %A %B %P"
    monkeypatch.setenv("PATH", f"/usr/bin{os.pathsep}/bin")
    command = driver_command()
    assert command.startswith(str(BIN / "sprintboard")) or command.startswith(sys.executable)


def test_git_setup_outside_a_repository(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["git-setup"]) == 1
    err = capsys.readouterr().err
    assert "not inside a git repository" in err and len(err.splitlines()) == 1
