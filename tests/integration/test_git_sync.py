"""`sprintboard sync` against a bare repository in tmp_path acting as the shared remote."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintboard import cli, storage
from sprintboard.git import sync as git_sync
from sprintboard.model import Board, Stage

from .git_repo import Repo


def clone(remote: Path, folder: Path, name: str) -> Repo:
    subprocess.run(
        ["git", "clone", "-q", str(remote), str(folder)], check=True, capture_output=True
    )
    repo = Repo(folder)
    repo.git("config", "user.name", name)
    repo.git("config", "user.email", f"{name.lower()}@example.org")
    return repo


@pytest.fixture
def remote(tmp_path: Path, git_env: Path) -> Path:
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    return bare


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command line in a clone: exit code, stdout, stderr."""

    def run_in(repo: Repo, *argv: str, who: str = "nanna") -> tuple[int, str, str]:
        with monkeypatch.context() as patch:
            patch.chdir(repo.path)
            code = cli.main(["--as", who, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run_in


def board_of(repo: Repo) -> Board:
    return storage.load(repo.board_path).board


def last_subject(repo: Repo) -> str:
    return repo.git("log", "-1", "--format=%s").stdout.strip()


def add(run: Run, repo: Repo, title: str, stage: str = "idea") -> str:
    code, out, err = run(repo, "add", "x", title, "--stage", stage)
    assert code == 0, err
    return out.strip()


def test_two_clones_sync_alternately_and_converge(remote: Path, tmp_path: Path, run: Run) -> None:
    anna = clone(remote, tmp_path / "anna", "Anna")
    code, _, err = run(anna, "new", "x", "--title", "Families")
    assert code == 0, err
    assert run(anna, "member", "x", "nanna", "--name", "Nanna", "--side", "internal")[0] == 0
    first = add(run, anna, "Library workshop")
    code, out, err = run(anna, "sync")
    assert code == 0, err
    assert "set up the board merge driver" in out and "pushed to origin/main" in out
    assert last_subject(anna) == "new board with 1 card"

    bo = clone(remote, tmp_path / "bo", "Bo")
    code, out, err = run(bo, "sync")
    assert code == 0, err
    assert "up to date with origin/main" in out

    # both work offline on the same board, then sync one after the other
    second = add(run, anna, "Museum tickets")
    assert run(anna, "move", "x", first, "test")[0] == 0
    third = add(run, bo, "Bus to the museum")
    assert run(bo, "edit", "x", first, "--set", "body=Saturdays at ten")[0] == 0
    code, out, err = run(anna, "sync")
    assert code == 0, err
    assert "committed: 1 card moved to test, 1 idea added" in out
    assert last_subject(anna) == "1 card moved to test, 1 idea added"
    code, out, err = run(bo, "sync")
    assert code == 0, err
    assert "committed: 1 idea added, 1 card edited" in out
    assert "merged 1 change from origin/main" in out and "pushed" in out
    code, out, err = run(anna, "sync")
    assert code == 0, err
    assert "merged" in out

    for repo in (anna, bo):
        board = board_of(repo)
        assert {first, second, third} == set(board.cards)
        assert board.cards[first].stage is Stage.TEST
        assert board.cards[first].body == "Saturdays at ten"
        assert not repo.git("status", "--porcelain", "boards").stdout
    assert anna.board_path.read_bytes() == bo.board_path.read_bytes()
    assert anna.git("rev-parse", "HEAD").stdout == bo.git("rev-parse", "HEAD").stdout

    # a sync with nothing to do says so
    code, out, _ = run(bo, "sync")
    assert code == 0 and "up to date with origin/main" in out and "committed" not in out


def test_a_conflict_needs_a_decision_then_sync_finishes(
    remote: Path, tmp_path: Path, run: Run
) -> None:
    anna = clone(remote, tmp_path / "anna", "Anna")
    assert run(anna, "new", "x", "--title", "Families")[0] == 0
    card = add(run, anna, "Library workshop")
    assert run(anna, "sync")[0] == 0
    bo = clone(remote, tmp_path / "bo", "Bo")
    assert run(bo, "sync")[0] == 0

    assert run(anna, "edit", "x", card, "--set", "title=Sunday workshop")[0] == 0
    assert run(bo, "edit", "x", card, "--set", "title=Saturday club")[0] == 0
    assert run(anna, "sync")[0] == 0
    code, out, err = run(bo, "sync")
    assert code == 1
    assert "committed: 1 card edited" in out
    assert f"boards/x.toml (card {card}: title)" in err and "then run sync again" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(bo, "validate", "x")
    assert code == 1 and "conflict in title (ours: 'Saturday club', theirs: 'Sunday" in err

    code, out, err = run(bo, "sync")  # not decided yet: says what is waiting
    assert code == 1 and "still needs a decision" in err

    assert run(bo, "resolve", "x", "--take", "theirs")[0] == 0
    code, out, err = run(bo, "sync")
    assert code == 0, err
    assert "finished the merge" in out and "pushed to origin/main" in out
    assert run(anna, "sync")[0] == 0
    assert board_of(anna).cards[card].title == "Sunday workshop"
    assert anna.board_path.read_bytes() == bo.board_path.read_bytes()


def test_sync_merges_again_when_someone_pushed_in_between(
    remote: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = clone(remote, tmp_path / "anna", "Anna")
    assert run(anna, "new", "x", "--title", "Families")[0] == 0
    assert run(anna, "sync")[0] == 0
    bo = clone(remote, tmp_path / "bo", "Bo")
    assert run(bo, "sync")[0] == 0
    mine = add(run, anna, "Anna's idea")
    theirs = add(run, bo, "Bo's idea")
    assert run(bo, "sync")[0] == 0  # bo is ahead of what anna will fetch first

    real_pull = git_sync._pull
    calls: list[str] = []

    def pull_without_seeing_bo(root: Path, *args: object) -> None:
        calls.append(str(root))
        if len(calls) == 1:
            return  # as if bo pushed just after this fetch
        real_pull(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(git_sync, "_pull", pull_without_seeing_bo)
    code, out, err = run(anna, "sync")
    assert code == 0, err
    assert len(calls) == 2 and "pushed to origin/main" in out
    assert {mine, theirs} <= set(board_of(anna).cards)


def test_sync_without_a_remote(tmp_path: Path, git_env: Path, run: Run) -> None:
    repo = Repo.init(tmp_path / "alone")
    assert run(repo, "new", "x", "--title", "Families")[0] == 0
    code, _, err = run(repo, "sync")
    assert code == 1
    assert "no remote to sync with" in err and "git remote add origin URL" in err
    assert len(err.strip().splitlines()) == 1


def test_sync_when_the_remote_rejects_the_push(remote: Path, tmp_path: Path, run: Run) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'boards are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    anna = clone(remote, tmp_path / "anna", "Anna")
    assert run(anna, "new", "x", "--title", "Families")[0] == 0
    code, out, err = run(anna, "sync")
    assert code == 1
    assert "committed: new board with 0 cards" in out
    assert "the remote 'origin' refused the push" in err and "nothing is lost" in err
    assert len(err.strip().splitlines()) == 1
    assert last_subject(anna) == "new board with 0 cards"  # kept locally


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("missing.git", r"'[^']*missing\.git' does not appear to be a git repository"),
        # nobody listens on port 1 of loopback: refused at once, no network needed
        ("git://127.0.0.1:1/x", r"unable to connect to 127\.0\.0\.1: .*Connection refused"),
        ("ssh://127.0.0.1:1/x", r"ssh: connect to host 127\.0\.0\.1 port 1: Connection refused"),
    ],
    ids=["no repository", "git daemon refused", "ssh refused"],
)
def test_sync_when_the_remote_cannot_be_reached_says_why_in_one_line(
    tmp_path: Path,
    git_env: Path,
    run: Run,
    url: str,
    reason: str,
) -> None:
    repo = Repo.init(tmp_path / "repo")
    repo.git("remote", "add", "origin", str(tmp_path / url) if url.endswith(".git") else url)
    assert run(repo, "new", "x", "--title", "Families")[0] == 0
    code, _, err = run(repo, "sync")
    assert code == 1
    assert err.count("\n") == 1 and "\r" not in err, err
    assert re.fullmatch(
        rf"cannot reach the remote 'origin': {reason}; your changes are committed here, "
        "sync again when it can be reached\n",
        err,
    ), err
    assert last_subject(repo) == "new board with 0 cards"  # kept locally


def test_sync_refuses_an_invalid_board_and_outside_git(
    remote: Path, tmp_path: Path, run: Run
) -> None:
    anna = clone(remote, tmp_path / "anna", "Anna")
    assert run(anna, "new", "x", "--title", "Families")[0] == 0
    anna.board_path.write_text("schema = 1\n")
    code, _, err = run(anna, "sync")
    assert code == 1 and "missing key 'title'" in err and "nothing was committed" in err
    outside = tmp_path / "plain"
    outside.mkdir()
    code, _, err = run(Repo(outside), "sync")
    assert code == 1 and "not inside a git repository" in err
