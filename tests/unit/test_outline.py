"""The face reader agrees with the full reader: on every canonical board, on boards laid
out by hand, and on the hostile corpus (where it never raises and never hangs).

`outline.read` reads the writer's own layout card by card (`outline._by_card`) and
anything else whole; both must give what the models say, or None.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards, lines, texts

from sprintboard import layout, outline, storage
from sprintboard.model import Board, Card, Decision, Stage
from sprintboard.outline import CardFace, MemberFace, Outline, SprintFace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from benchlib import SHAPES, make_board

PATH = Path("b.toml")
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def face_of(board: Board) -> Outline:
    """The face as the models give it: what `outline.read` must agree with."""
    return Outline(
        title=board.title,
        challenge=board.challenge,
        goal=board.goal,
        sprint=SprintFace(board.sprint.start, board.sprint.end, tuple(board.sprint.facilitators)),
        wip=dict(board.wip),
        members={
            key: MemberFace(member.name, member.side, member.role)
            for key, member in board.members.items()
        },
        cards={cid: card_face(card) for cid, card in board.cards.items()},
    )


def card_face(card: Card) -> CardFace:
    return CardFace(
        title=card.title,
        stage=card.stage,
        rank=card.rank,
        archived=card.archived,
        by=tuple(card.by),
        tags=tuple(card.tags),
        dots=card.dots,
        has_experiment=card.has_experiment,
        has_learning=card.has_learning,
        decision=card.decision,
        conflicts=tuple(sorted(card.conflicts)),
    )


def assert_reads(read: Outline | None, text: str) -> None:
    """`read` is the face of the board the full reader reads in `text`."""
    assert_agrees(read, storage.parse(text, PATH))


def assert_agrees(read: Outline | None, board: Board) -> None:
    """`read` is the board's face: every field, and every column in board order."""
    assert read is not None
    expected = face_of(board)
    # a model keeps its conflicts in the order it was built with (the card cache may give
    # back the very card written), the file in the writer's: sorted
    cards = {
        cid: dataclasses.replace(card, conflicts=tuple(sorted(card.conflicts)))
        for cid, card in read.cards.items()
    }
    assert dataclasses.replace(read, cards=cards) == expected
    assert list(read.cards) == list(board.cards)  # the file's order
    for stage in Stage:
        for archived in (False, True):
            got = read.column(stage, archived=archived)
            assert got == expected.column(stage, archived=archived)
            assert [cid for cid, _ in got] == [
                cid for cid, _ in board.column(stage, archived=archived)
            ]


def fast(text: str) -> Outline | None:
    """The card-by-card pass alone (None: it would read the text whole)."""
    cut = layout.cut(text)
    return None if cut is None else outline._by_card(cut)


# --- boards with conflicts, which the shared strategy does not make ------------------------


@st.composite
def conflicted(draw: st.DrawFn) -> Board:
    """A valid board whose cards may carry conflicts a merge left, of every kind."""
    board = draw(boards(max_cards=5, min_cards=1))
    choices = [None, *(d.value for d in Decision)]
    kinds = {
        "title": st.tuples(lines(), lines()),
        "stage": st.tuples(*[st.sampled_from([s.value for s in Stage])] * 2),
        "hypothesis": st.tuples(texts(), texts()),
        "decision": st.tuples(st.sampled_from(choices), st.sampled_from(choices)),
        "archived": st.sampled_from([(True, False), (False, True)]),
        "deleted": st.sampled_from([(True, False), (False, True)]),
    }
    cards = {}
    for cid, card in board.cards.items():
        names = draw(st.lists(st.sampled_from(sorted(kinds)), unique=True, max_size=3))
        conflicts = {}
        for name in names:
            ours, theirs = draw(kinds[name])
            conflicts[name] = {"ours": ours, "theirs": theirs}
        data = card.model_dump()
        data["conflicts"] = conflicts
        cards[cid] = Card.model_validate(data)
    return board.model_copy(update={"cards": cards})


def strings_of(board: Board) -> list[str]:
    texts_ = [board.challenge, board.goal]
    for card in board.cards.values():
        texts_.extend(str(value) for value in card.model_dump().values())
    return texts_


# --- every canonical board ---------------------------------------------------------------


@PROPERTY
@given(board=st.one_of(boards(max_cards=8), conflicted()))
def test_the_face_of_every_canonical_board_is_the_models(board: Board) -> None:
    text = storage.dumps(board)
    assert storage.parse(text, PATH) == board
    assert_reads(outline.read(text), text)
    # and the card-by-card pass read it, unless a text holds a line that looks like a table
    # or a literal string's quotes (the cut is then not sure where cards start, and the
    # whole text is read instead)
    # (a text's first line is a line of the file too: the writer starts it after """)
    if board.cards and not any("\n[" in "\n" + s or "'''" in s for s in strings_of(board)):
        assert_reads(fast(text), text)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_benchmark_boards_are_read_card_by_card(shape: str) -> None:
    # quotes, backslashes, non-ASCII text, archived cards, votes, every stage and decision
    text = storage.dumps(make_board(300, shape=shape))
    assert_reads(fast(text), text)


def test_long_history_entries_written_as_tables_are_read_card_by_card(board: Board) -> None:
    # the writer turns an entry too long for one line into a [[cards.<id>.history]] table
    cid = sorted(board.cards)[0]
    card = board.cards[cid]
    entry = {"at": card.created, "by": "someone " * 12, "stage": "idea"}
    long = Card.model_validate(card.model_dump() | {"history": [entry]})
    relaid = board.model_copy(update={"cards": {**board.cards, cid: long}})
    text = storage.dumps(relaid)
    assert f"[[cards.{cid}.history]]" in text
    assert_reads(fast(text), text)


def test_a_table_line_inside_a_card_text_is_text(board: Board) -> None:
    cid = sorted(board.cards)[0]
    odd = f"first\n[cards.{cid}.votes]\nanna = 99\n[cards.zzz]"
    card = Card.model_validate(board.cards[cid].model_dump() | {"hypothesis": odd})
    changed = board.model_copy(update={"cards": {**board.cards, cid: card}})
    text = storage.dumps(changed)
    assert_reads(outline.read(text), text)


def test_empty_texts_written_by_hand_are_no_experiment(board: Board) -> None:
    # the writer leaves an empty text out; written anyway, in its place, it is no experiment
    cid = sorted(board.cards)[0]
    plain = Card.model_validate(
        board.cards[cid].model_dump(include={"title", "stage", "rank", "created", "updated"})
    )
    bare = board.model_copy(update={"cards": {**board.cards, cid: plain}})
    text = storage.dumps(bare)
    place = text.index(f"[cards.{cid}]\n")
    place = text.index("\nupdated = ", place) + 1
    place = text.index("\n", place) + 1
    edited = text[:place] + 'hypothesis = ""\ntest = """\n"""\nobserved = ""\n' + text[place:]
    assert storage.parse(edited, PATH) == bare
    read = fast(edited)
    assert read is not None
    assert not read.cards[cid].has_experiment and not read.cards[cid].has_learning
    assert_reads(read, edited)


# --- boards laid out by hand ---------------------------------------------------------------


def respaced(text: str, spaces: str) -> str:
    return re.sub(r"(?m)^([A-Za-z0-9_]+) = ", lambda m: f"{m.group(1)}{spaces}={spaces}", text)


def commented(text: str, _: str) -> str:
    return re.sub(r"(?m)^(\[cards\.[^\]\n]+\])$", r"\1\n# a note", text)


def reordered(text: str, _: str) -> str:
    # stage before title in every card table: the same board, another layout
    return re.sub(r'(?m)^(title = "[^\n]*)\n(stage = [^\n]*)$', r"\2\n\1", text)


def squeezed(text: str, _: str) -> str:
    return text.replace("\n\n[", "\n[")


def padded(text: str, spaces: str) -> str:
    return text.replace("\n", spaces + "\n")


def windows(text: str, _: str) -> str:
    return text.replace("\n", "\r\n")


def without_last_newline(text: str, _: str) -> str:
    return text.rstrip("\n")


def inline_votes(text: str, _: str) -> str:
    def inline(match: re.Match[str]) -> str:
        return "votes = { " + ", ".join(match.group(1).strip().split("\n")) + " }\n"

    return re.sub(r"(?m)^\[cards\.[^\]\n]+\.votes\]\n((?:[^\n\[]+\n)+)", inline, text)


def duplicated_title(text: str, _: str) -> str:
    return text.replace("\nstage = ", '\ntitle = "again"\nstage = ', 1)


EDITS = [respaced, commented, reordered, squeezed, padded, windows, without_last_newline]
EDITS += [inline_votes, duplicated_title]


@PROPERTY
@given(
    board=st.one_of(boards(max_cards=6, min_cards=1), conflicted()),
    edit=st.sampled_from(EDITS),
    spaces=st.sampled_from(["   ", "\t", " \t "]),
)
def test_a_board_laid_out_by_hand_is_read_as_the_models_read_it_or_not_at_all(
    board: Board, edit: object, spaces: str
) -> None:
    assert callable(edit)
    text = edit(storage.dumps(board), spaces)
    try:
        full = storage.parse(text, PATH)
    except storage.BoardFileError:
        full = None
    read = outline.read(text)
    if full is None:
        return  # not a valid board: the app shows the full reader's error, not this
    if read is not None:
        assert_agrees(read, full)


# --- the hostile corpus --------------------------------------------------------------------


def hostile_texts() -> dict[str, str]:
    from integration.test_hostile import KINDS

    found = {}
    for name, kind in KINDS.items():
        if isinstance(kind.content, bytes):
            try:
                found[name] = kind.content.decode("utf-8")
            except UnicodeDecodeError:
                continue
    return found


HOSTILE = hostile_texts()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_read_as_the_models_read_it_or_not_at_all(name: str) -> None:
    text = HOSTILE[name]
    start = time.process_time()
    read = outline.read(text)  # never raises
    seconds = time.process_time() - start
    assert seconds < 2.0, f"{seconds:.1f} s"  # a hang guard, not a measurement
    try:
        full = storage.parse(text, PATH)
    except storage.BoardFileError:
        return
    if read is not None:
        assert_agrees(read, full)


def test_the_hostile_corpus_is_there() -> None:
    assert len(HOSTILE) > 50


def test_a_face_made_at_once_is_the_dataclass_s_own() -> None:
    values = ("t", Stage.TEST, "m", True, ("a",), ("x", "y"), 3, True, False, Decision.PIVOT, ())
    made = outline._new_face(*values)
    assert made == CardFace(*values)
    assert hash(made) == hash(CardFace(*values))
    assert type(made) is CardFace
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]
