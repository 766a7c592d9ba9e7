"""Running git: its failures as one line with git's reason, and where the working tree is."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintboard.git.runner import GitError, git, reason, relative, toplevel

from .git_repo import Repo


def test_git_reason_drops_boilerplate_and_joins_a_split_line() -> None:
    said = b"fatal: x\nfatal: Could not read from remote repository.\n\nPlease make sure"
    assert reason(said + b" you have the correct access rights\n") == "x"
    assert reason(b"hint: try\nfatal: Could not read from remote repository.\n") == (
        "Could not read from remote repository."  # nothing better: the boilerplate itself
    )
    assert reason(b"fatal: unable to connect to h:\nh[0: h]: errno=Refused\n") == (
        "unable to connect to h: h[0: h]: errno=Refused"
    )
    assert reason(b"") == ""


def test_a_failing_git_command_says_which_and_why_in_one_line(repo: Repo) -> None:
    with pytest.raises(GitError) as raised:
        git(repo.path, "rev-parse", "--verify", "no-such-ref")
    message = str(raised.value)
    assert message.startswith("git rev-parse failed: ") and "\n" not in message
    assert git(repo.path, "rev-parse", "--verify", "no-such-ref", check=False).returncode != 0


def test_without_git_on_path_the_error_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no git in it
    with pytest.raises(GitError, match="git is not installed"):
        git(tmp_path, "status")


def test_toplevel_and_relative_names_in_the_working_tree(repo: Repo, tmp_path: Path) -> None:
    (repo.path / "boards").mkdir()
    assert toplevel(repo.path / "boards") == repo.path.resolve()
    assert relative(repo.path, repo.path / "boards" / "x.toml") == "boards/x.toml"
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(GitError, match="not inside a git repository"):
        toplevel(outside)
    with pytest.raises(GitError, match="is not inside the git repository"):
        relative(repo.path, outside / "x.toml")
