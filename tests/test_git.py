"""Boards through real git: the merge driver under `git merge`, git-setup, resolve.

Every repository lives in tmp_path, with its own HOME and global git config, so the
machine's git settings play no part. The driver runs as git runs it: the command that
`git-setup` wrote, in a subprocess.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import T0, make_board
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards, operations

from sprintboard import cli, gitops, ops, storage
from sprintboard.merge import merge
from sprintboard.model import Board, Conflict, Decision, Stage

BIN = Path(sys.executable).parent


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


def apply(board: Board, *steps: ops.Op) -> Board:
    for step in steps:
        board = ops.apply(board, step)
    return board


# --- the scenario table: real `git merge` with the driver -------------------------------

Steps = tuple[ops.Op, ...]
T1 = T0.replace(hour=10)
T2 = T0.replace(hour=11)


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: Steps
    theirs: Steps
    check: Callable[[Board], bool]
    conflicts: tuple[tuple[str, str], ...] = ()


SCENARIOS = [
    Scenario(
        "cards added on both sides",
        (ops.AddCard("Ours", card_id="aaaaaaaa", at=T1),),
        (ops.AddCard("Theirs", card_id="zzzzzzzz", at=T1),),
        lambda m: {"aaaaaaaa", "zzzzzzzz"} <= set(m.cards) and len(m.cards) == 7,
    ),
    Scenario(
        "different cards edited",
        (ops.EditCard("k7q2mz4t", {"title": "Ours"}, at=T1),),
        (ops.EditCard("p4r0t0ty", {"hypothesis": "Theirs"}, at=T1),),
        lambda m: (
            m.cards["k7q2mz4t"].title == "Ours" and m.cards["p4r0t0ty"].hypothesis == "Theirs"
        ),
    ),
    Scenario(
        "different cards moved",
        (ops.MoveCard("k7q2mz4t", Stage.TEST, at=T1),),
        (ops.MoveCard("p4r0t0ty", Stage.LEARNED, at=T1),),
        lambda m: (
            m.cards["k7q2mz4t"].stage is Stage.TEST and m.cards["p4r0t0ty"].stage is Stage.LEARNED
        ),
    ),
    Scenario(
        "different cards archived",
        (ops.ArchiveCard("k7q2mz4t", at=T1),),
        (ops.ArchiveCard("l3arn3d0", at=T1),),
        lambda m: m.cards["k7q2mz4t"].archived and m.cards["l3arn3d0"].archived,
    ),
    Scenario(
        "different cards voted on",
        (ops.Vote("k7q2mz4t", "anna", 2),),
        (ops.Vote("t3st1ng0", "omar", 1),),
        lambda m: (
            m.cards["k7q2mz4t"].votes == {"anna": 2, "omar": 2}
            and m.cards["t3st1ng0"].votes == {"omar": 1}
        ),
    ),
    Scenario(
        "different fields of one card",
        (ops.EditCard("t3st1ng0", {"title": "Pop-up at the gate"}, at=T1),),
        (ops.EditCard("t3st1ng0", {"criterion": "at least 15"}, at=T2),),
        lambda m: (
            m.cards["t3st1ng0"].title == "Pop-up at the gate"
            and m.cards["t3st1ng0"].criterion == "at least 15"
            and m.cards["t3st1ng0"].updated == T2
        ),
    ),
    Scenario(
        "votes of different members on one card",
        (ops.Vote("k7q2mz4t", "anna", 1),),
        (ops.Vote("k7q2mz4t", "nanna", 3),),
        lambda m: m.cards["k7q2mz4t"].votes == {"anna": 1, "nanna": 3, "omar": 2},
    ),
    Scenario(
        "members added on both sides",
        (ops.SetMember("ida", "Ida", "external", "citizen"),),
        (ops.SetMember("lars", "Lars", "internal", "expert"),),
        lambda m: {"ida", "lars"} <= set(m.members),
    ),
    Scenario(
        "one side reorders while the other edits",
        (ops.MoveCard("b3x9p0aa", Stage.IDEA, before="k7q2mz4t", at=T1),),
        (ops.EditCard("b3x9p0aa", {"body": "Ask the museum first"}, at=T1),),
        lambda m: (
            [c for c, _ in m.column(Stage.IDEA)] == ["b3x9p0aa", "k7q2mz4t"]
            and m.cards["b3x9p0aa"].body == "Ask the museum first"
        ),
    ),
    Scenario(
        "one side moves a card while the other edits it",
        (ops.MoveCard("p4r0t0ty", Stage.TEST, actor="anna", at=T1),),
        (ops.EditCard("p4r0t0ty", {"tags": ["sign-up"]}, at=T2),),
        lambda m: (
            m.cards["p4r0t0ty"].stage is Stage.TEST
            and m.cards["p4r0t0ty"].tags == ["sign-up"]
            and len(m.cards["p4r0t0ty"].history) == 1
        ),
    ),
    Scenario(
        "the same change on both sides",
        (ops.EditCard("k7q2mz4t", {"title": "Same"}, at=T1),),
        (ops.EditCard("k7q2mz4t", {"title": "Same"}, at=T1),),
        lambda m: m.cards["k7q2mz4t"].title == "Same",
    ),
    Scenario(
        "tags and co-creators changed on both sides of one card",
        (ops.EditCard("k7q2mz4t", {"tags": ["culture", "kids"], "by": ["nanna"]}, at=T1),),
        (ops.EditCard("k7q2mz4t", {"tags": ["culture", "library"]}, at=T1),),
        lambda m: (
            sorted(m.cards["k7q2mz4t"].tags) == ["culture", "kids", "library"]
            and m.cards["k7q2mz4t"].by == ["nanna"]
        ),
    ),
    Scenario(
        "deleted on one side, voted on the other",
        (ops.DeleteCard("b3x9p0aa"),),
        (ops.Vote("b3x9p0aa", "anna", 1),),
        lambda m: "b3x9p0aa" not in m.cards,
    ),
    Scenario(
        "both reorder one card",
        (ops.MoveCard("k7q2mz4t", Stage.IDEA, after="b3x9p0aa", at=T1),),
        (
            ops.AddCard("x", card_id="00000000", at=T1),
            ops.MoveCard("k7q2mz4t", Stage.IDEA, after="00000000", at=T2),
        ),
        # ours put it at rank "u", theirs at "v": the smaller wins, ties go by id
        lambda m: (
            m.cards["k7q2mz4t"].rank == "u"
            and [c for c, _ in m.column(Stage.IDEA)] == ["b3x9p0aa", "00000000", "k7q2mz4t"]
        ),
    ),
    Scenario(
        "the same field changed to different values",
        (ops.EditCard("k7q2mz4t", {"title": "Sunday art workshop"}, at=T1),),
        (ops.EditCard("k7q2mz4t", {"title": "Saturday art club"}, at=T1),),
        lambda m: (
            m.cards["k7q2mz4t"].conflicts["title"]
            == Conflict(ours="Sunday art workshop", theirs="Saturday art club")
        ),
        (("k7q2mz4t", "title"),),
    ),
    Scenario(
        "archived on one side, edited on the other",
        (ops.EditCard("t3st1ng0", {"metric": "families who came back"}, at=T1),),
        (ops.ArchiveCard("t3st1ng0", at=T1),),
        lambda m: (
            not m.cards["t3st1ng0"].archived
            and m.cards["t3st1ng0"].metric == "families who came back"
            and m.cards["t3st1ng0"].conflicts["archived"] == Conflict(ours=False, theirs=True)
        ),
        (("t3st1ng0", "archived"),),
    ),
    Scenario(
        "deleted on one side, edited on the other",
        (ops.DeleteCard("p4r0t0ty"),),
        (ops.EditCard("p4r0t0ty", {"hypothesis": "One step is enough"}, at=T1),),
        lambda m: (
            m.cards["p4r0t0ty"].hypothesis == "One step is enough"
            and m.cards["p4r0t0ty"].conflicts["deleted"] == Conflict(ours=True, theirs=False)
        ),
        (("p4r0t0ty", "deleted"),),
    ),
    Scenario(
        "the same card moved to two different stages",
        (ops.MoveCard("k7q2mz4t", Stage.PROTOTYPE, at=T1),),
        (ops.MoveCard("k7q2mz4t", Stage.LEARNED, at=T2),),
        lambda m: (
            m.cards["k7q2mz4t"].conflicts["stage"] == Conflict(ours="prototype", theirs="learned")
            and len(m.cards["k7q2mz4t"].history) == 3
        ),
        (("k7q2mz4t", "stage"),),
    ),
    Scenario(
        "decision set differently, with clean changes around it",
        (
            ops.EditCard("l3arn3d0", {"decision": Decision.SCALE}, at=T1),
            ops.AddCard("More", card_id="mmmmmmmm", at=T1),
        ),
        (
            ops.EditCard("l3arn3d0", {"decision": Decision.STOP}, at=T1),
            ops.EditCard("k7q2mz4t", {"body": "Bring snacks"}, at=T1),
        ),
        lambda m: (
            m.cards["l3arn3d0"].conflicts["decision"] == Conflict(ours="scale", theirs="stop")
            and "mmmmmmmm" in m.cards
            and m.cards["k7q2mz4t"].body == "Bring snacks"
        ),
        (("l3arn3d0", "decision"),),
    ),
]


@dataclass(frozen=True)
class Outcome:
    """What `git merge` did in one scenario's repository."""

    repo: Repo
    merged: subprocess.CompletedProcess[str]


def run_scenario(folder: Path, scenario: Scenario) -> Outcome:
    base = make_board()
    repo = Repo.init(folder)
    gitops.setup(repo.path)  # what `sprintboard git-setup` does (it is tested below)
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    theirs = apply(base, *scenario.theirs)
    repo.write(theirs)
    repo.commit("theirs")
    repo.git("switch", "-q", "main")
    ours = apply(base, *scenario.ours)
    repo.write(ours)
    repo.commit("ours")
    return Outcome(repo, repo.git("merge", "--no-edit", "theirs", check=False))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every scenario merged by real git, in parallel: the driver is a process per merge."""
    root = tmp_path_factory.mktemp("scenarios")
    with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(4) as pool:
        isolate_git(root / "home", patch)
        futures = {
            s.name: pool.submit(run_scenario, root / f"s{i}", s) for i, s in enumerate(SCENARIOS)
        }
        yield {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_git_merge_with_the_driver(scenario: Scenario, outcomes: dict[str, Outcome]) -> None:
    repo, merged = outcomes[scenario.name].repo, outcomes[scenario.name].merged
    text = repo.board_path.read_text(encoding="utf-8")
    board = storage.parse(text, repo.board_path)  # never a file that fails to parse
    assert storage.dumps(board) == text  # canonical
    assert scenario.check(board)
    marks = tuple((cid, n) for cid, c in sorted(board.cards.items()) for n in sorted(c.conflicts))
    assert marks == scenario.conflicts
    unmerged = repo.git("ls-files", "-u").stdout
    if scenario.conflicts:
        assert merged.returncode == 1, merged.stdout + merged.stderr
        assert "CONFLICT" in merged.stdout and unmerged
        for cid, name in scenario.conflicts:
            assert f"card {cid}: conflict in {name}" in merged.stderr
        assert cli.main(["validate", str(repo.board_path)]) == 1
    else:
        assert merged.returncode == 0, merged.stdout + merged.stderr
        assert not unmerged and not repo.git("status", "--porcelain", "boards/x.toml").stdout
        assert repo.git("rev-list", "--count", "HEAD").stdout.strip() == "4"  # a merge commit


def test_the_table_covers_enough_cases() -> None:
    assert len(SCENARIOS) >= 15
    assert sum(1 for s in SCENARIOS if s.conflicts) >= 5


# --- git-setup --------------------------------------------------------------------------


def test_git_setup_is_idempotent_and_keeps_other_lines(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo = Repo.init(tmp_path / "repo")
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
    assert gitops.driver_command() == "sprintboard merge-driver %O %A %B %P"
    monkeypatch.setenv("PATH", f"/usr/bin{os.pathsep}/bin")
    command = gitops.driver_command()
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


# --- the driver called directly -----------------------------------------------------------


def driver_files(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[Path, Path, Path]:
    paths = (tmp_path / "base", tmp_path / "ours", tmp_path / "theirs")
    for path, text in zip(paths, (base, ours, theirs), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def test_driver_writes_the_merge_into_ours(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = make_board()
    ours = apply(base, ops.AddCard("o", card_id="aaaaaaaa", at=T1))
    theirs = apply(base, ops.AddCard("t", card_id="zzzzzzzz", at=T1))
    paths = driver_files(tmp_path, *(storage.dumps(b) for b in (base, ours, theirs)))
    assert cli.main(["merge-driver", *map(str, paths), "boards/x.toml"]) == 0
    merged = storage.parse(paths[1].read_text(), paths[1])
    assert {"aaaaaaaa", "zzzzzzzz"} <= set(merged.cards)
    assert capsys.readouterr().err == ""


def test_driver_with_an_empty_base_merges_two_new_boards(tmp_path: Path, git_env: Path) -> None:
    ours = make_board()
    theirs = apply(ours, ops.AddCard("t", card_id="zzzzzzzz", at=T1))
    paths = driver_files(tmp_path, "", storage.dumps(ours), storage.dumps(theirs))
    assert gitops.run_driver(*paths)[0] == 0
    assert "zzzzzzzz" in storage.parse(paths[1].read_text(), paths[1]).cards


def test_driver_refuses_a_version_that_is_not_a_regular_file_at_once(
    tmp_path: Path, git_env: Path
) -> None:
    text = storage.dumps(make_board())
    base, ours, theirs = driver_files(tmp_path, text, text, text)
    theirs.unlink()
    os.mkfifo(theirs)  # git never hands one over; a hostile caller might: never wait on it
    started = time.monotonic()
    code, lines = gitops.run_driver(base, ours, theirs, "boards/x.toml")
    assert time.monotonic() - started < 2
    assert code == 2 and len(lines) == 1, lines
    assert "is a named pipe, not a board file; boards/x.toml was not merged" in lines[0]
    assert ours.read_text() == text


@pytest.mark.parametrize(
    "broken",
    [
        "schema = 1\ntitle = [\n",  # not TOML
        "schema = 2\ntitle = 'From the future'\n",  # a newer schema
    ],
)
def test_driver_merges_what_it_cannot_read_as_text(
    tmp_path: Path, git_env: Path, broken: str
) -> None:
    base = make_board()
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1))
    paths = driver_files(tmp_path, storage.dumps(base), storage.dumps(ours), broken)
    code, lines = gitops.run_driver(*paths, label="boards/x.toml")
    assert code == 1
    assert "merged boards/x.toml as text" in lines[0]
    text = paths[1].read_text()
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    # unchanged on our side: git takes theirs as it is, a clean merge only if it is a board
    paths = driver_files(tmp_path, storage.dumps(base), storage.dumps(base), broken)
    code, lines = gitops.run_driver(*paths, label="boards/x.toml")
    assert paths[1].read_text() == broken
    assert code == (1 if "[" in broken else 0)


# --- resolve ------------------------------------------------------------------------------


def diverge(repo: Repo, base: Board, ours: Board, theirs: Board) -> None:
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    repo.write(theirs)
    repo.commit("theirs")
    repo.git("switch", "-q", "main")
    repo.write(ours)
    repo.commit("ours")


def test_resolve_a_text_merge_then_take_a_side(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = make_board()
    repo = Repo.init(tmp_path / "repo")
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1))
    theirs = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "T"}, at=T1),
        ops.AddCard("New", card_id="k7q2mz4u", at=T1),  # lands right next to k7q2mz4t
    )
    diverge(repo, base, ours, theirs)
    assert repo.git("merge", "--no-edit", "theirs", check=False).returncode == 1
    assert "<<<<<<<" in repo.board_path.read_text()  # no driver: git's text markers
    monkeypatch.chdir(repo.path)
    assert cli.main(["validate", "x"]) == 1
    capsys.readouterr()

    assert cli.main(["resolve", "x"]) == 1  # merged, one card left to decide
    err = capsys.readouterr().err
    assert "card k7q2mz4t: conflict in title (ours: 'O', theirs: 'T')" in err
    assert "1 conflict to decide" in err
    assert cli.main(["show", "x", "k7q2mz4t"]) == 0
    assert "conflict   title: ours: 'O', theirs: 'T'" in capsys.readouterr().out
    board = repo.read()
    assert "k7q2mz4u" in board.cards and board.cards["k7q2mz4t"].conflicts
    assert repo.git("ls-files", "-u").stdout  # still unmerged for git

    assert cli.main(["resolve", "x", "--take", "theirs"]) == 0
    assert "took theirs for card k7q2mz4t: title" in capsys.readouterr().out
    assert repo.read().cards["k7q2mz4t"].title == "T"
    assert cli.main(["validate", "x"]) == 0
    assert cli.main(["resolve", "x", "--take", "ours"]) == 1
    assert "no conflict to decide" in capsys.readouterr().err


def test_resolve_refuses_a_version_over_the_size_limit_unread(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = make_board()
    repo = Repo.init(tmp_path / "repo")
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1))
    theirs = apply(base, ops.EditCard("k7q2mz4t", {"title": "T" * 5000}, at=T1))
    diverge(repo, base, ours, theirs)
    assert repo.git("merge", "--no-edit", "theirs", check=False).returncode == 1
    before = repo.board_path.read_bytes()
    limit = len(storage.dumps(ours)) + 100  # ours and the base fit, theirs does not
    monkeypatch.setattr(storage.files, "MAX_BOARD_BYTES", limit)
    monkeypatch.chdir(repo.path)
    assert cli.main(["resolve", "x"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "boards/x.toml (theirs): is " in err[0], err
    assert "MiB, more than the" in err[0]
    assert repo.board_path.read_bytes() == before


def test_resolve_with_nothing_to_resolve(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo = Repo.init(tmp_path / "repo")
    repo.write(make_board())
    repo.commit("base")
    monkeypatch.chdir(repo.path)
    assert cli.main(["resolve", "x"]) == 0
    assert "nothing to resolve" in capsys.readouterr().out
    repo.board_path.write_text(repo.board_path.read_text() + "<<<<<<< ours\n")
    assert cli.main(["resolve", "x"]) == 1
    err = capsys.readouterr().err
    assert "has conflict markers, but git has no merge of it in progress" in err


def test_resolve_a_board_deleted_on_one_side(
    tmp_path: Path,
    git_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = make_board()
    repo = Repo.init(tmp_path / "repo")
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    repo.git("rm", "-q", "boards/x.toml")
    repo.git("commit", "-q", "-m", "gone")
    repo.git("switch", "-q", "main")
    repo.write(apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1)))
    repo.commit("ours")
    assert repo.git("merge", "--no-edit", "theirs", check=False).returncode == 1
    monkeypatch.chdir(repo.path)
    assert cli.main(["resolve", "x"]) == 1
    err = capsys.readouterr().err
    assert "deleted on one side (theirs)" in err and "git rm boards/x.toml" in err


# --- plain git without the driver: how often it conflicts, and resolve fixes each --------


def random_board(rnd: random.Random, cards: int) -> Board:
    board = make_board()
    for _ in range(cards):
        stage = rnd.choice(list(Stage))
        board = ops.apply(
            board,
            ops.AddCard(
                f"Card {rnd.randrange(10**6)}",
                stage=stage,
                tags=tuple(rnd.sample(["culture", "kids", "music", "bus"], rnd.randint(0, 2))),
                body="\n".join("line" for _ in range(rnd.randint(0, 3))),
                card_id="".join(
                    rnd.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(8)
                ),
                actor="nanna",
                at=T0,
            ),
        )
    return board


def add_cards(rnd: random.Random, board: Board, count: int) -> Board:
    for _ in range(count):
        stage = rnd.choice(list(Stage))
        column = [cid for cid, _ in board.column(stage)]
        after = rnd.choice(column) if column and rnd.random() < 0.5 else None
        board = ops.apply(
            board,
            ops.AddCard(
                f"Added {rnd.randrange(10**6)}",
                stage=stage,
                card_id="".join(
                    rnd.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(8)
                ),
                actor="anna",
                at=T1,
                after=after,
            ),
        )
    return board


TRIALS = 200


def import_trials(repo: Repo, trials: list[tuple[Board, Board, Board]]) -> None:
    """Commit every trial's base, ours and theirs in one `git fast-import` (fast to set up)."""
    stream = bytearray()
    mark = 0
    for i, versions in enumerate(trials):
        parent = 0
        for name, board in zip(("b", "o", "t"), versions, strict=True):
            data = storage.dumps(board).encode()
            stream += b"blob\nmark :%d\ndata %d\n%s\n" % (mark + 1, len(data), data)
            header = f"commit refs/heads/{name}{i}\nmark :{mark + 2}\n"
            header += f"committer Tester <tester@example.org> {1_800_000_000 + i} +0000\n"
            header += f"data {len(name)}\n{name}\n"
            if parent:
                header += f"from :{parent}\n"
            header += f"M 100644 :{mark + 1} boards/x.toml\n\n"
            stream += header.encode()
            if name == "b":
                parent = mark + 2
            mark += 2
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo.path, input=bytes(stream), check=True
    )


def merge_trials(repo: Repo, trials: list[tuple[Board, Board, Board]], first: int) -> int:
    """Merge each trial's two branches with plain git; resolve the ones that conflict."""
    import_trials(repo, trials)
    conflicted = 0
    for i, (_base, ours, theirs) in enumerate(trials):
        repo.git("checkout", "-q", "-f", "--detach", f"o{i}")
        merged = repo.git("merge", "-q", "--no-edit", f"t{i}", check=False)
        if merged.returncode != 0:
            assert "CONFLICT" in merged.stdout, merged.stdout + merged.stderr
            conflicted += 1
            resolved = gitops.resolve(repo.board_path)
            assert resolved.result is not None and resolved.result.clean
            assert not repo.git("ls-files", "-u").stdout  # resolve staged it
            repo.git("commit", "-q", "--no-edit")
        assert repo.read().cards == {**ours.cards, **theirs.cards}, f"trial {first + i}"
    return conflicted


def test_plain_git_merge_of_added_cards_conflict_rate_and_resolve(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rnd = random.Random(20261127)
    trials = []
    for _ in range(TRIALS):
        base = random_board(rnd, rnd.randint(3, 30))
        trials.append(
            (base, add_cards(rnd, base, rnd.randint(1, 3)), add_cards(rnd, base, rnd.randint(1, 3)))
        )
    half = TRIALS // 2
    repos = [Repo.init(tmp_path / "a"), Repo.init(tmp_path / "b")]  # no git-setup: text merges
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(merge_trials, repos, [trials[:half], trials[half:]], [0, half]))
    conflicted = sum(counts)
    with capsys.disabled():
        print(
            f"\nplain git merge (no driver) of two branches adding 1-3 cards each to a board "
            f"of 8-35 cards: {conflicted}/{TRIALS} merges conflicted "
            f"({100 * conflicted / TRIALS:.0f}%); resolve fixed all {conflicted}"
        )
    assert 0 < conflicted < TRIALS


# --- the driver reads what git hands it exactly, whatever the text holds -----------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_driver_result_is_the_pure_merge(data: st.DataObject) -> None:
    """Through files (parsed card by card, texts remembered) the driver gives `merge`'s board."""
    base = data.draw(boards(max_cards=4))
    sides = []
    for _ in range(2):
        side = base
        for _ in range(data.draw(st.integers(0, 3))):
            side = ops.apply(side, data.draw(operations(side)))
        sides.append(side)
    with tempfile.TemporaryDirectory() as tmp:
        paths = driver_files(Path(tmp), *(storage.dumps(b) for b in (base, *sides)))
        code, _ = gitops.run_driver(*paths)
        expected = merge(base, sides[0], sides[1])
        assert code == (0 if expected.clean else 1)
        assert paths[1].read_text(encoding="utf-8") == storage.dumps(expected.board)


@pytest.mark.parametrize(
    "body",
    [
        "one\n[cards.zzzzzzzz]\ntitle = 'fake'",  # a header of no card, inside a string
        "one\n[cards.b3x9p0aa]\ntitle = 'fake'",  # the header of another card
        "[cards.k7q2mz4t]\n[cards.k7q2mz4t.votes]",  # its own headers
    ],
)
def test_driver_is_not_fooled_by_headers_in_text(tmp_path: Path, body: str) -> None:
    base = make_board()
    ours = apply(base, ops.EditCard("k7q2mz4t", {"body": body}, at=T1))
    theirs = apply(base, ops.EditCard("b3x9p0aa", {"body": body}, at=T1))
    paths = driver_files(tmp_path, *(storage.dumps(b) for b in (base, ours, theirs)))
    assert gitops.run_driver(*paths)[0] == 0
    merged = storage.parse(paths[1].read_text(), paths[1])
    assert merged.cards["k7q2mz4t"].body == body == merged.cards["b3x9p0aa"].body
    assert set(merged.cards) == set(base.cards)
