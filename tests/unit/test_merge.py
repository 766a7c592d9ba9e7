"""The three-way merge of boards (pure), the conflict marks of schema 1, and minimal diffs.

Git itself is in tests/integration/test_git_*.py; here the rules, checked one by one and
then as properties over random operation sequences on two branches from one base.
"""

from __future__ import annotations

import difflib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import T0, make_board
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import boards, most_dots, operations

from sprintboard import cli, ops, storage
from sprintboard.git.summary import summarize
from sprintboard.merge import EDITED, MergeResult, merge, merge_list
from sprintboard.model import (
    CONFLICT_FIELDS,
    TEXT_FIELDS,
    Board,
    Card,
    Conflict,
    Decision,
    Stage,
)

T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)
PATH = Path("boards/x.toml")


def apply(board: Board, *steps: ops.Op) -> Board:
    for step in steps:
        board = ops.apply(board, step)
    return board


def strip(board: Board) -> Board:
    """The board without conflict marks: what must not depend on which side is ours."""
    cards = {cid: c.model_copy(update={"conflicts": {}}) for cid, c in board.cards.items()}
    return board.model_copy(update={"cards": cards})


def both_ways(base: Board | None, ours: Board, theirs: Board) -> MergeResult:
    """Merge, and check what holds for every merge: valid, canonical, symmetric."""
    result = merge(base, ours, theirs)
    text = storage.dumps(result.board)
    again = storage.parse(text, PATH)
    assert again == result.board
    assert storage.dumps(again) == text
    swapped = merge(base, theirs, ours)
    assert strip(swapped.board) == strip(result.board)
    assert swapped.conflicts == result.conflicts
    for cid, name in result.conflicts:
        mark = result.board.cards[cid].conflicts[name]
        assert swapped.board.cards[cid].conflicts[name] == Conflict(
            ours=mark.theirs, theirs=mark.ours
        )
    assert result.clean == (not result.conflicts)
    return result


@pytest.fixture
def base(board: Board) -> Board:
    """The merge base: conftest's small valid board."""
    return board


# --- clean merges --------------------------------------------------------------------


def test_cards_added_on_both_sides(base: Board) -> None:
    ours = apply(base, ops.AddCard("ours", card_id="aaaaaaaa", at=T1))
    theirs = apply(base, ops.AddCard("theirs", card_id="zzzzzzzz", at=T1))
    result = both_ways(base, ours, theirs)
    assert result.clean and not result.notes
    assert result.board.cards["aaaaaaaa"] == ours.cards["aaaaaaaa"]
    assert result.board.cards["zzzzzzzz"] == theirs.cards["zzzzzzzz"]
    assert set(result.board.cards) == set(base.cards) | {"aaaaaaaa", "zzzzzzzz"}


def test_different_cards_edited_moved_archived_voted(base: Board) -> None:
    ours = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "New title"}, at=T1),
        ops.MoveCard("p4r0t0ty", Stage.TEST, at=T1),
        ops.Vote("t3st1ng0", "anna", 3),
    )
    theirs = apply(
        base,
        ops.EditCard("b3x9p0aa", {"body": "More"}, at=T1),
        ops.ArchiveCard("l3arn3d0", at=T1),
        ops.Vote("k7q2mz4t", "anna", 1),
    )
    result = both_ways(base, ours, theirs)
    assert result.clean
    cards = result.board.cards
    assert cards["k7q2mz4t"].title == "New title"
    assert cards["k7q2mz4t"].votes == {"anna": 1, "omar": 2}
    assert cards["p4r0t0ty"] == ours.cards["p4r0t0ty"]
    assert cards["t3st1ng0"].votes == {"anna": 3}
    assert cards["b3x9p0aa"] == theirs.cards["b3x9p0aa"]
    assert cards["l3arn3d0"].archived


def test_different_fields_of_one_card(base: Board) -> None:
    ours = apply(base, ops.EditCard("p4r0t0ty", {"title": "Sign-up in one step"}, at=T1))
    theirs = apply(base, ops.EditCard("p4r0t0ty", {"metric": "sign-ups", "by": []}, at=T2))
    card = both_ways(base, ours, theirs).board.cards["p4r0t0ty"]
    assert (card.title, card.metric, card.by) == ("Sign-up in one step", "sign-ups", [])
    assert card.updated == T2


def test_votes_of_different_members_and_same_member(base: Board) -> None:
    ours = apply(base, ops.Vote("k7q2mz4t", "anna", 2), ops.Vote("k7q2mz4t", "omar", 0))
    theirs = apply(base, ops.Vote("k7q2mz4t", "nanna", 1))
    assert both_ways(base, ours, theirs).board.cards["k7q2mz4t"].votes == {"anna": 2, "nanna": 1}
    # one member's dots changed differently on both sides: the larger count
    ours = apply(base, ops.Vote("k7q2mz4t", "omar", 5))
    theirs = apply(base, ops.Vote("k7q2mz4t", "omar", 3))
    result = both_ways(base, ours, theirs)
    assert result.clean and result.board.cards["k7q2mz4t"].votes == {"omar": 5}


def test_members_added_on_both_sides(base: Board) -> None:
    ours = apply(base, ops.SetMember("ida", "Ida", "external", "citizen"))
    theirs = apply(base, ops.SetMember("lars", "Lars", "internal"))
    result = both_ways(base, ours, theirs)
    assert result.clean
    assert list(result.board.members) == ["anna", "ida", "lars", "nanna", "omar"]


def test_reorder_on_one_side_edit_on_the_other(base: Board) -> None:
    ours = apply(base, ops.MoveCard("b3x9p0aa", Stage.IDEA, before="k7q2mz4t", at=T1))
    theirs = apply(base, ops.EditCard("b3x9p0aa", {"tags": ["museum"]}, at=T2))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["b3x9p0aa"]
    assert result.clean
    assert card.rank == ours.cards["b3x9p0aa"].rank and card.tags == ["museum"]
    assert [cid for cid, _ in result.board.column(Stage.IDEA)] == ["b3x9p0aa", "k7q2mz4t"]


def test_rank_goes_with_the_stage(base: Board) -> None:
    # ours reorders within idea, theirs moves the card to test: the move wins, with its rank
    ours = apply(base, ops.MoveCard("b3x9p0aa", Stage.IDEA, before="k7q2mz4t", at=T1))
    theirs = apply(base, ops.MoveCard("b3x9p0aa", Stage.TEST, at=T1))
    card = both_ways(base, ours, theirs).board.cards["b3x9p0aa"]
    assert (card.stage, card.rank) == (Stage.TEST, theirs.cards["b3x9p0aa"].rank)


def test_both_reorder_one_card_picks_the_smaller_rank(base: Board) -> None:
    ours = apply(base, ops.MoveCard("t3st1ng0", Stage.TEST, at=T1))  # alone: new end rank
    theirs = apply(base, ops.AddCard("x", stage=Stage.TEST, card_id="00000000", at=T1))
    theirs = apply(theirs, ops.MoveCard("t3st1ng0", Stage.TEST, before="00000000", at=T2))
    o_rank, t_rank = ours.cards["t3st1ng0"].rank, theirs.cards["t3st1ng0"].rank
    assert o_rank != t_rank
    result = both_ways(base, ours, theirs)
    assert result.clean and result.board.cards["t3st1ng0"].rank == min(o_rank, t_rank)


def test_lists_merge_as_sets_whatever_the_side(base: Board) -> None:
    ours = apply(base, ops.EditCard("k7q2mz4t", {"tags": ["culture", "kids"], "by": ["anna"]}))
    theirs = apply(base, ops.EditCard("k7q2mz4t", {"tags": ["library"], "by": ["nanna", "omar"]}))
    card = both_ways(base, ours, theirs).board.cards["k7q2mz4t"]
    assert sorted(card.tags) == ["kids", "library"]  # culture removed by theirs
    assert sorted(card.by) == ["omar"]  # nanna removed by ours, anna by theirs


def test_merge_list_keeps_one_sides_order_when_only_it_changed() -> None:
    assert merge_list(["a", "b"], ["b", "a"], ["a", "b"]) == ["b", "a"]
    assert merge_list(["a"], ["a", "c"], ["a", "b"]) == merge_list(["a"], ["a", "b"], ["a", "c"])
    assert merge_list([], ["x"], ["x"]) == ["x"]


def test_history_is_the_union_by_time(base: Board) -> None:
    ours = apply(base, ops.MoveCard("k7q2mz4t", Stage.PROTOTYPE, actor="anna", at=T2))
    theirs = apply(
        base,
        ops.MoveCard("k7q2mz4t", Stage.PROTOTYPE, actor="omar", at=T1),
    )
    card = both_ways(base, ours, theirs).board.cards["k7q2mz4t"]
    assert [(h.by, h.at) for h in card.history] == [("nanna", T0), ("omar", T1), ("anna", T2)]
    assert card.updated == T2 and card.stage is Stage.PROTOTYPE


def test_deleted_on_one_side_voted_or_untouched_on_the_other(base: Board) -> None:
    ours = apply(base, ops.DeleteCard("k7q2mz4t"), ops.DeleteCard("b3x9p0aa"))
    theirs = apply(base, ops.Vote("k7q2mz4t", "anna", 1))
    result = both_ways(base, ours, theirs)
    assert result.clean and "k7q2mz4t" not in result.board.cards
    assert "b3x9p0aa" not in result.board.cards


def test_same_change_on_both_sides_is_taken_once(base: Board) -> None:
    edit = ops.EditCard("k7q2mz4t", {"title": "Same"}, at=T1)
    result = both_ways(base, apply(base, edit), apply(base, edit))
    assert result.clean and result.board == apply(base, edit)


def test_card_added_on_both_sides_with_one_id(base: Board) -> None:
    ours = apply(base, ops.AddCard("one", card_id="00000000", tags=("a",), at=T1))
    theirs = apply(base, ops.AddCard("two", card_id="00000000", tags=("b",), at=T2))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["00000000"]
    assert result.conflicts == (("00000000", "title"),)
    assert card.created == T1 and card.updated == T2 and card.tags == ["a", "b"]


def test_member_removed_on_one_side_but_named_on_the_other(base: Board) -> None:
    board = apply(base, ops.SetMember("ida", "Ida", "external"))
    ours = apply(board, ops.RemoveMember("ida"))
    theirs = apply(board, ops.Vote("k7q2mz4t", "ida", 1))
    result = both_ways(board, ours, theirs)
    assert "ida" in result.board.members and result.board.cards["k7q2mz4t"].votes["ida"] == 1
    assert any("ida" in note for note in result.notes)


def test_board_fields_changed_on_both_sides_keep_one_and_say_so(base: Board) -> None:
    ours = apply(base, ops.EditBoard({"title": "B title", "wip": {Stage.TEST: 3}}))
    theirs = apply(base, ops.EditBoard({"title": "A title", "wip": {Stage.TEST: 5}}))
    result = both_ways(base, ours, theirs)
    assert result.board.title == "A title" and result.board.wip == {Stage.TEST: 3}
    assert len(result.notes) == 2 and result.clean


def test_sprint_dates_that_would_cross_keep_one_sides_pair(base: Board) -> None:
    start, end = base.sprint.start, base.sprint.end
    assert start is not None and end is not None
    ours = apply(base, ops.EditBoard({"start": end - timedelta(days=1)}))
    theirs = apply(base, ops.EditBoard({"end": start + timedelta(days=1)}))
    result = both_ways(base, ours, theirs)
    sprint = result.board.sprint
    assert sprint.start is not None and sprint.end is not None and sprint.start <= sprint.end
    assert result.notes


def test_no_base_merges_two_unrelated_boards(base: Board) -> None:
    other = apply(base, ops.EditCard("k7q2mz4t", {"body": "x"}, at=T1))
    result = both_ways(None, base, other)
    assert result.conflicts == (("k7q2mz4t", "body"),)


# --- conflicts ------------------------------------------------------------------------


def test_same_field_changed_differently_is_a_conflict(base: Board) -> None:
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "Sunday workshop"}, at=T1))
    theirs = apply(base, ops.EditCard("k7q2mz4t", {"title": "Saturday workshop"}, at=T2))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["k7q2mz4t"]
    assert result.conflicts == (("k7q2mz4t", "title"),)
    assert card.conflicts == {"title": Conflict(ours="Sunday workshop", theirs="Saturday workshop")}
    assert card.title == "Saturday workshop"  # the one that sorts first, either way round


def test_decision_cleared_on_one_side_set_on_the_other(base: Board) -> None:
    ours = apply(base, ops.EditCard("l3arn3d0", {"decision": None}, at=T1))
    theirs = apply(base, ops.EditCard("l3arn3d0", {"decision": Decision.SCALE}, at=T1))
    result = both_ways(base, ours, theirs)
    assert result.board.cards["l3arn3d0"].conflicts == {
        "decision": Conflict(ours=None, theirs="scale")
    }
    text = storage.dumps(result.board)
    assert '[cards.l3arn3d0.conflicts.decision]\ntheirs = "scale"\n' in text


def test_moved_to_two_stages_is_a_conflict(base: Board) -> None:
    ours = apply(base, ops.MoveCard("p4r0t0ty", Stage.IDEA, at=T1))
    theirs = apply(base, ops.MoveCard("p4r0t0ty", Stage.TEST, at=T1))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["p4r0t0ty"]
    assert card.conflicts == {"stage": Conflict(ours="idea", theirs="test")}
    assert card.stage is Stage.TEST and card.rank == theirs.cards["p4r0t0ty"].rank


def test_archived_on_one_side_edited_on_the_other(base: Board) -> None:
    ours = apply(base, ops.ArchiveCard("t3st1ng0", at=T1))
    theirs = apply(base, ops.EditCard("t3st1ng0", {"criterion": "at least 12"}, at=T2))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["t3st1ng0"]
    assert card.conflicts == {"archived": Conflict(ours=True, theirs=False)}
    assert not card.archived and card.criterion == "at least 12"
    # only voting on an archived card is no conflict
    theirs = apply(base, ops.Vote("t3st1ng0", "anna", 1))
    result = both_ways(base, ours, theirs)
    assert result.clean and result.board.cards["t3st1ng0"].archived


def test_deleted_on_one_side_edited_on_the_other(base: Board) -> None:
    ours = apply(base, ops.EditCard("b3x9p0aa", {"body": "Ask the museum"}, at=T1))
    theirs = apply(base, ops.DeleteCard("b3x9p0aa"))
    result = both_ways(base, ours, theirs)
    card = result.board.cards["b3x9p0aa"]
    assert card.body == "Ask the museum"
    assert card.conflicts == {"deleted": Conflict(ours=False, theirs=True)}
    text = storage.dumps(result.board)
    assert "[cards.b3x9p0aa.conflicts.deleted]\nours = false\ntheirs = true\n" in text


def test_conflicted_board_round_trips_and_validate_reports_it(
    base: Board, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "O", "body": 'a\n"""b'}, at=T1),
        ops.DeleteCard("b3x9p0aa"),
    )
    theirs = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "T", "body": "c"}, at=T1),
        ops.EditCard("b3x9p0aa", {"tags": ["x"]}, at=T1),
    )
    board = both_ways(base, ours, theirs).board
    path = tmp_path / "b.toml"
    storage.save(path, board)
    text = path.read_text()
    assert storage.dumps(storage.load(path).board) == text
    assert cli.main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    lines = text.split("\n")
    assert len(err) == 3
    for line in err:
        where, _, message = line.partition(": card ")
        number = int(where.split(":")[-2])
        assert lines[number - 1].startswith(f"[cards.{message[:8]}.conflicts.")
    assert "card b3x9p0aa: conflict in deleted (ours deleted the card, theirs edited it)" in err[0]
    assert err[1].endswith("card k7q2mz4t: conflict in body (ours: 'a\\n\"\"\"b', theirs: 'c')")
    assert err[2].endswith("card k7q2mz4t: conflict in title (ours: 'O', theirs: 'T')")


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("[cards.k7q2mz4t.conflicts.rank]\nours = 'a'\ntheirs = 'b'\n", "'rank' is not a field"),
        ("[cards.k7q2mz4t.conflicts.stage]\nours = 'idea'\ntheirs = 'done'\n", "theirs 'done'"),
        ("[cards.k7q2mz4t.conflicts.title]\nours = 'a'\n", "theirs none is not a valid title"),
        ("[cards.k7q2mz4t.conflicts.archived]\nours = true\ntheirs = true\n", "exactly one"),
        ("[cards.k7q2mz4t.conflicts.body]\nours = 'a'\nmine = 'b'\n", "unknown key 'mine'"),
        ("[cards.k7q2mz4t.conflicts.decision]\nours = 3\n", "ours must be"),
    ],
)
def test_bad_conflict_marks_are_errors(base: Board, table: str, expected: str) -> None:
    text = storage.dumps(base) + "\n" + table
    with pytest.raises(storage.BoardFileError) as caught:
        storage.parse(text, PATH)
    assert expected in str(caught.value)
    assert "card k7q2mz4t" in str(caught.value)


# --- deciding a conflict (the operation the app uses) ----------------------------------


def conflicted(base: Board) -> Board:
    ours = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "O"}, at=T1),
        ops.MoveCard("p4r0t0ty", Stage.IDEA, at=T1),
        ops.ArchiveCard("t3st1ng0", at=T1),
        ops.DeleteCard("b3x9p0aa"),
        ops.EditCard("l3arn3d0", {"decision": None}, at=T1),
    )
    theirs = apply(
        base,
        ops.EditCard("k7q2mz4t", {"title": "T"}, at=T1),
        ops.MoveCard("p4r0t0ty", Stage.LEARNED, at=T1),
        ops.EditCard("t3st1ng0", {"metric": "m"}, at=T1),
        ops.EditCard("b3x9p0aa", {"body": "kept"}, at=T1),
        ops.EditCard("l3arn3d0", {"decision": Decision.STOP}, at=T1),
    )
    result = merge(base, ours, theirs)
    assert len(result.conflicts) == 5
    return result.board


@pytest.mark.parametrize(
    ("card_id", "name", "take", "check"),
    [
        ("k7q2mz4t", "title", "ours", lambda c: c.title == "O"),
        ("k7q2mz4t", "title", "theirs", lambda c: c.title == "T"),
        ("p4r0t0ty", "stage", "ours", lambda c: c.stage is Stage.IDEA),
        ("p4r0t0ty", "stage", "theirs", lambda c: c.stage is Stage.LEARNED),
        ("t3st1ng0", "archived", "ours", lambda c: c.archived and c.metric == "m"),
        ("t3st1ng0", "archived", "theirs", lambda c: not c.archived),
        ("b3x9p0aa", "deleted", "ours", lambda c: c is None),  # ours deleted it
        ("b3x9p0aa", "deleted", "theirs", lambda c: c.body == "kept"),
        ("l3arn3d0", "decision", "ours", lambda c: c.decision is None),
        ("l3arn3d0", "decision", "theirs", lambda c: c.decision is Decision.STOP),
    ],
)
def test_resolve_conflict_takes_a_side_and_undoes(
    base: Board, card_id: str, name: str, take: str, check: Any
) -> None:
    board = conflicted(base)
    op = ops.ResolveConflict(card_id, name, take=take, actor="anna", at=T2)
    after, inverse = ops.apply_with_inverse(board, op)
    card = after.cards.get(card_id)
    assert check(card)
    assert card is None or name not in card.conflicts
    assert ops.apply(after, inverse) == board
    storage.parse(storage.dumps(after), PATH)


def test_resolve_conflict_with_a_value_and_errors(base: Board) -> None:
    board = conflicted(base)
    op = ops.ResolveConflict("k7q2", "title", take="value", value="Both", at=T2)
    after = ops.apply(board, op)
    assert after.cards["k7q2mz4t"].title == "Both" and not after.cards["k7q2mz4t"].conflicts
    with pytest.raises(ops.OpError, match="no conflict in 'body'"):
        ops.apply(board, ops.ResolveConflict("k7q2mz4t", "body"))
    with pytest.raises(ops.OpError, match="'ours', 'theirs' or 'value'"):
        ops.apply(board, ops.ResolveConflict("k7q2mz4t", "title", take="mine"))


def test_editing_moving_or_archiving_decides_that_fields_conflict(base: Board) -> None:
    board = conflicted(base)
    same_title = ops.apply(
        board, ops.EditCard("k7q2mz4t", {"title": board.cards["k7q2mz4t"].title})
    )
    assert not same_title.cards["k7q2mz4t"].conflicts
    moved = ops.apply(board, ops.MoveCard("p4r0t0ty", Stage.TEST))
    assert not moved.cards["p4r0t0ty"].conflicts
    archived = ops.apply(board, ops.ArchiveCard("t3st1ng0"))
    assert archived.cards["t3st1ng0"].archived and not archived.cards["t3st1ng0"].conflicts


# --- properties over random operations on two branches --------------------------------


def _value(card: Card | None, name: str) -> Any:
    return None if card is None else getattr(card, name)


def check_contains_both_sides(base: Board, ours: Board, theirs: Board, result: MergeResult) -> None:
    """Every change of either side that the other side did not also change is in the merge;
    a change both sides made differently is merged by its rule or marked as a conflict."""
    merged = result.board
    for cid in set(base.cards) | set(ours.cards) | set(theirs.cards):
        b, o, t = base.cards.get(cid), ours.cards.get(cid), theirs.cards.get(cid)
        m = merged.cards.get(cid)
        if o == t:
            assert m == o or (m is not None and o is not None and strip_card(m) == o)
            continue
        if o == b or t == b:
            changed = t if o == b else o
            if changed is None:
                assert m is None
            else:
                assert m is not None and strip_card(m) == strip_card(changed)
            continue
        if o is None or t is None:  # deleted on one side, changed on the other
            kept = o if o is not None else t
            assert kept is not None and b is not None
            if any(_value(b, f) != _value(kept, f) for f in EDITED):
                assert m is not None and m.conflicts["deleted"].ours == (o is None)
                assert strip_card(m) == strip_card(kept)
            else:
                assert m is None
            continue
        assert m is not None
        for name in ("title", *TEXT_FIELDS, "decision", "stage"):
            bv = _value(b, name) if b is not None else object()
            ov, tv = getattr(o, name), getattr(t, name)
            if ov == tv:
                assert getattr(m, name) == ov
            elif ov == bv:
                assert getattr(m, name) == tv
            elif tv == bv:
                assert getattr(m, name) == ov
            else:
                mark = Conflict(ours=getattr(ov, "value", ov), theirs=getattr(tv, "value", tv))
                assert m.conflicts[name] == mark
                assert getattr(m, name) in (ov, tv)
        for name in ("by", "tags"):
            old = set(getattr(b, name)) if b is not None else set()
            mine, other = set(getattr(o, name)), set(getattr(t, name))
            assert (mine - old) | (other - old) <= set(getattr(m, name))
            assert not (old - mine) & set(getattr(m, name))
            assert not (old - other) & set(getattr(m, name))
        for member in set(o.votes) | set(t.votes) | (set(b.votes) if b else set()):
            bv2 = b.votes.get(member, 0) if b else 0
            ov2, tv2 = o.votes.get(member, 0), t.votes.get(member, 0)
            expected = tv2 if ov2 == bv2 else ov2 if tv2 == bv2 else max(ov2, tv2)
            assert m.votes.get(member, 0) == expected
        assert set(o.history) | set(t.history) >= set(m.history)
        new = [h for h in (*o.history, *t.history) if b is None or h not in b.history]
        assert set(new) <= set(m.history)
        assert m.updated == max(o.updated, t.updated)
        if o.stage == t.stage and b is not None and o.stage == b.stage:
            assert m.rank in (o.rank, t.rank)
        if b is not None and "archived" not in m.conflicts:
            bv3, ov3, tv3 = b.archived, o.archived, t.archived
            assert m.archived == (tv3 if ov3 == bv3 else ov3)
    for key in set(ours.members) | set(theirs.members):
        if key not in base.members:
            assert key in merged.members
    assert merged.members.keys() >= {
        k for k in base.members if k in ours.members and k in theirs.members
    }


def strip_card(card: Card) -> Card:
    return card.model_copy(update={"conflicts": {}})


@st.composite
def hot_operation(draw: st.DrawFn, board: Board, card_id: str) -> ops.Op:
    """A change to the one card both branches are drawn to, so that they collide."""
    kinds = ["title"] * 3 + ["text", "decision", "vote"] * 2 + ["move"] * 3 + ["archive", "delete"]
    kind = draw(st.sampled_from(kinds))
    if kind == "title":
        return ops.EditCard(card_id, {"title": draw(st.sampled_from(["A", "B", "C"]))})
    if kind == "text":
        return ops.EditCard(card_id, {draw(st.sampled_from(TEXT_FIELDS)): draw(st.text("ab\n"))})
    if kind == "decision":
        return ops.EditCard(card_id, {"decision": draw(st.sampled_from([None, *Decision]))})
    if kind == "move":
        return ops.MoveCard(card_id, draw(st.sampled_from(list(Stage))))
    if kind == "archive":
        return ops.ArchiveCard(card_id, draw(st.booleans()))
    if kind == "vote" and board.members:
        member = draw(st.sampled_from(sorted(board.members)))
        # what the rules allow: no new dots for an archived card, inside a round its budget
        most = min(3, most_dots(board, card_id, member, T0))
        return ops.Vote(card_id, member, draw(st.integers(0, max(most, 0))), at=T0)
    return ops.DeleteCard(card_id)


@st.composite
def branch(draw: st.DrawFn, base: Board, hot: str, max_ops: int = 5) -> Board:
    board = base
    for _ in range(draw(st.integers(1, max_ops))):
        if hot in board.cards and draw(st.integers(0, 2)) > 0:
            board = ops.apply(board, draw(hot_operation(board, hot)))
        else:
            board = ops.apply(board, draw(operations(board)))
    return board


@st.composite
def three_boards(draw: st.DrawFn) -> tuple[Board, Board, Board]:
    base = draw(boards(max_cards=4))
    if not base.cards:
        base = ops.apply(base, ops.AddCard("hot", card_id="h0000000", at=T0))
    hot = draw(st.sampled_from(sorted(base.cards)))
    return base, draw(branch(base, hot)), draw(branch(base, hot))


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(three_boards())
def test_merge_of_random_branches(boards3: tuple[Board, Board, Board]) -> None:
    base, ours, theirs = boards3
    result = both_ways(base, ours, theirs)
    event("conflicted" if result.conflicts else "clean")
    for _cid, name in result.conflicts:
        event(f"conflict in {name}")
    check_contains_both_sides(base, ours, theirs, result)
    for cid, name in result.conflicts:
        assert name in CONFLICT_FIELDS and cid in result.board.cards
    # a side that changed nothing gives the other side, exactly
    assert merge(base, ours, base).board == ours
    assert merge(base, base, theirs).board == theirs
    assert merge(base, ours, ours).board == ours


# --- minimal diffs ----------------------------------------------------------------------


def card_block(text: str, card_id: str) -> range:
    """The lines (0-based) of one card in a canonical file: its tables, to the next card."""
    lines = text.split("\n")
    start = lines.index(f"[cards.{card_id}]")
    end = start + 1
    while end < len(lines) and not (
        lines[end].startswith("[cards.") and not lines[end].startswith(f"[cards.{card_id}.")
    ):
        end += 1
    return range(start, end)


def changed_lines(before: str, after: str) -> tuple[set[int], set[int]]:
    """Lines removed from `before` and lines added in `after` (0-based)."""
    removed: set[int] = set()
    added: set[int] = set()
    matcher = difflib.SequenceMatcher(a=before.split("\n"), b=after.split("\n"), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.update(range(i1, i2))
            added.update(range(j1, j2))
    return removed, added


@pytest.mark.parametrize(
    "op",
    [
        ops.MoveCard("k7q2mz4t", Stage.TEST, actor="anna", at=T1),
        ops.MoveCard("b3x9p0aa", Stage.IDEA, before="k7q2mz4t", at=T1),
        ops.EditCard("p4r0t0ty", {"title": "New"}, at=T1),
        ops.Vote("t3st1ng0", "anna", 2),
        ops.ArchiveCard("l3arn3d0", at=T1),
    ],
)
def test_a_change_to_one_card_changes_only_its_lines(base: Board, op: Any) -> None:
    before = storage.dumps(base)
    after = storage.dumps(ops.apply(base, op))
    removed, added = changed_lines(before, after)
    assert removed or added
    assert removed <= set(card_block(before, op.card_id))
    assert added <= set(card_block(after, op.card_id))


def test_adding_a_card_adds_only_its_lines(base: Board) -> None:
    before = storage.dumps(base)
    op = ops.AddCard("Fresh", card_id="m0000000", tags=("a",), at=T1)
    after = storage.dumps(ops.apply(base, op))
    removed, added = changed_lines(before, after)
    assert not removed
    assert added <= set(card_block(after, "m0000000")) | {min(card_block(after, "m0000000")) - 1}


def test_fmt_of_a_canonical_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    board = merge(None, make_board(), apply(make_board(), ops.EditCard("k7q2", {"title": "x"})))
    storage.save(path, board.board)
    data = path.read_bytes()
    assert cli.main(["fmt", str(path)]) == 0
    assert path.read_bytes() == data


# --- the commit message sync writes -------------------------------------------------------


def test_summarize_says_what_changed(base: Board) -> None:
    after = apply(
        base,
        ops.MoveCard("k7q2mz4t", Stage.TEST, at=T1),
        ops.MoveCard("b3x9p0aa", Stage.TEST, at=T1),
        ops.MoveCard("p4r0t0ty", Stage.TEST, at=T1),
        ops.AddCard("a", card_id="a0000000", at=T1),
        ops.AddCard("b", card_id="b0000000", at=T1),
        ops.AddCard("c", stage=Stage.LEARNED, card_id="c0000000", at=T1),
        ops.EditCard("t3st1ng0", {"body": "x"}, at=T1),
        ops.Vote("l3arn3d0", "anna", 1),
        ops.SetMember("ida", "Ida", "external"),
    )
    assert summarize(base, after) == (
        "3 cards moved to test, 2 ideas added, 1 card added to learned, 1 card edited, "
        "votes on 1 card, 1 member added"
    )
    assert summarize(None, base) == "new board with 5 cards"
    assert summarize(base, None) == "board removed"
    assert summarize(base, base) == "board reformatted"
    later = apply(base, ops.ArchiveCard("k7q2mz4t", at=T1), ops.DeleteCard("b3x9p0aa"))
    assert summarize(base, later) == "1 card archived, 1 card deleted"


def test_merge_result_is_deterministic_for_a_fixed_board() -> None:
    base = make_board()
    at = datetime(2026, 12, 1, tzinfo=UTC)
    ours = apply(base, ops.EditCard("k7q2mz4t", {"title": "x"}, at=at))
    theirs = apply(base, ops.EditCard("k7q2mz4t", {"title": "y"}, at=at))
    texts = {storage.dumps(merge(base, ours, theirs).board) for _ in range(3)}
    assert len(texts) == 1
