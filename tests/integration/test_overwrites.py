"""Two sessions on one file: the later write wins, both people are told, undo helps."""

from __future__ import annotations

from pathlib import Path

from sprintboard import ops, storage
from sprintboard.model import Board, Stage
from sprintboard.session import BoardSession, Overwrite, create


def two_sessions(tmp_path: Path) -> tuple[Path, str, BoardSession, BoardSession]:
    path = tmp_path / "b.toml"
    create(path, Board.model_validate({"schema": 1, "title": "B"}))
    anna = BoardSession(path, "anna")
    anna.open()
    add = ops.AddCard("Original", card_id="card0001")
    anna.apply(add)
    bob = BoardSession(path, "bob")
    bob.open()
    return path, add.card_id, anna, bob


def test_same_field_later_write_wins_and_both_sides_are_told(tmp_path: Path) -> None:
    path, cid, anna, bob = two_sessions(tmp_path)
    assert anna.apply(ops.EditCard(cid, {"title": "Anna's"})).overwritten == []
    outcome = bob.apply(ops.EditCard(cid, {"title": "Bob's"}))  # bob never saw anna's edit
    assert outcome.overwritten == [Overwrite(cid, "title", "Anna's", "Bob's")]
    assert storage.load(path).board.cards[cid].title == "Bob's"

    told = anna.refresh()
    assert told is not None
    assert told.changed_under_us == [Overwrite(cid, "title", "Bob's", "Anna's")]
    assert told.board.cards[cid].title == "Bob's"

    bob.undo()  # undo restores what bob overwrote: anna's title, not the original
    bob.flush()
    assert storage.load(path).board.cards[cid].title == "Anna's"


def test_different_fields_of_one_card_both_survive_silently(tmp_path: Path) -> None:
    path, cid, anna, bob = two_sessions(tmp_path)
    anna.apply(ops.EditCard(cid, {"title": "Anna's"}))
    outcome = bob.apply(ops.EditCard(cid, {"body": "Bob's notes"}))
    assert outcome.overwritten == []
    card = storage.load(path).board.cards[cid]
    assert (card.title, card.body) == ("Anna's", "Bob's notes")
    assert anna.refresh() is not None and anna.board is not None
    assert anna.board.cards[cid].body == "Bob's notes"


def test_invalid_file_keeps_operations_pending_until_it_is_fixed(tmp_path: Path) -> None:
    path, cid, anna, _ = two_sessions(tmp_path)
    good = path.read_bytes()
    path.write_text(good.decode() + "\n<<<<<<< HEAD\n")  # a merge gone wrong
    outcome = anna.apply(ops.EditCard(cid, {"title": "Typed while broken"}))
    assert outcome.error is not None
    assert str(outcome.error).startswith(f"{path}:")
    assert anna.pending == 1
    assert outcome.board.cards[cid].title == "Typed while broken"  # shown, not lost
    assert b"Typed while broken" not in path.read_bytes()  # and never written into it

    path.write_bytes(good)  # someone fixes the file
    fixed = anna.refresh()
    assert fixed is not None and fixed.error is None
    assert anna.pending == 0
    assert storage.load(path).board.cards[cid].title == "Typed while broken"


def test_an_operation_whose_card_was_deleted_meanwhile_is_reported(tmp_path: Path) -> None:
    path, cid, anna, bob = two_sessions(tmp_path)
    bob.apply(ops.DeleteCard(cid))
    outcome = anna.apply(ops.EditCard(cid, {"title": "Too late"}))
    assert [type(op) for op, _ in outcome.rejected] == [ops.EditCard]
    assert cid not in storage.load(path).board.cards


def test_a_move_over_ours_names_who_moved_it(tmp_path: Path) -> None:
    _path, cid, anna, bob = two_sessions(tmp_path)
    anna.apply(ops.MoveCard(cid, Stage.TEST, actor="anna"))
    outcome = bob.apply(ops.MoveCard(cid, Stage.PROTOTYPE, actor="bob"))  # bob never saw it
    assert outcome.overwritten == [Overwrite(cid, "stage", Stage.TEST, Stage.PROTOTYPE, "anna")]
    told = anna.refresh()
    assert told is not None
    assert told.changed_under_us == [Overwrite(cid, "stage", Stage.PROTOTYPE, Stage.TEST, "bob")]


def test_a_field_edit_records_no_one(tmp_path: Path) -> None:
    _path, cid, anna, bob = two_sessions(tmp_path)
    anna.apply(ops.EditCard(cid, {"title": "Anna's"}, actor="anna"))
    outcome = bob.apply(ops.EditCard(cid, {"title": "Bob's"}, actor="bob"))
    assert [o.by for o in outcome.overwritten] == [None]  # no record says who: "someone"


def test_the_session_acts_as_the_member_its_person_is(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    members = {"nanna": {"name": "Nanna Facilitator", "side": "internal"}}
    create(path, Board.model_validate({"schema": 1, "title": "B", "members": members}))
    session = BoardSession(path, "Nanna Facilitator")
    assert session.actor == "Nanna Facilitator"  # nothing read yet
    session.open()
    assert (session.person, session.actor) == ("Nanna Facilitator", "nanna")
    stranger = BoardSession(path, "Sofie")
    stranger.open()
    assert stranger.actor == "Sofie"
    stranger.apply(ops.SetMember("sofie", "Sofie", "external"))
    assert stranger.actor == "sofie"  # a member now: acts as one at once
