"""What the board screen shows of a board, worked out without Textual.

Per column: its cards in order (filtered, archived ones only when asked), its counts
and its title; and, between two versions of a board, which stages and which card a
change touched — so that a move redraws two columns, not four, and undo can put
the cursor on the card it changed back and say what it undid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..fields import EDITABLE, in_group
from ..model import Board, Card, Stage
from .notices import quoted


def column_title(stage: Stage, shown: int, total: int, limit: int | None, filtered: bool) -> str:
    """A column's title: its stage, how many cards it holds, and its WIP limit."""
    return column_titles(stage, shown, total, limit, filtered)[0]


def column_titles(
    stage: Stage, shown: int, total: int, limit: int | None, filtered: bool
) -> list[str]:
    """A column's title, longest form first, for the column to take the first that fits.

    "prototype 1 of 3/2 !", "…3/2!", without the limit, only the cards shown, the
    stage alone: a narrow column shortens its title rather than cut a word (a column
    over its limit is also drawn in reverse).
    """
    over = limit is not None and total > limit
    count = f"{shown} of {total}" if filtered else str(total)
    per_limit = f"/{limit}" if limit is not None else ""
    forms = [
        f"{stage.value} {count}{per_limit}{' !' if over else ''}",
        f"{stage.value} {count}{per_limit}{'!' if over else ''}",
        f"{stage.value} {count}{'!' if over else ''}",
        f"{stage.value} {shown}{'!' if over else ''}",
        stage.value,
    ]
    return list(dict.fromkeys(forms))


def changed_card(before: Board | None, after: Board) -> str | None:
    """The id of a card that differs between the two boards (added or changed), if any."""
    if before is None:
        return None
    old = before.cards
    for card_id, card in after.cards.items():
        if old.get(card_id) is not card:
            return card_id
    return None


@dataclass(frozen=True)
class StageView:
    """What one column shows of the board: its cards in order, and its counts."""

    cards: list[tuple[str, Card]]
    total: int
    """Cards in the stage, archived ones left out (what the WIP limit counts)."""
    archived: int
    conflicted: int = 0
    """Cards in the stage a git merge left with a field to decide (hidden ones too)."""


def changed_stages(before: Board, after: Board) -> set[Stage]:
    """The stages holding a card that was added, removed or changed between the boards."""
    stages: set[Stage] = set()
    old = before.cards
    for card_id, card in after.cards.items():
        was = old.get(card_id)
        if was is not card:
            stages.add(card.stage)
            if was is not None:
                stages.add(was.stage)
    if stages or len(old) != len(after.cards):  # else nothing can have been removed
        for card_id in old.keys() - after.cards.keys():
            stages.add(old[card_id].stage)
    return stages


def stage_views(
    board: Board,
    stages: set[Stage],
    test: Callable[[Card], bool] | None,
    archived: bool,
    keep: frozenset[str] = frozenset(),
) -> dict[Stage, StageView]:
    """The views of `stages`: cards filtered by `test` (and archived ones if asked), in order.

    The cards in `keep` are shown whatever `test` says (a card just added while a
    filter it does not match is on: it must not vanish under the user's eyes).
    """
    shown: dict[Stage, list[tuple[str, Card]]] = {stage: [] for stage in stages}
    totals = dict.fromkeys(stages, 0)
    hidden = dict.fromkeys(stages, 0)
    conflicted = dict.fromkeys(stages, 0)
    for card_id, card in board.cards.items():
        stage = card.stage
        if stage not in shown:
            continue
        if card.conflicts:
            conflicted[stage] += 1
        if card.archived:
            hidden[stage] += 1
            if not archived:
                continue
        else:
            totals[stage] += 1
        if test is None or card_id in keep or test(card):
            shown[stage].append((card_id, card))
    for cards in shown.values():
        cards.sort(key=lambda item: (item[1].rank, item[0]))
    return {
        stage: StageView(shown[stage], totals[stage], hidden[stage], conflicted[stage])
        for stage in stages
    }


def column_subtitle(view: StageView, show_archived: bool) -> str:
    """The line under a column: archived cards (when shown) and cards to decide."""
    parts = []
    if show_archived and view.archived:
        parts.append(f"{view.archived} archived")
    if view.conflicted:
        parts.append(f"{view.conflicted} to decide")
    return " · ".join(parts)


def decisions_text(count: int) -> str:
    """What the board says while cards wait for a decision after a git merge."""
    if not count:
        return ""
    cards = "1 card needs" if count == 1 else f"{count} cards need"
    return f"! {cards} a decision after a merge: open a card marked “! decide” to choose"


PART_NAMES = {
    **{name: name for name in in_group("card")},
    "by": "co-creators",
    "body": "notes",
    **dict.fromkeys(in_group("experiment"), "experiment"),
    **dict.fromkeys(in_group("learning"), "learning"),
}
"""What undo and redo call an edited field (the experiment and learning as wholes)."""


def describe_change(before: Board, after: Board) -> str:
    """What was done to a card between the two boards, in words.

    For undo and redo: "moved “Music studio” to test", "archived “…”", "edited the
    title and tags of “…”". Undo says it of the change it took back (from the board
    after it to the one before), redo of the change it made again.
    """
    card_id = changed_card(before, after)
    if card_id is None:
        card_id = next(iter(before.cards.keys() - after.cards.keys()), None)
    was = before.cards.get(card_id) if card_id is not None else None
    now = after.cards.get(card_id) if card_id is not None else None
    if now is None:
        return f"deleted {quoted(was.title)}" if was is not None else "a change"
    title = quoted(now.title)
    if was is None:
        return f"added {title}"
    if was.archived != now.archived:
        return f"{'archived' if now.archived else 'restored'} {title}"
    if was.stage is not now.stage:
        return f"moved {title} to {now.stage.value}"
    if len(now.conflicts) < len(was.conflicts):
        return f"decided a field of {title}"
    parts = dict.fromkeys(
        PART_NAMES[name] for name in EDITABLE if getattr(was, name) != getattr(now, name)
    )
    if parts:
        names = list(parts)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"edited the {listed} of {title}"
    if was.rank != now.rank:
        return f"moved {title} within {now.stage.value}"
    return f"changed {title}"
