"""What the app says about other people's changes and presence, without running it."""

from __future__ import annotations

from sprintboard import ops
from sprintboard.i18n.language import within
from sprintboard.model import Stage
from sprintboard.presence import Presence
from sprintboard.session import Overwrite
from sprintboard.tui.notices import (
    changed_under_us_notice,
    describe,
    editor_notice,
    field_name,
    joined,
    moved_by_someone,
    overwritten_notice,
    present_names,
    quoted,
    rejected_notice,
    with_text,
)

from .helpers import fixture_board

BOARD = fixture_board()
CARD = BOARD.cards["aaaa0001"]


def test_values_are_quoted_short_and_on_one_line() -> None:
    assert quoted("") == "(empty)"
    assert quoted(None) == "(empty)"
    assert quoted(["a", "b"]) == "“a, b”"
    assert quoted(Stage.TEST) == "“test”"
    assert quoted("two\nlines") == "“two lines”"
    long = quoted("x" * 100)
    assert len(long) == 42 and long.endswith("…”")


def test_overwrites_name_card_field_both_values_and_how_to_undo() -> None:
    found = [Overwrite("aaaa0001", "title", "Bob's", "Anna's")]
    text = overwritten_notice(found, BOARD)
    assert text == (
        "You replaced a change by someone to the field “Title” of “Saturday art workshop at "
        "the library” (aaaa0001): “Bob's” → “Anna's”\nu undoes yours and brings theirs back."
    )
    assert overwritten_notice([], BOARD) is None
    many = overwritten_notice([found[0]] * 5, BOARD)
    assert many is not None and "and 2 more" in many


def test_changes_under_us_and_rejections_say_what_and_why() -> None:
    changed = changed_under_us_notice([Overwrite("zzzz9999", "body", "theirs", "ours")])
    assert changed == "Someone changed the field “Notes” you set on card zzzz9999: now “theirs”"
    gone = changed_under_us_notice([Overwrite("aaaa0001", "title", None, "ours")], BOARD)
    assert gone is not None and gone.startswith("Someone deleted “Saturday art")
    move = ops.MoveCard("aaaa0001", Stage.TEST)
    rejected = rejected_notice([(move, ops.OpError("no card aaaa0001"))], BOARD)
    assert rejected == (
        "Could not apply your move of “Saturday art workshop at the library” (aaaa0001) "
        "to test: no card aaaa0001"
    )


def test_the_editor_says_what_happened_to_its_card() -> None:
    assert editor_notice(CARD, CARD) is None
    assert editor_notice(CARD, CARD.model_copy(update={"stage": Stage.TEST})) is None
    body = editor_notice(CARD, CARD.model_copy(update={"body": "new"}))
    assert body is not None and body.startswith("Changed by someone else while you edit (“Notes”)")
    archived = editor_notice(CARD, CARD.model_copy(update={"archived": True}))
    assert archived is not None and archived.startswith("Archived by someone else")
    deleted = editor_notice(CARD, None)
    assert deleted is not None and "saving puts the card back" in deleted


def test_a_card_moved_by_someone_names_the_mover() -> None:
    moved = ops.apply(BOARD, ops.MoveCard("aaaa0001", Stage.TEST, actor="bob"))
    text = moved_by_someone(CARD, moved.cards["aaaa0001"])
    assert text == "“Saturday art workshop at the library” was moved from idea to test by bob"


def test_presence_lists_each_other_person_once() -> None:
    others = [
        Presence("omar", "h1", 1),
        Presence("anna", "h1", 2),
        Presence("anna", "h2", 3),
        Presence("nanna", "h1", 4),
    ]
    assert present_names(others, "nanna") == ["anna", "omar", "you elsewhere"]
    assert with_text(present_names(others[:3], "nanna")) == "with anna, omar"
    assert with_text(present_names([], "nanna")) == ""


def test_presence_shows_members_by_name_and_knows_you_by_either() -> None:
    others = [
        Presence("omar", "h1", 1),
        Presence("ahmed rahimi", "h1", 2),  # git's user.name, matching a member's name
        Presence("sofie", "h1", 3),  # not a member: as given
        Presence("nanna", "h2", 4),  # the user, by key, in another app
    ]
    names = present_names(others, "Nanna Holm", BOARD.members)
    assert with_text(names) == "with Ahmed Rahimi, Omar S., sofie, you elsewhere"


def test_notices_name_who_moved_a_card_when_the_card_records_it() -> None:
    moved = Overwrite("aaaa0001", "stage", Stage.TEST, Stage.IDEA, "omar")
    assert changed_under_us_notice([moved], BOARD) == (
        "omar changed the field “Stage” you set on “Saturday art workshop at the library” "
        "(aaaa0001): now “test”"
    )
    replaced = overwritten_notice([Overwrite("aaaa0001", "stage", Stage.TEST, Stage.IDEA, "omar")])
    assert replaced is not None and replaced.startswith(
        "You replaced a change by omar to the field “Stage”"
    )


def test_fields_are_named_by_their_labels_never_by_the_file_s_keys() -> None:
    assert field_name("hypothesis") == "“We believe”"
    assert field_name("by") == "“Co-created by”"
    assert field_name("nonsense") == "“nonsense”"  # no field: as it is
    found = [Overwrite("aaaa0001", "hypothesis", "theirs", "ours")]
    replaced = overwritten_notice(found, BOARD)
    assert replaced is not None and "to the field “We believe” of" in replaced
    assert "hypothesis" not in replaced
    gone = changed_under_us_notice([Overwrite("aaaa0001", "criterion", None, "ours")])
    assert gone == "Someone deleted card aaaa0001, whose field “We are right if” you set."
    both = CARD.model_copy(update={"hypothesis": "new", "test": "new", "body": "new"})
    said = editor_notice(CARD, both)
    assert said is not None
    assert said.startswith(
        "Changed by someone else while you edit (“Notes”, “We believe” and "
        "“To verify that, we will”)"
    )


def test_an_edit_is_described_by_its_fields_in_the_singular_or_the_plural() -> None:
    one = describe(ops.EditCard("aaaa0001", {"title": "x"}), BOARD)
    assert (
        one == "your edit of the field “Title” on “Saturday art workshop at the library” (aaaa0001)"
    )
    two = describe(ops.EditCard("aaaa0001", {"title": "x", "tags": ["a"]}))
    assert two == "your edit of the fields “Title” and “Tags” on card aaaa0001"


def test_lists_are_joined_by_translated_words() -> None:
    assert joined([]) == "" and joined(["a"]) == "a"
    assert joined(["a", "b", "c"]) == "a, b and c"
    with within("da"):
        assert joined(["a", "b", "c"]) == "a, b og c"
        assert field_name("hypothesis") == "“Vi tror, at”"
