"""Three-way merge of a board's dot-vote rounds (`Board.rounds`), for `merge`.

Round by round (by id), field by field. What one side changed is taken from it (a
round one side closed is closed, with that side's result). Both closed it: the earlier
``closed``, with that side's result, and a note. Other fields changed differently on
both sides: the value that sorts first, with a note. One side closed a round the other
side voted in: closed, with the closing side's result, and a note (the other side's
dots are on the cards, merged member by member, not in the result). Two rounds left
open (each side started one): both kept, the one opened last is the open round
(`rounds.open_round`), and a note. Pure: no files, no git.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from .i18n import _
from .model import Board, Round
from .three_way import ABSENT, merge_mapping, noted_first, three

_ROUND_FIELDS = ("stage", "dots", "anonymous", "opened", "by", "until")
"""Round fields merged one by one; `closed` and `result` go together."""


def merge_rounds(
    base: Board | None, ours: Board, theirs: Board, notes: list[str]
) -> dict[str, Round]:
    old = base.rounds if base is not None else {}

    def both(key: str, o: Round | None, t: Round | None) -> Round | None:
        if o is None or t is None:
            return o if o is not None else t  # undone on one side, changed on the other
        return _merge_round(key, old.get(key), o, t, notes)

    merged = merge_mapping(old, ours.rounds, theirs.rounds, both)
    for key, round_ in merged.items():
        was = old.get(key)
        if round_.closed is None or (was is not None and was.closed is not None):
            continue
        for side, other in ((ours, theirs), (theirs, ours)):
            closer, voter = side.rounds.get(key), other.rounds.get(key)
            if closer is None or closer.closed is None or voter is None or voter.closed:
                continue
            if _voted_in(base, other, voter):
                notes.append(
                    _(
                        "round {id} was closed on one side while the other side voted in it; "
                        "its result counts the closing side's dots, the other side's are on "
                        "the cards"
                    ).format(id=key)
                )
    open_rounds = sorted(key for key, r in merged.items() if r.closed is None)
    if len(open_rounds) > 1:
        notes.append(
            _(
                "rounds {ids} are all open after the merge; the one opened last is the open round"
            ).format(ids=", ".join(open_rounds))
        )
    return merged


def _voted_in(base: Board | None, side: Board, round_: Round) -> bool:
    """Whether `side` changed any dots on `round_`'s stage since `base`."""
    old = base.cards if base is not None else {}
    for cid, card in side.cards.items():
        if card.stage != round_.stage:
            continue
        before = old.get(cid)
        if card.votes != (before.votes if before is not None else {}):
            return True
    return False


def _field_note(key: str, name: str, kept: Any) -> str:
    return _("round {id}: {name} was changed differently on both sides; kept '{kept}'").format(
        id=key, name=name, kept=kept
    )


def _merge_round(
    key: str, base: Round | None, ours: Round, theirs: Round, notes: list[str]
) -> Round:
    values: dict[str, Any] = {}
    for name in _ROUND_FIELDS:
        differ: Any = noted_first(notes, partial(_field_note, key, name))
        old = getattr(base, name) if base is not None else ABSENT
        values[name] = three(old, getattr(ours, name), getattr(theirs, name), differ)

    def earlier(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
        if a[0] is None or b[0] is None:
            return a if a[0] is not None else b  # one side closed it: closed
        notes.append(
            _("round {id} was closed on both sides; kept the earlier close and its result").format(
                id=key
            )
        )
        return min(a, b)

    old_close = _close(base) if base is not None else ABSENT
    closed, result = three(old_close, _close(ours), _close(theirs), earlier)
    values["closed"], values["result"] = closed, dict(result)
    try:
        return Round.model_validate(values)
    except ValueError:  # a mix of sides whose times disagree: keep one side's round whole
        kept = min((ours, theirs), key=lambda r: r.model_dump_json())
        notes.append(
            _("round {id} was changed differently on both sides; kept one side's").format(id=key)
        )
        return kept


def _close(round_: Round) -> tuple[Any, ...]:
    """A round's close as one value: when, and the result (comparable, blind to sides)."""
    return (round_.closed, tuple(sorted(round_.result.items())))
