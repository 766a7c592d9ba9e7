"""Three-way merge of boards, card by card and field by field: what git's merge driver does.

Pure: no files, no git, no Textual. `merge(base, ours, theirs)` returns the merged board
and the fields it left in conflict. A side "changed" something when its value differs
from the base's; what only one side changed is taken from it, what both changed to the
same value is taken once. When both changed one thing differently:

- ``by``, ``tags``, ``sprint.facilitators``: merged as sets (an item added on either side
  is in, one removed on either side is out), in an order that does not depend on which
  side is ours.
- ``votes``: member by member; two different new counts of one member: the larger.
- ``history``: the union of the entries; new entries after the kept ones, by time.
- ``rank``: the smaller key (both reordered the card; either place is as good, and the
  choice must not depend on which side is ours). The rank goes with the stage: when only
  one side moved the card to another stage, its rank comes too.
- ``updated``: the later; ``created`` (a card added on both sides): the earlier.
- ``title``, ``stage``, the text fields and ``decision``: a **conflict**. Both values are
  kept in the card's ``conflicts`` table (`model.Conflict`), the field shows one of them
  (for ``stage`` the later stage, else the value that sorts first) until someone picks.
- A card archived on one side and edited on the other (a field a person edits, or its
  stage): a conflict on ``archived``; the card stays on the board, edited, not archived.
- A card deleted on one side and edited on the other: the edited card stays, with a
  conflict on ``deleted``. Deleted on one side and only voted on, reordered or archived
  on the other: deleted.
- ``rounds`` (dot-vote rounds): round by round (by id), field by field. What one side
  changed is taken from it (a round one side closed is closed, with that side's result).
  Both closed it: the earlier ``closed``, with that side's result, and a note. Other
  fields changed differently on both sides: the value that sorts first, with a note.
  One side closed a round the other side voted in: closed, with the closing side's
  result, and a note (the other side's dots are on the cards, not in the result). Two
  rounds left open (each side started one): both kept, the one opened last is open
  (`rounds.open_round`), and a note.
- The board's own fields (title, challenge, goal, sprint dates, WIP limits) and members
  changed differently on both sides cannot be marked in schema 1: the value that sorts
  first is kept and the merge says so in `MergeResult.notes`. A member removed on one
  side stays when the other side changed it or still refers to it.

The merged board is the same whichever side is ours, except that ``ours`` and ``theirs``
swap in the conflict marks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import fields
from .i18n import _
from .labels import stage_label
from .merge_rounds import merge_rounds
from .model import (
    Board,
    Card,
    Conflict,
    HistoryEntry,
    Member,
    Sprint,
    Stage,
)
from .three_way import ABSENT, first, merge_list, merge_mapping, noted_first, sort_key, three

__all__ = ["EDITED", "MergeResult", "merge", "merge_list"]

EDITED = fields.EDITS
"""Card fields whose change counts as *editing* a card that the other side archived or
deleted (votes, reordering and archiving do not)."""

_CONFLICTING: tuple[fields.FieldName, ...] = tuple(n for n in fields.CONFLICTING if n != "stage")
"""Plain value fields: two different changes are a conflict (the stage is one too,
with its own rule: the rank goes with it)."""

_LISTS = fields.of_kind(fields.Kind.NAMES)
"""Lists of names: merged as sets."""

_STAGES = list(Stage)


@dataclass(frozen=True)
class MergeResult:
    """The merged board and what in it is left for a person to decide."""

    board: Board
    conflicts: tuple[tuple[str, str], ...]
    """(card id, field) of every conflict mark in the merged board, sorted."""
    notes: tuple[str, ...] = ()
    """Board-level values both sides changed differently, and which one was kept."""

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: Board | None, ours: Board, theirs: Board) -> MergeResult:
    """Merge `ours` and `theirs`, two descendants of `base` (None: no common ancestor)."""
    notes: list[str] = []
    base_cards = base.cards if base is not None else {}
    cards: dict[str, Card] = {}
    for cid in sorted(set(base_cards) | set(ours.cards) | set(theirs.cards)):
        card = _merge_card_entry(base_cards.get(cid), ours.cards.get(cid), theirs.cards.get(cid))
        if card is not None:
            cards[cid] = card

    members = _merge_members(base, ours, theirs, notes)
    frame = _merge_frame(base, ours, theirs, notes)
    _restore_referenced(members, cards, frame["sprint"], ours, theirs, notes)
    rounds = merge_rounds(base, ours, theirs, notes)

    board = Board.model_validate(
        {
            "schema": max(ours.schema_, theirs.schema_),
            **frame,
            "members": dict(sorted(members.items())),
            "rounds": rounds,
            "cards": cards,
        }
    )
    marks = tuple((cid, name) for cid, card in cards.items() for name in sorted(card.conflicts))
    return MergeResult(board, marks, tuple(notes))


# --- cards ------------------------------------------------------------------------------


def _edited(base: Card, card: Card) -> bool:
    return any(getattr(base, name) != getattr(card, name) for name in EDITED)


def _merge_card_entry(base: Card | None, ours: Card | None, theirs: Card | None) -> Card | None:
    """One card id: present on some of the three sides; None when the merge removes it."""
    if ours is not None and theirs is not None:
        return _merge_card(base, ours, theirs)
    kept = ours if ours is not None else theirs
    if kept is None:
        return None  # deleted on both sides
    if base is None:
        return kept  # added on one side
    if not _edited(base, kept):
        return None  # deleted on one side; the other only voted, reordered, archived
    deleted_by_ours = ours is None
    mark = Conflict(ours=deleted_by_ours, theirs=not deleted_by_ours)
    return _with_marks(kept, {"deleted": mark})


def _with_marks(card: Card, marks: Mapping[str, Conflict]) -> Card:
    return card.model_copy(update={"conflicts": dict(sorted({**card.conflicts, **marks}.items()))})


def _merge_card(base: Card | None, ours: Card, theirs: Card) -> Card:
    if ours == theirs:
        return ours
    if base is not None and ours == base:
        return theirs
    if base is not None and theirs == base:
        return ours

    def old(name: str) -> Any:
        # added on both sides: no base value, so every difference is a double change
        return getattr(base, name) if base is not None else ABSENT

    values: dict[str, Any] = {}
    marks: dict[str, Conflict] = {}

    def conflict(name: str) -> Callable[[Any, Any], Any]:
        def both(o: Any, t: Any) -> Any:
            marks[name] = Conflict(ours=_plain(o), theirs=_plain(t))
            return first(o, t)

        return both

    for name in _CONFLICTING:
        values[name] = three(old(name), getattr(ours, name), getattr(theirs, name), conflict(name))

    # stage, and the rank that goes with it
    def later_stage(o: Stage, t: Stage) -> Stage:
        marks["stage"] = Conflict(ours=o.value, theirs=t.value)
        return max(o, t, key=_STAGES.index)

    stage = three(old("stage"), ours.stage, theirs.stage, later_stage)
    values["stage"] = stage
    if ours.stage != theirs.stage:
        values["rank"] = ours.rank if stage == ours.stage else theirs.rank
    else:
        values["rank"] = three(old("rank"), ours.rank, theirs.rank, min)

    values["created"] = three(old("created"), ours.created, theirs.created, min)
    values["updated"] = max(ours.updated, theirs.updated)
    values["archived"] = three(old("archived"), ours.archived, theirs.archived, max)
    for name in _LISTS:
        values[name] = merge_list(
            getattr(base, name) if base is not None else [],
            getattr(ours, name),
            getattr(theirs, name),
        )
    values["votes"] = merge_mapping(
        base.votes if base is not None else {},
        ours.votes,
        theirs.votes,
        lambda _key, o, t: max(o or 0, t or 0) or None,
    )
    values["history"] = _merge_history(
        base.history if base is not None else [], ours.history, theirs.history
    )
    values["conflicts"] = merge_mapping(
        base.conflicts if base is not None else {},
        ours.conflicts,
        theirs.conflicts,
        _pick_mark,
    )

    # archived on one side, edited on the other: keep it on the board, edited, marked
    if base is not None and not base.archived and ours.archived != theirs.archived:
        keeper = theirs if ours.archived else ours
        if _edited(base, keeper):
            values["archived"] = False
            marks["archived"] = Conflict(ours=ours.archived, theirs=theirs.archived)

    values["conflicts"] = dict(sorted({**values["conflicts"], **marks}.items()))
    return Card.model_validate(values)


def _plain(value: Any) -> str | bool | None:
    """A field value as a conflict mark holds it (enums by their value)."""
    if value is None or isinstance(value, bool):
        return value
    return str(getattr(value, "value", value))


def _pick_mark(_key: str, ours: Conflict | None, theirs: Conflict | None) -> Conflict | None:
    """Older conflict marks both sides changed: one still undecided stays, else either."""
    if ours is None or theirs is None:
        return ours if ours is not None else theirs
    return min(ours, theirs, key=lambda c: (sort_key(c.ours), sort_key(c.theirs)))


def _history_key(entry: HistoryEntry) -> tuple[Any, ...]:
    return (entry.at, entry.by, _STAGES.index(entry.stage))


def _merge_history(
    base: list[HistoryEntry], ours: list[HistoryEntry], theirs: list[HistoryEntry]
) -> list[HistoryEntry]:
    """The base's entries both sides kept, in their order, then the new ones by time."""

    def both(a: list[HistoryEntry], b: list[HistoryEntry]) -> list[HistoryEntry]:
        kept = [e for e in base if e in a and e in b]
        new: list[HistoryEntry] = []
        for entry in sorted((e for e in (*a, *b) if e not in base), key=_history_key):
            if entry not in new:
                new.append(entry)
        return kept + new

    result: list[HistoryEntry] = three(base, ours, theirs, both)
    return list(result)


# --- members and the board's frame -----------------------------------------------------


def _member_key(member: Member) -> tuple[str, str, str]:
    return (member.name, member.side.value, member.role or "")


def _merge_members(
    base: Board | None, ours: Board, theirs: Board, notes: list[str]
) -> dict[str, Member]:
    def both(key: str, o: Member | None, t: Member | None) -> Member | None:
        if o is None or t is None:
            return o if o is not None else t  # removed on one side, changed on the other
        kept = min(o, t, key=_member_key)
        notes.append(
            _("member {key} was changed differently on both sides; kept '{name}'").format(
                key=key, name=kept.name
            )
        )
        return kept

    return merge_mapping(base.members if base else {}, ours.members, theirs.members, both)


def _restore_referenced(
    members: dict[str, Member],
    cards: Mapping[str, Card],
    sprint: Sprint,
    ours: Board,
    theirs: Board,
    notes: list[str],
) -> None:
    """Bring back members removed on one side that the merged board still names."""
    named: set[str] = set(sprint.facilitators)
    for card in cards.values():
        named.update(card.by)
        named.update(card.votes)
    for key in sorted(named - set(members)):
        candidates = [b.members[key] for b in (ours, theirs) if key in b.members]
        members[key] = min(candidates, key=_member_key)
        notes.append(
            _("member {key} was removed on one side but is still named; kept").format(key=key)
        )


def _frame_values(board: Board | None) -> dict[str, Any]:
    """The frame fields merged one by one (facilitators and WIP limits merge apart)."""
    if board is None:
        return {}
    return {k: v for k, v in board.frame().items() if k not in ("facilitators", "wip")}


def _frame_note(name: str, kept: Any) -> str:
    return _("board {name} was changed differently on both sides; kept '{kept}'").format(
        name=name, kept=kept
    )


def _merge_frame(
    base: Board | None, ours: Board, theirs: Board, notes: list[str]
) -> dict[str, Any]:
    old, o, t = _frame_values(base), _frame_values(ours), _frame_values(theirs)
    merged: dict[str, Any] = {}
    for name in o:
        both: Any = noted_first(notes, partial(_frame_note, name))
        merged[name] = three(old.get(name, ABSENT), o[name], t[name], both)

    start, end = merged.pop("start"), merged.pop("end")
    if start is not None and end is not None and end < start:
        start, end = min(
            ((ours.sprint.start, ours.sprint.end), (theirs.sprint.start, theirs.sprint.end)),
            key=lambda pair: tuple(map(sort_key, pair)),
        )
        notes.append(_("the sprint dates merged into an end before the start; kept one side's"))
    facilitators = merge_list(
        base.sprint.facilitators if base else [],
        ours.sprint.facilitators,
        theirs.sprint.facilitators,
    )
    merged["sprint"] = Sprint(start=start, end=end, facilitators=facilitators)

    def wip(stage: Stage, a: int | None, b: int | None) -> int | None:
        kept = min(x for x in (a, b) if x is not None) if (a or b) else None
        notes.append(
            _("the WIP limit of {stage} was changed on both sides; kept {kept}").format(
                stage=stage_label(stage), kept=kept
            )
        )
        return kept

    merged["wip"] = {
        Stage(k): v
        for k, v in merge_mapping(
            {s.value: n for s, n in (base.wip if base else {}).items()},
            {s.value: n for s, n in ours.wip.items()},
            {s.value: n for s, n in theirs.wip.items()},
            lambda k, a, b: wip(Stage(k), a, b),
        ).items()
    }
    return merged
