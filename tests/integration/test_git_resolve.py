"""`resolve`: a board git merged as text (no driver) merged again from git's index stages.

Also how often plain git, without the driver, conflicts on boards where cards were only
added — and that `resolve` fixes every one of those merges.
"""

from __future__ import annotations

import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import T0, make_board

from sprintboard import cli, ops, storage
from sprintboard.git.resolve import resolve
from sprintboard.model import Board, Stage

from .git_repo import T1, Repo, apply


def diverge(repo: Repo, base: Board, ours: Board, theirs: Board) -> None:
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    repo.write(theirs)
    repo.commit("theirs")
    repo.git("switch", "-q", "main")
    repo.write(ours)
    repo.commit("ours")


def merge_as_text(repo: Repo, *theirs: ops.Op) -> Board:
    """Ours retitles card k7q2mz4t "O", theirs does `theirs`; plain git (no driver) merges
    the two as text and stops on a conflict. Ours is returned."""
    base = make_board()
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1))
    diverge(repo, base, ours, apply(base, *theirs))
    assert repo.git("merge", "--no-edit", "theirs", check=False).returncode == 1
    return ours


def test_resolve_a_text_merge_then_take_a_side(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    merge_as_text(
        repo,
        ops.EditCard("k7q2mz4t", {"title": "T"}, at=T1),
        ops.AddCard("New", card_id="k7q2mz4u", at=T1),  # lands right next to k7q2mz4t
    )
    assert "<<<<<<<" in repo.board_path.read_text()  # no driver: git's text markers
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
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = merge_as_text(repo, ops.EditCard("k7q2mz4t", {"title": "T" * 5000}, at=T1))
    before = repo.board_path.read_bytes()
    limit = len(storage.dumps(ours)) + 100  # ours and the base fit, theirs does not
    monkeypatch.setattr(storage.files, "MAX_BOARD_BYTES", limit)
    assert cli.main(["resolve", "x"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "boards/x.toml (theirs): is " in err[0], err
    assert "MiB, more than the" in err[0]
    assert repo.board_path.read_bytes() == before


def test_resolve_with_nothing_to_resolve(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(make_board())
    repo.commit("base")
    assert cli.main(["resolve", "x"]) == 0
    assert "nothing to resolve" in capsys.readouterr().out
    repo.board_path.write_text(repo.board_path.read_text() + "<<<<<<< ours\n")
    assert cli.main(["resolve", "x"]) == 1
    err = capsys.readouterr().err
    assert "has conflict markers, but git has no merge of it in progress" in err


def test_resolve_a_board_deleted_on_one_side(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    base = make_board()
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    repo.git("rm", "-q", "boards/x.toml")
    repo.git("commit", "-q", "-m", "gone")
    repo.git("switch", "-q", "main")
    repo.write(apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1)))
    repo.commit("ours")
    assert repo.git("merge", "--no-edit", "theirs", check=False).returncode == 1
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
            resolved = resolve(repo.board_path)
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
