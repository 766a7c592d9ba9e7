"""BoardSession and commit: the one write path, undo/redo, pending edits, concurrent writers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import T0, WriteBoard

from sprintboard import ops, storage
from sprintboard.model import Board, Stage
from sprintboard.session import BoardSession, commit, create


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def opened(path: Path, actor: str = "anna") -> BoardSession:
    session = BoardSession(path, actor)
    session.open()
    return session


# --- commit and create -----------------------------------------------------------------------


def test_commit_writes_and_returns_the_inverse(board_file: Path, board: Board) -> None:
    new, inverse = commit(board_file, ops.EditCard("k7q2mz4t", {"title": "Renamed"}, at=T0))
    assert on_disk(board_file) == new
    assert new.cards["k7q2mz4t"].title == "Renamed"
    commit(board_file, inverse)
    assert on_disk(board_file) == board
    assert board_file.read_text(encoding="utf-8") == storage.dumps(board)


def test_commit_of_a_no_op_does_not_rewrite(board_file: Path) -> None:
    inode = board_file.stat().st_ino
    commit(board_file, ops.ArchiveCard("k7q2mz4t", archived=False))
    assert board_file.stat().st_ino == inode


def test_commit_refuses_and_leaves_the_file(write_board: WriteBoard, board: Board) -> None:
    path = write_board(board)
    before = path.read_bytes()
    with pytest.raises(ops.OpError, match="no card id starts with 'nope'"):
        commit(path, ops.DeleteCard("nope"))
    os.chmod(path, 0o444)
    with pytest.raises(storage.BoardFileError, match="read-only"):
        commit(path, ops.DeleteCard("k7q2mz4t"))
    assert path.read_bytes() == before
    newer = write_board(storage.dumps(board).replace("schema = 1", "schema = 2"), name="newer")
    text = newer.read_bytes()
    with pytest.raises(storage.BoardFileError, match="schema 2 is newer than this sprintboard"):
        commit(newer, ops.DeleteCard("k7q2mz4t"))
    assert newer.read_bytes() == text


def test_create_refuses_to_replace(tmp_path: Path, board: Board) -> None:
    path = tmp_path / "new.toml"
    create(path, board)
    assert on_disk(path) == board
    other = board.model_copy(update={"title": "Other"})
    with pytest.raises(storage.BoardFileError, match="already exists; nothing was written"):
        create(path, other)
    assert on_disk(path) == board


# --- the session -----------------------------------------------------------------------------


def test_session_needs_open(board_file: Path) -> None:
    session = BoardSession(board_file, "anna")
    with pytest.raises(RuntimeError, match="open"):
        session.propose(ops.DeleteCard("k7q2mz4t"))


def test_propose_is_in_memory_until_flush(board_file: Path, board: Board) -> None:
    session = opened(board_file)
    before = board_file.read_bytes()
    shown = session.propose(ops.EditCard("k7q2mz4t", {"title": "Draft"}, at=T0))
    assert shown.cards["k7q2mz4t"].title == "Draft"
    assert session.board == shown and session.pending == 1 and session.can_undo
    assert board_file.read_bytes() == before
    outcome = session.flush()
    assert outcome.error is None and outcome.rejected == []
    assert session.pending == 0
    assert on_disk(board_file) == outcome.board == session.board
    assert session.digest == storage.digest(board_file.read_bytes())


def test_undo_and_redo(board_file: Path, board: Board) -> None:
    session = opened(board_file)
    session.propose(ops.MoveCard("k7q2mz4t", Stage.TEST, at=T0))
    session.propose(ops.Vote("k7q2mz4t", "nanna", 4))
    moved_and_voted = session.board
    assert session.undo() is not None
    assert session.board is not None
    assert session.board.cards["k7q2mz4t"].votes == {"omar": 2}
    assert session.board.cards["k7q2mz4t"].stage is Stage.TEST
    assert session.undo() == board
    assert session.undo() is None and not session.can_undo
    assert session.can_redo
    session.flush()
    assert on_disk(board_file) == board  # four pending ops that add up to nothing
    assert session.redo() is not None
    assert session.redo() == moved_and_voted
    assert session.redo() is None
    session.flush()
    assert on_disk(board_file) == moved_and_voted
    # a new change clears what could be redone
    session.undo()
    session.propose(ops.ArchiveCard("b3x9p0aa", at=T0))
    assert not session.can_redo


def test_undo_that_no_longer_applies_is_dropped_and_older_steps_still_undo(
    board_file: Path,
) -> None:
    session = opened(board_file)
    session.propose(ops.EditCard("b3x9p0aa", {"title": "First"}, at=T0))
    session.propose(ops.EditCard("k7q2mz4t", {"title": "Mine"}, at=T0))
    session.flush()
    commit(board_file, ops.DeleteCard("k7q2mz4t"))  # someone else deletes the card
    session.refresh()
    with pytest.raises(ops.OpError):
        session.undo()
    assert session.can_undo  # the step before it is still there
    session.undo()
    session.flush()
    assert storage.load(board_file).board.cards["b3x9p0aa"].title != "First"


def test_pending_kept_while_file_is_invalid(board_file: Path, board: Board) -> None:
    session = opened(board_file)
    good = board_file.read_text(encoding="utf-8")
    broken = good.replace('stage = "idea"', 'stage = "tested"', 1)
    board_file.write_text(broken, encoding="utf-8")
    session.propose(ops.EditCard("k7q2mz4t", {"title": "Typed while broken"}, at=T0))
    outcome = session.flush()
    assert outcome.error is not None
    assert "stage 'tested' is not one of" in str(outcome.error)
    assert session.error is outcome.error
    assert session.pending == 1
    assert outcome.board.cards["k7q2mz4t"].title == "Typed while broken"
    assert board_file.read_text(encoding="utf-8") == broken  # never overwritten
    # a second edit while still broken joins the queue
    session.propose(ops.Vote("b3x9p0aa", "anna", 1))
    assert session.flush().error is not None and session.pending == 2
    # someone fixes the file: the next flush writes both edits
    board_file.write_text(good, encoding="utf-8")
    outcome = session.flush()
    assert outcome.error is None and session.error is None and session.pending == 0
    saved = on_disk(board_file)
    assert saved.cards["k7q2mz4t"].title == "Typed while broken"
    assert saved.cards["b3x9p0aa"].votes == {"anna": 1}


def test_pending_kept_while_file_is_read_only(board_file: Path) -> None:
    session = opened(board_file)
    before = board_file.read_bytes()
    os.chmod(board_file, 0o444)
    session.propose(ops.ArchiveCard("k7q2mz4t", at=T0))
    outcome = session.flush()
    assert outcome.error is not None and "read-only" in str(outcome.error)
    assert session.pending == 1 and board_file.read_bytes() == before
    os.chmod(board_file, 0o644)
    outcome = session.flush()
    assert outcome.error is None and session.pending == 0
    assert on_disk(board_file).cards["k7q2mz4t"].archived


def test_pending_kept_while_file_has_a_newer_schema(board_file: Path) -> None:
    session = opened(board_file)
    good = board_file.read_text(encoding="utf-8")
    newer = good.replace("schema = 1", "schema = 2")
    board_file.write_text(newer, encoding="utf-8")
    session.propose(ops.ArchiveCard("k7q2mz4t", at=T0))
    outcome = session.flush()
    assert outcome.error is not None and "schema 2 is newer" in str(outcome.error)
    assert session.pending == 1
    assert board_file.read_text(encoding="utf-8") == newer
    board_file.write_text(good, encoding="utf-8")
    assert session.flush().error is None and session.pending == 0
    assert on_disk(board_file).cards["k7q2mz4t"].archived


def test_pending_kept_while_file_is_missing(board_file: Path) -> None:
    session = opened(board_file)
    text = board_file.read_bytes()
    board_file.unlink()
    session.propose(ops.ArchiveCard("k7q2mz4t", at=T0))
    outcome = session.flush()
    assert outcome.error is not None and "no such board file" in str(outcome.error)
    assert session.pending == 1 and not board_file.exists()
    board_file.write_bytes(text)
    assert session.flush().error is None
    assert on_disk(board_file).cards["k7q2mz4t"].archived


def test_two_sessions_changing_different_cards_both_survive(board_file: Path) -> None:
    one, two = opened(board_file, "anna"), opened(board_file, "omar")
    one.propose(ops.EditCard("k7q2mz4t", {"title": "By anna"}, at=T0))
    two.propose(ops.MoveCard("t3st1ng0", Stage.LEARNED, actor="omar", at=T0))
    assert one.flush().error is None
    outcome = two.flush()  # its file copy is stale: it re-reads and re-applies
    assert outcome.error is None and outcome.rejected == []
    saved = on_disk(board_file)
    assert saved.cards["k7q2mz4t"].title == "By anna"
    assert saved.cards["t3st1ng0"].stage is Stage.LEARNED
    assert two.board == saved
    # the first session sees the second's change on refresh
    refreshed = one.refresh()
    assert refreshed is not None and refreshed.board == saved
    assert one.refresh() is None  # nothing new on disk


def test_outside_write_between_two_flushes_is_kept(board_file: Path) -> None:
    session = opened(board_file)
    session.propose(ops.Vote("k7q2mz4t", "anna", 1))
    session.flush()
    # a text editor (or git pull) writes the file outside of any session
    edited = on_disk(board_file).model_copy(update={"goal": "Ten families by Friday"})
    storage.save(board_file, edited)
    session.propose(ops.Vote("k7q2mz4t", "nanna", 2))
    session.flush()
    saved = on_disk(board_file)
    assert saved.goal == "Ten families by Friday"
    assert saved.cards["k7q2mz4t"].votes == {"anna": 1, "nanna": 2, "omar": 2}


def test_rejected_ops_are_reported_when_the_card_was_deleted(board_file: Path) -> None:
    one, two = opened(board_file), opened(board_file)
    two.propose(ops.EditCard("k7q2mz4t", {"title": "Edited meanwhile"}, at=T0))
    two.propose(ops.EditCard("b3x9p0aa", {"title": "Still fine"}, at=T0))
    one.apply(ops.DeleteCard("k7q2mz4t"))
    outcome = two.flush()
    assert outcome.error is None
    assert len(outcome.rejected) == 1
    op, error = outcome.rejected[0]
    assert isinstance(op, ops.EditCard) and op.card_id == "k7q2mz4t"
    assert "k7q2mz4t" in str(error)
    assert two.pending == 0
    saved = on_disk(board_file)
    assert "k7q2mz4t" not in saved.cards
    assert saved.cards["b3x9p0aa"].title == "Still fine"
    assert two.board == saved


def test_refresh_takes_in_outside_changes(board_file: Path) -> None:
    session = opened(board_file)
    assert session.refresh() is None
    commit(board_file, ops.ArchiveCard("b3x9p0aa", at=T0))
    outcome = session.refresh()
    assert outcome is not None and outcome.error is None
    assert session.board is not None and session.board.cards["b3x9p0aa"].archived
    board_file.write_text("not = [toml", encoding="utf-8")
    outcome = session.refresh()
    assert outcome is not None and outcome.error is not None
    assert f"{board_file}:1:" in str(outcome.error)
    assert session.board is not None and session.board.cards["b3x9p0aa"].archived
    board_file.unlink()
    outcome = session.refresh()
    assert outcome is not None and "no such board file" in str(outcome.error)


def test_open_of_a_broken_file_raises(write_board: WriteBoard) -> None:
    path = write_board("schema = 1\n")
    with pytest.raises(storage.BoardFileError, match="missing key 'title'"):
        BoardSession(path, "anna").open()


def test_apply_is_propose_then_flush(board_file: Path) -> None:
    session = opened(board_file)
    outcome = session.apply(ops.AddCard("From the app", actor="anna", at=T0))
    assert outcome.error is None and session.pending == 0
    saved = on_disk(board_file)
    assert [c.title for c in saved.cards.values()].count("From the app") == 1
    assert outcome.board == saved
