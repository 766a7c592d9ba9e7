"""Operations: every change to a board, as a value, applied by one pure function.

The TUI, the command line, undo/redo and concurrent saves all go through
`apply(board, op)`. An operation states an intent ("move card X after card Y"), not a
finished result, so a save can re-apply it to a board that someone else changed in
the meantime. `apply_with_inverse` also returns the operation that undoes it; the
inverse is derived from what actually changed (field by field), so it touches only
what the operation touched.

Operations raise `OpError` with a one-line message when they cannot apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from . import fields, rank
from . import rounds as round_rules
from .i18n import _, ngettext
from .labels import stage_label
from .model import (
    Board,
    Card,
    HistoryEntry,
    Member,
    Round,
    Stage,
    as_utc,
    card_fields,
    describe_error,
    is_key,
    new_id,
)


class OpError(Exception):
    """An operation that cannot apply to this board; the message is for the user."""


def now() -> datetime:
    return as_utc(datetime.now(UTC))


EDITABLE = fields.EDITABLE
"""Card fields a person edits directly (stage and rank change by moving)."""

BOARD_FIELDS = ("title", "challenge", "goal", "start", "end", "facilitators", "wip")
"""Board frame fields `EditBoard` sets."""


@dataclass(frozen=True)
class AddCard:
    """A new card, placed at the end of its column unless `before`/`after` say where."""

    title: str
    stage: Stage = Stage.IDEA
    tags: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    body: str = ""
    before: str | None = None
    after: str | None = None
    card_id: str = field(default_factory=new_id)
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class EditCard:
    """Set some of a card's `EDITABLE` fields; `updated` follows when anything changed."""

    card_id: str
    changes: Mapping[str, Any]
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class MoveCard:
    """Put a card into `stage`: before or after another card of it, else at its end."""

    card_id: str
    stage: Stage
    before: str | None = None
    after: str | None = None
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class ArchiveCard:
    """Archive a card (hidden, kept), or restore it with `archived=False`."""

    card_id: str
    archived: bool = True
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class DeleteCard:
    """Remove a card from the board for good (archiving keeps it)."""

    card_id: str


@dataclass(frozen=True)
class Vote:
    """Set how many dots `member` gives a card; 0 takes their vote back.

    Inside the open round (`rounds.open_round`) the round's rules apply: only its stage's
    cards, within the member's budget, not after its `until` (judged at `at`).
    """

    card_id: str
    member: str
    dots: int
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class StartRound:
    """Open a dot-vote round on `stage`: `dots` per member, optionally until a time.

    Clears the dots already on the stage's cards (every dot back in hand; the last
    round's result stays in its table); undo brings them back.
    """

    stage: Stage = Stage.IDEA
    dots: int = 3
    anonymous: bool = False
    until: datetime | None = None
    round_id: str = field(default_factory=new_id)
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class CloseRound:
    """Close the open round: record its result and order its stage by dots, most first."""

    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class SetRound:
    """Put a round back exactly as given, or remove it (None): what undo applies."""

    round_id: str
    round: Round | None


@dataclass(frozen=True)
class SetMember:
    """Add a member, or replace what the board says of one."""

    key: str
    name: str
    side: str
    role: str | None = None


@dataclass(frozen=True)
class RemoveMember:
    """Remove a member nobody on the board refers to; with `drop_references`, also take
    them off every card's co-creators and votes and out of the facilitators, in one step
    (the inverse puts all of it back)."""

    key: str
    drop_references: bool = False


@dataclass(frozen=True)
class EditBoard:
    """Set some of the board's frame: `BOARD_FIELDS`."""

    changes: Mapping[str, Any]


@dataclass(frozen=True)
class PutCard:
    """Insert or replace a whole card as given (restores a deleted card)."""

    card_id: str
    card: Card


@dataclass(frozen=True)
class SetCardFields:
    """Set card fields exactly as given, `updated` included: what undo applies."""

    card_id: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ResolveConflict:
    """Decide a field a git merge left in conflict (`Card.conflicts`) and clear the mark.

    `take` is "ours" or "theirs" (the values the merge kept) or "value" (use `value`).
    For `deleted`, taking the side that deleted the card deletes it; for `archived`,
    the side that archived it archives it.
    """

    card_id: str
    name: str
    """The field in conflict: one of `model.CONFLICT_FIELDS`."""
    take: str = "ours"
    value: Any = None
    actor: str = ""
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class Batch:
    """Several operations applied in order, as one step."""

    ops: tuple[Op, ...]


Op = (
    AddCard
    | EditCard
    | MoveCard
    | ArchiveCard
    | DeleteCard
    | Vote
    | StartRound
    | CloseRound
    | SetRound
    | SetMember
    | RemoveMember
    | EditBoard
    | PutCard
    | SetCardFields
    | ResolveConflict
    | Batch
)


def apply(board: Board, op: Op) -> Board:
    """The board after `op`. Pure: `board` is not changed."""
    match op:
        case AddCard():
            return _add(board, op)
        case EditCard():
            return _edit(board, op)
        case MoveCard():
            return _move(board, op)
        case ArchiveCard():
            card_id, card = _card(board, op.card_id)
            if card.archived == op.archived and "archived" not in card.conflicts:
                return board
            changes = {"archived": op.archived, "updated": op.at, **_decided(card, "archived")}
            return _with_card(board, card_id, card, changes)
        case DeleteCard():
            card_id, _card_deleted = _card(board, op.card_id)
            cards = dict(board.cards)
            del cards[card_id]
            return board.model_copy(update={"cards": cards})
        case Vote():
            return _vote(board, op)
        case StartRound():
            return _start_round(board, op)
        case CloseRound():
            return _close_round(board, op)
        case SetRound():
            return _set_round(board, op)
        case SetMember():
            return _set_member(board, op)
        case RemoveMember():
            return _remove_member(board, op)
        case EditBoard():
            return _edit_board(board, op)
        case PutCard():
            _check_members(board, op.card, _("card {id}: ").format(id=op.card_id))
            return board.model_copy(update={"cards": {**board.cards, op.card_id: op.card}})
        case SetCardFields():
            card_id, card = _card(board, op.card_id)
            return _with_card(board, card_id, card, dict(op.fields))
        case ResolveConflict():
            return _resolve(board, op)
        case Batch():
            for each in op.ops:
                board = apply(board, each)
            return board


def apply_with_inverse(board: Board, op: Op) -> tuple[Board, Op]:
    """The board after `op`, and the operation that brings `board` back."""
    after = apply(board, op)
    return after, invert(board, after)


def invert(before: Board, after: Board) -> Op:
    """An operation turning `after` back into `before`, touching only what differs."""
    restore_members: list[Op] = []
    drop_members: list[Op] = []
    for key, member in before.members.items():
        if after.members.get(key) != member:
            restore_members.append(SetMember(key, member.name, member.side.value, member.role))
    drop_members.extend(RemoveMember(key) for key in after.members if key not in before.members)

    frame = {name: value for name, value in before.frame().items() if after.frame()[name] != value}
    board_ops: list[Op] = [EditBoard(frame)] if frame else []

    card_ops: list[Op] = []
    for card_id, card in after.cards.items():
        old = before.cards.get(card_id)
        if old is None:
            card_ops.append(DeleteCard(card_id))
        elif old is not card and old != card:
            fields = {
                name: value
                for name, value in card_fields(old).items()
                if getattr(card, name) != value
            }
            card_ops.append(SetCardFields(card_id, fields))
    card_ops.extend(
        PutCard(card_id, card)
        for card_id, card in before.cards.items()
        if card_id not in after.cards
    )
    round_ops: list[Op] = [
        SetRound(round_id, before.rounds.get(round_id))
        for round_id in sorted(before.rounds.keys() | after.rounds.keys())
        if before.rounds.get(round_id) != after.rounds.get(round_id)
    ]
    steps = (*restore_members, *board_ops, *round_ops, *card_ops, *drop_members)
    return steps[0] if len(steps) == 1 else Batch(steps)


# --- cards -------------------------------------------------------------------------


def _card(board: Board, prefix: str) -> tuple[str, Card]:
    try:
        card_id = board.resolve_id(prefix)
    except LookupError as error:
        raise OpError(str(error)) from None
    return card_id, board.cards[card_id]


def _with_card(board: Board, card_id: str, card: Card, changes: dict[str, Any]) -> Board:
    """`board` with `card` changed as said, validated like a card read from a file."""
    try:
        new = Card.model_validate({**card_fields(card), **changes})
    except ValidationError as error:
        first = error.errors()[0]
        where = _("card {id}: ").format(id=card_id)
        raise OpError(where + describe_error(first)) from None
    _check_members(board, new, _("card {id}: ").format(id=card_id))
    return board.model_copy(update={"cards": {**board.cards, card_id: new}})


def _check_members(board: Board, card: Card, where: str) -> None:
    for key in (*card.by, *card.votes):
        if key not in board.members:
            known = ", ".join(sorted(board.members)) or _("none yet")
            raise OpError(
                where
                + _("'{key}' is not a member of this board (members: {known})").format(
                    key=key, known=known
                )
            )


def _add(board: Board, op: AddCard) -> Board:
    if op.card_id in board.cards:
        raise OpError(_("card id {id} is already on the board").format(id=op.card_id))
    stage = Stage(op.stage)
    ranks = _place(board, op.card_id, stage, op.before, op.after)
    fields = {
        "title": op.title,
        "stage": stage,
        "rank": ranks.pop(op.card_id),
        "created": op.at,
        "updated": op.at,
        "by": list(op.by),
        "tags": list(op.tags),
        "body": op.body,
        "history": [HistoryEntry(at=op.at, by=op.actor or "unknown", stage=stage)],
    }
    try:
        card = Card.model_validate(fields)
    except ValidationError as error:
        raise OpError(_("new card: ") + describe_error(error.errors()[0])) from None
    _check_members(board, card, "")  # the card is not made: no id to name
    cards = {**board.cards, op.card_id: card}
    _rerank(cards, ranks)
    return board.model_copy(update={"cards": cards})


def _edit(board: Board, op: EditCard) -> Board:
    card_id, card = _card(board, op.card_id)
    unknown = [name for name in op.changes if name not in EDITABLE]
    if unknown:
        raise OpError(
            _("'{name}' is not a field you can edit (fields: {fields})").format(
                name=unknown[0], fields=", ".join(EDITABLE)
            )
        )
    changes = {k: v for k, v in op.changes.items() if getattr(card, k) != v}
    decided = _decided(card, *op.changes)  # setting a field decides its conflict
    if not changes and not decided:
        return board
    return _with_card(board, card_id, card, {**changes, **decided, "updated": op.at})


def _move(board: Board, op: MoveCard) -> Board:
    card_id, card = _card(board, op.card_id)
    stage = Stage(op.stage)
    ranks = _place(board, card_id, stage, op.before, op.after)
    changes: dict[str, Any] = {"rank": ranks.pop(card_id), "updated": op.at}
    changes.update(_decided(card, "stage"))  # moving a card decides its stage
    if stage != card.stage:
        changes["stage"] = stage
        entry = HistoryEntry(at=op.at, by=op.actor or "unknown", stage=stage)
        changes["history"] = [*card.history, entry]
    elif changes["rank"] == card.rank and not ranks and "conflicts" not in changes:
        return board
    board = _with_card(board, card_id, card, changes)
    if ranks:
        cards = dict(board.cards)
        _rerank(cards, ranks)
        board = board.model_copy(update={"cards": cards})
    return board


def _decided(card: Card, *names: str) -> dict[str, Any]:
    """The `conflicts` change that clears `names`, or nothing when none is in conflict."""
    if not any(name in card.conflicts for name in names):
        return {}
    return {"conflicts": {k: v for k, v in card.conflicts.items() if k not in names}}


def _resolve(board: Board, op: ResolveConflict) -> Board:
    card_id, card = _card(board, op.card_id)
    conflict = card.conflicts.get(op.name)
    if conflict is None:
        marked = ", ".join(sorted(card.conflicts)) or _("none")
        raise OpError(
            _("card {id} has no conflict in '{name}' (conflicts: {marked})").format(
                id=card_id, name=op.name, marked=marked
            )
        )
    if op.take not in ("ours", "theirs", "value"):
        raise OpError(_("take 'ours', 'theirs' or 'value', not '{take}'").format(take=op.take))
    value = {"ours": conflict.ours, "theirs": conflict.theirs}.get(op.take, op.value)
    changes: dict[str, Any] = {**_decided(card, op.name), "updated": op.at}
    if op.name == "deleted":
        if value is True:
            return apply(board, DeleteCard(card_id))
    elif op.name == "stage":
        try:
            stage = Stage(value)
        except ValueError:
            raise OpError(
                _("card {id}: '{value}' is not a stage").format(id=card_id, value=value)
            ) from None
        if stage != card.stage:  # to the end of that column, as a move there would
            return apply(board, MoveCard(card_id, stage, actor=op.actor, at=op.at))
    else:
        changes[op.name] = value
    return _with_card(board, card_id, card, changes)


def _place(
    board: Board, card_id: str, stage: Stage, before: str | None, after: str | None
) -> dict[str, str]:
    """New ranks putting `card_id` into `stage` at the spot asked for.

    Usually only the card's own rank; the whole column's when the spot has no room
    left (equal neighbours after a merge, or a key grown past `rank.MAX_LENGTH`).
    """
    if before is not None and after is not None:
        raise OpError(_("give a card to go before or one to go after, not both"))
    # the column's cards only, then sorted: a quarter of the board, not all of it
    column = sorted(
        ((cid, c) for cid, c in board.cards.items() if c.stage == stage and cid != card_id),
        key=lambda item: (item[1].rank, item[0]),
    )
    ids = [cid for cid, _card_there in column]
    anchor = before if before is not None else after
    if anchor is None:
        index = len(column)
    else:
        anchor_id, anchor_card = _card(board, anchor)
        if anchor_id == card_id:
            raise OpError(_("card {id} cannot be placed next to itself").format(id=card_id))
        if anchor_card.stage != stage:
            raise OpError(
                _("card {id} is in {stage}, not in {wanted}").format(
                    id=anchor_id,
                    stage=stage_label(anchor_card.stage),
                    wanted=stage_label(stage),
                )
            )
        index = ids.index(anchor_id) + (0 if before is not None else 1)
    low = column[index - 1][1].rank if index > 0 else None
    high = column[index][1].rank if index < len(column) else None
    if low is None or high is None or low < high:
        key = rank.between(low, high)
        if len(key) <= rank.MAX_LENGTH:
            return {card_id: key}
    ids.insert(index, card_id)
    return dict(zip(ids, rank.spread(len(ids)), strict=True))


def _rerank(cards: dict[str, Card], ranks: Mapping[str, str]) -> None:
    for cid, key in ranks.items():
        cards[cid] = cards[cid].model_copy(update={"rank": key})


def _vote(board: Board, op: Vote) -> Board:
    card_id, card = _card(board, op.card_id)
    if op.member not in board.members:
        raise OpError(
            _("'{key}' is not a member of the board, so cannot vote").format(key=op.member)
        )
    if not 0 <= op.dots <= 99:
        raise OpError(_("dots must be between 0 and 99, not {dots}").format(dots=op.dots))
    before = card.votes.get(op.member, 0)
    if op.dots > before:
        if card.archived:
            raise OpError(
                _("Card {id} is archived: restore it before voting for it").format(id=card_id)
            )
        _check_round(board, card_id, card, op, before)
    votes = {k: v for k, v in card.votes.items() if k != op.member}
    if op.dots:
        votes[op.member] = op.dots
    votes = dict(sorted(votes.items()))
    if votes == card.votes:
        return board
    return _with_card(board, card_id, card, {"votes": votes})


def _check_round(board: Board, card_id: str, card: Card, op: Vote, before: int) -> None:
    """Refuse a vote the open round does not allow: outside its stage, after its end,
    beyond the member's budget. Taking dots back is never refused (no dot is trapped)."""
    found = round_rules.open_round(board)
    if found is None:
        return
    _rid, round_ = found
    if card.stage != round_.stage:
        raise OpError(
            _("This round votes on {stage}; card {id} is in {there}").format(
                stage=stage_label(round_.stage), id=card_id, there=stage_label(card.stage)
            )
        )
    if round_rules.ended(round_, op.at):
        assert round_.until is not None  # open and ended: past its until
        raise OpError(
            _("The round ended at {time}").format(time=round_rules.local_time(round_.until, op.at))
        )
    left = round_.dots - round_rules.dots_used(board, op.member)
    if op.dots - before > left:
        raise OpError(
            # the form follows the dots left, not the round's total: "1 dot left (of 3)"
            ngettext(
                "You have {left} dot left in this round (of {dots})",
                "You have {left} dots left in this round (of {dots})",
                max(0, left),
            ).format(left=max(0, left), dots=round_.dots)
        )


# --- dot-vote rounds ---------------------------------------------------------------


def _start_round(board: Board, op: StartRound) -> Board:
    found = round_rules.open_round(board)
    if found is not None:
        raise OpError(
            _("A vote round on {stage} is already open: close it before starting another").format(
                stage=stage_label(found[1].stage)
            )
        )
    if not 1 <= op.dots <= 99:
        raise OpError(_("dots must be between 1 and 99, not {dots}").format(dots=op.dots))
    if op.until is not None and as_utc(op.until) <= as_utc(op.at):
        raise OpError(
            _("The round's end time {time} is not in the future").format(
                time=round_rules.local_time(op.until, op.at)
            )
        )
    if op.round_id in board.rounds:
        raise OpError(_("round id {id} is already on the board").format(id=op.round_id))
    try:
        round_ = Round.model_validate(
            {
                "stage": Stage(op.stage),
                "dots": op.dots,
                "anonymous": op.anonymous,
                "opened": op.at,
                "by": op.actor or "unknown",
                "until": op.until,
            }
        )
        _check_key(op.round_id)
    except (ValidationError, ValueError) as error:
        message = (
            describe_error(error.errors()[0]) if isinstance(error, ValidationError) else str(error)
        )
        raise OpError(_("round: ") + message) from None
    # every dot back in hand: the round starts fresh (undo brings the old dots back)
    cards = dict(board.cards)
    for card_id, card in board.cards.items():
        if card.stage == round_.stage and card.votes:
            cards[card_id] = card.model_copy(update={"votes": {}})
    rounds = dict(sorted({**board.rounds, op.round_id: round_}.items()))
    return board.model_copy(update={"rounds": rounds, "cards": cards})


def _check_key(key: str) -> None:
    if not is_key(key):
        raise ValueError(_("'{key}' is not a valid id").format(key=key))


def _close_round(board: Board, op: CloseRound) -> Board:
    found = round_rules.open_round(board)
    if found is None:
        raise OpError(_("No vote round is open"))
    round_id, round_ = found
    counted = round_rules.ranked(board, round_)
    result = {cid: dots for cid, dots in sorted(counted) if dots}
    closed_at = max(as_utc(op.at), as_utc(round_.opened))  # a skewed clock never makes it invalid
    closed = round_.model_copy(update={"closed": closed_at, "result": result})
    cards = dict(board.cards)
    _rerank(cards, _reorder(board.column(round_.stage), [cid for cid, _d in counted]))
    return board.model_copy(update={"rounds": {**board.rounds, round_id: closed}, "cards": cards})


def _reorder(column: list[tuple[str, Card]], order: list[str]) -> dict[str, str]:
    """New ranks putting `column` (in board order) into `order`, moving as few cards as
    it can: the longest run of cards already in the right relative order keeps its
    ranks, so a merge with someone else's moves touches few cards; each run of moved
    cards between two kept ones gets keys spaced evenly between theirs. When the ranks
    leave no room, the whole column is respaced (`rank.spread`)."""
    if [cid for cid, _c in column] == order:
        return {}
    ranks = {cid: card.rank for cid, card in column}
    position = {cid: i for i, (cid, _c) in enumerate(column)}
    staying = {order[i] for i in _longest_increasing([position[cid] for cid in order])}
    new: dict[str, str] = {}
    low: str | None = None
    run: list[str] = []
    for cid in [*order, None]:  # None: the open end, after the last card
        if cid is not None and cid not in staying:
            run.append(cid)
            continue
        high = ranks[cid] if cid is not None else None
        if run:
            try:
                keys = rank.spaced(low, high, len(run))
            except ValueError:  # equal ranks (a merge can leave them): no room
                keys = []
            if not keys or max(map(len, keys)) > rank.MAX_LENGTH:
                return dict(zip(order, rank.spread(len(order)), strict=True))
            new.update(zip(run, keys, strict=True))
            run = []
        low = high
    return new


def _longest_increasing(values: list[int]) -> list[int]:
    """Indexes into `values` of a longest strictly increasing subsequence (patience)."""
    tails: list[int] = []  # index of the smallest tail of each length
    back: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if values[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        back[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    chain: list[int] = []
    i = tails[-1] if tails else -1
    while i != -1:
        chain.append(i)
        i = back[i]
    return chain[::-1]


def _set_round(board: Board, op: SetRound) -> Board:
    rounds = {k: v for k, v in board.rounds.items() if k != op.round_id}
    if op.round is not None:
        try:
            _check_key(op.round_id)
        except ValueError as error:
            raise OpError(_("round: ") + str(error)) from None
        rounds[op.round_id] = op.round
    return board.model_copy(update={"rounds": dict(sorted(rounds.items()))})


# --- members and the board frame ---------------------------------------------------


def _set_member(board: Board, op: SetMember) -> Board:
    try:
        member = Member.model_validate({"name": op.name, "side": op.side, "role": op.role})
        Board.model_validate({"schema": 1, "title": "x", "members": {op.key: member}})
    except ValidationError as error:
        where = _("member {key}: ").format(key=op.key)
        raise OpError(where + describe_error(error.errors()[0])) from None
    members = dict(sorted({**board.members, op.key: member}.items()))
    return board.model_copy(update={"members": members})


def _remove_member(board: Board, op: RemoveMember) -> Board:
    if op.key not in board.members:
        raise OpError(_("'{key}' is not a member of the board").format(key=op.key))
    if op.drop_references:
        board = _without_references(board, op.key)
    users = [cid for cid, c in board.cards.items() if op.key in c.by or op.key in c.votes]
    if users:
        raise OpError(
            _("member '{key}' is still named in cards {ids}").format(
                key=op.key, ids=", ".join(sorted(users)[:5])
            )
        )
    if op.key in board.sprint.facilitators:
        raise OpError(_("member '{key}' is still named in the facilitators").format(key=op.key))
    members = {k: v for k, v in board.members.items() if k != op.key}
    return board.model_copy(update={"members": members})


def _without_references(board: Board, key: str) -> Board:
    """`board` with member `key` taken off every card (archived ones too) and out of the
    facilitators. A card's `updated` stays: the card's own content did not change."""
    cards = dict(board.cards)
    for cid, card in board.cards.items():
        if key in card.by or key in card.votes:
            by = [k for k in card.by if k != key]
            votes = {k: v for k, v in card.votes.items() if k != key}
            cards[cid] = card.model_copy(update={"by": by, "votes": votes})
    facilitators = [k for k in board.sprint.facilitators if k != key]
    sprint = board.sprint.model_copy(update={"facilitators": facilitators})
    return board.model_copy(update={"cards": cards, "sprint": sprint})


def _edit_board(board: Board, op: EditBoard) -> Board:
    unknown = [name for name in op.changes if name not in BOARD_FIELDS]
    if unknown:
        raise OpError(
            _("'{name}' is not a board field (fields: {fields})").format(
                name=unknown[0], fields=", ".join(BOARD_FIELDS)
            )
        )
    frame = {**board.frame(), **op.changes}
    data = {
        "schema": board.schema_,
        "title": frame["title"],
        "challenge": frame["challenge"],
        "goal": frame["goal"],
        "sprint": {
            "start": frame["start"],
            "end": frame["end"],
            "facilitators": list(frame["facilitators"]),
        },
        "wip": dict(frame["wip"]),
        "members": board.members,
    }
    try:
        checked = Board.model_validate(data)
    except ValidationError as error:
        raise OpError(_("board: ") + describe_error(error.errors()[0])) from None
    return board.model_copy(
        update={
            "title": checked.title,
            "challenge": checked.challenge,
            "goal": checked.goal,
            "sprint": checked.sprint,
            "wip": checked.wip,
        }
    )
