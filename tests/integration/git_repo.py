"""Git repositories of our own for tests: an isolated HOME and config, a working tree.

Every repository lives in tmp_path, with its own HOME and global git config, so the
machine's git settings play no part.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import T0

from sprintboard import ops, storage
from sprintboard.model import Board

T1 = T0.replace(hour=10)
T2 = T0.replace(hour=11)


def isolate_git(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point HOME and git's global config at `home`; drop inherited GIT_* settings."""
    home.mkdir()
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    monkeypatch.setenv("SPRINTBOARD_USER", "tester")
    for name in list(os.environ):
        if name.startswith("GIT_") and name not in (
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_NOSYSTEM",
            "GIT_TERMINAL_PROMPT",
        ):
            monkeypatch.delenv(name)


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A HOME and global git config of our own; yields the HOME folder."""
    isolate_git(tmp_path / "home", monkeypatch)
    yield tmp_path / "home"


@dataclass
class Repo:
    """A git working tree in a tmp folder, with a board at boards/x.toml."""

    path: Path

    @classmethod
    def init(cls, path: Path, *, name: str = "Tester") -> Repo:
        path.mkdir(parents=True)
        repo = cls(path)
        repo.git("init", "-q", "-b", "main")
        repo.git("config", "user.name", name)
        repo.git("config", "user.email", f"{name.lower()}@example.org")
        return repo

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {result.stdout}{result.stderr}")
        return result

    @property
    def board_path(self) -> Path:
        return self.path / "boards" / "x.toml"

    def write(self, board: Board) -> None:
        self.board_path.parent.mkdir(exist_ok=True)
        storage.save(self.board_path, board)

    def read(self) -> Board:
        return storage.load(self.board_path).board

    def has(self, name: str) -> bool:
        return (self.path / name).exists()

    def commit(self, message: str) -> None:
        self.git("add", "-A", "--", "boards", *[".gitattributes"] * self.has(".gitattributes"))
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A fresh repository at tmp_path/repo, and the current folder (commands run in it)."""
    made = Repo.init(tmp_path / "repo")
    monkeypatch.chdir(made.path)
    return made


def apply(board: Board, *steps: ops.Op) -> Board:
    for step in steps:
        board = ops.apply(board, step)
    return board
