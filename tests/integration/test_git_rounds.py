"""Dot-vote rounds through real `git merge` with the merge driver (as `git-setup` wires it).

Two people vote on two branches in the same round; or one closes it while the other
votes. The merged file is read back: canonical, the round and every dot in it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import make_board

from sprintboard import ops, rounds, storage
from sprintboard.git.setup import setup
from sprintboard.model import Board

from .git_repo import T1, T2, Repo, apply


def branches(repo: Repo, base: Board, ours: tuple[ops.Op, ...], theirs: tuple[ops.Op, ...]) -> str:
    """Commit `base`, `theirs` on a branch, `ours` on main, and merge; git's output."""
    setup(repo.path)
    repo.write(base)
    repo.commit("base")
    repo.git("switch", "-q", "-c", "theirs")
    repo.write(apply(base, *theirs))
    repo.commit("theirs")
    repo.git("switch", "-q", "main")
    repo.write(apply(base, *ours))
    repo.commit("ours")
    merged = repo.git("merge", "--no-edit", "theirs", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert not repo.git("ls-files", "-u").stdout  # nothing left unmerged
    return merged.stdout + merged.stderr


def read_back(repo: Repo) -> Board:
    text = repo.board_path.read_text(encoding="utf-8")
    board = storage.parse(text, repo.board_path)
    assert storage.dumps(board) == text  # the driver wrote the canonical file
    return board


def opened() -> Board:
    start = ops.StartRound(round_id="r4k2m9qa", dots=3, actor="nanna", at=T1)
    return apply(make_board(), start)


def test_two_branches_voting_in_the_same_round_merge_cleanly(repo: Repo, tmp_path: Path) -> None:
    base = opened()
    output = branches(
        repo,
        base,
        (ops.Vote("k7q2mz4t", "anna", 2, at=T1), ops.Vote("b3x9p0aa", "anna", 1, at=T1)),
        (ops.Vote("k7q2mz4t", "omar", 1, at=T1), ops.Vote("b3x9p0aa", "nanna", 3, at=T1)),
    )
    assert "CONFLICT" not in output
    merged = read_back(repo)
    assert merged.rounds == base.rounds and rounds.open_round(merged) is not None
    assert merged.cards["k7q2mz4t"].votes == {"anna": 2, "omar": 1}
    assert merged.cards["b3x9p0aa"].votes == {"anna": 1, "nanna": 3}
    assert rounds.not_voted(merged) == [] and rounds.room_dots_left(merged) == 2
    assert repo.git("rev-list", "--count", "HEAD").stdout.strip() == "4"  # a merge commit


def test_one_branch_closes_the_round_while_the_other_votes(repo: Repo) -> None:
    base = apply(opened(), ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    output = branches(
        repo,
        base,
        (ops.Vote("b3x9p0aa", "omar", 3, at=T1),),
        (ops.CloseRound(actor="nanna", at=T2),),
    )
    merged = read_back(repo)
    closed = merged.rounds["r4k2m9qa"]
    assert closed.closed == T2 and closed.result == {"k7q2mz4t": 1}
    assert rounds.open_round(merged) is None
    assert merged.cards["b3x9p0aa"].votes == {"omar": 3}  # the other branch's dots are kept
    assert "closed on one side while the other side voted" in output  # and the driver says so
