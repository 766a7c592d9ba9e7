"""The merge driver: under real `git merge` (a table of scenarios), and called directly.

The driver runs as git runs it: the command that `git-setup` wrote, in a subprocess.
Called directly, it must give exactly the pure merge's board, whatever the text holds.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_board
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards, operations

from sprintboard import cli, ops, storage
from sprintboard.git.driver import _carried, run_driver
from sprintboard.git.setup import setup
from sprintboard.layout import cut
from sprintboard.merge import merge
from sprintboard.model import Board, Conflict, Decision, Stage

from .git_repo import T1, T2, Repo, apply, isolate_git

# --- the scenario table: real `git merge` with the driver -------------------------------

Steps = tuple[ops.Op, ...]


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
    setup(repo.path)  # what `sprintboard git-setup` does (it is tested below)
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
    assert run_driver(*paths)[0] == 0
    assert "zzzzzzzz" in storage.parse(paths[1].read_text(), paths[1]).cards


def test_driver_refuses_a_version_that_is_not_a_regular_file_at_once(
    tmp_path: Path, git_env: Path
) -> None:
    text = storage.dumps(make_board())
    base, ours, theirs = driver_files(tmp_path, text, text, text)
    theirs.unlink()
    os.mkfifo(theirs)  # git never hands one over; a hostile caller might: never wait on it
    started = time.monotonic()
    code, lines = run_driver(base, ours, theirs, "boards/x.toml")
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
    code, lines = run_driver(*paths, label="boards/x.toml")
    assert code == 1
    assert "merged boards/x.toml as text" in lines[0]
    text = paths[1].read_text()
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    # unchanged on our side: git takes theirs as it is, a clean merge only if it is a board
    paths = driver_files(tmp_path, storage.dumps(base), storage.dumps(base), broken)
    code, lines = run_driver(*paths, label="boards/x.toml")
    assert paths[1].read_text() == broken
    assert code == (1 if "[" in broken else 0)


# --- the driver reads what git hands it exactly, whatever the text holds -----------------


def two_sides(data: st.DataObject, base: Board) -> list[Board]:
    """Two descendants of `base`, each a few random operations on."""
    sides = []
    for _ in range(2):
        side = base
        for _ in range(data.draw(st.integers(0, 3))):
            side = ops.apply(side, data.draw(operations(side)))
        sides.append(side)
    return sides


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_driver_result_is_the_pure_merge(data: st.DataObject) -> None:
    """Through files (parsed card by card, texts remembered) the driver gives `merge`'s board."""
    base = data.draw(boards(max_cards=4))
    sides = two_sides(data, base)
    with tempfile.TemporaryDirectory() as tmp:
        paths = driver_files(Path(tmp), *(storage.dumps(b) for b in (base, *sides)))
        code, _ = run_driver(*paths)
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
    assert run_driver(*paths)[0] == 0
    merged = storage.parse(paths[1].read_text(), paths[1])
    assert merged.cards["k7q2mz4t"].body == body == merged.cards["b3x9p0aa"].body
    assert set(merged.cards) == set(base.cards)


# --- cards no side changed are carried as text -----------------------------------------


def carried_or_whole(base: Board, ours: Board, theirs: Board) -> tuple[int, str, bool]:
    """The driver's status and text for three canonical versions, and whether it carried
    the cards no side changed (compared with `_carried`, which it uses)."""
    texts = [storage.dumps(b) for b in (base, ours, theirs)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = driver_files(Path(tmp), *texts)
        code, _lines = run_driver(*paths, label="boards/x.toml")
        return code, paths[1].read_text(encoding="utf-8"), _carried(texts, "x") is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_carrying_unchanged_cards_gives_the_whole_merge(data: st.DataObject) -> None:
    """Carried or not, the driver writes the pure merge's canonical board and status."""
    base = data.draw(boards(min_cards=2, max_cards=6))
    sides = two_sides(data, base)
    code, text, was_carried = carried_or_whole(base, *sides)
    expected = merge(base, sides[0], sides[1])
    assert text == storage.dumps(expected.board)
    assert code == (0 if expected.clean else 1)
    # the shortcut is taken whenever a card without marks is unchanged, unless a text is
    # not laid out as the writer lays it out (a "[" line or ''' in a text field) or a
    # side removed a member
    unchanged = [c for c in base.cards if all(s.cards.get(c) == base.cards[c] for s in sides)]
    texts = [storage.dumps(b) for b in (base, *sides, expected.board)]
    kept = all(set(base.members) <= set(side.members) for side in sides)
    if any(not base.cards[c].conflicts for c in unchanged) and all(map(cut, texts)) and kept:
        assert was_carried


def test_a_card_no_side_changed_is_carried_byte_for_byte(tmp_path: Path) -> None:
    # the cards no side changed are neither read nor written again: a table formatted by
    # hand in all three versions stays as it is, as git keeps lines no side changed
    base = make_board()
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "Ours"}, at=T1))
    theirs = apply(base, ops.EditCard("p4r0t0ty", {"title": "Theirs"}, at=T1))
    canonical = 'title = "Museum tickets on the library card"\n'
    by_hand = "title = 'Museum tickets on the library card'\n"  # a literal string: same value
    texts = [storage.dumps(b) for b in (base, ours, theirs)]
    assert all(t.count(canonical) == 1 for t in texts)
    texts = [t.replace(canonical, by_hand) for t in texts]
    paths = driver_files(tmp_path, *texts)
    assert run_driver(*paths, label="boards/x.toml") == (0, [])
    merged = paths[1].read_text(encoding="utf-8")
    expected = merge(base, ours, theirs).board
    assert merged == storage.dumps(expected).replace(canonical, by_hand)


def test_a_member_removed_on_one_side_is_merged_from_the_whole_versions(tmp_path: Path) -> None:
    # ours removes zoe; theirs has her vote on a card: she stays, as a whole merge keeps
    # her (the carried cards are not read, so a removed member makes the driver read all)
    base = apply(make_board(), ops.SetMember("zoe", "Zoe P.", "external", None))
    ours = apply(base, ops.RemoveMember("zoe"))
    theirs = apply(base, ops.Vote("b3x9p0aa", "zoe", 1))
    texts = [storage.dumps(b) for b in (base, ours, theirs)]
    assert _carried(texts, "x") is None
    expected = merge(base, ours, theirs)
    assert "zoe" in expected.board.members and expected.notes
    paths = driver_files(tmp_path, *texts)
    code, lines = run_driver(*paths, label="boards/x.toml")
    assert (code, paths[1].read_text(encoding="utf-8")) == (0, storage.dumps(expected.board))
    assert lines == [f"boards/x.toml: {note}" for note in expected.notes]


def test_an_undecided_conflict_on_a_card_no_side_changed_is_still_reported(
    tmp_path: Path,
) -> None:
    # a card carrying a mark from an earlier merge is read, so the driver says so, exit 1
    marked = make_board()
    card = marked.cards["k7q2mz4t"]
    marks = {"title": Conflict(ours="Saturday art club", theirs=card.title)}
    cards = {**marked.cards, "k7q2mz4t": card.model_copy(update={"conflicts": marks})}
    base = marked.model_copy(update={"cards": cards})
    ours = apply(base, ops.EditCard("p4r0t0ty", {"title": "Ours"}, at=T1))
    theirs = apply(base, ops.EditCard("l3arn3d0", {"title": "Theirs"}, at=T1))
    code, text, was_carried = carried_or_whole(base, ours, theirs)
    assert was_carried
    expected = merge(base, ours, theirs)
    assert (code, text) == (1, storage.dumps(expected.board))
    assert expected.conflicts == (("k7q2mz4t", "title"),)
