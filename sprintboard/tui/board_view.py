"""What the board screen shows of a board, worked out without Textual.

Per column: its cards in order (filtered, archived ones only when asked), its counts
and its title; and, between two versions of a board, which stages and which card a
change touched — so that a move redraws two columns, not four, and undo can put
the cursor on the card it changed back and say what it undid. Also the screen's
lines about the file itself: opening it, why it cannot be opened, why changes are
not on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..fields import EDITABLE, in_group
from ..i18n import N_, _, ngettext
from ..labels import stage_label
from ..safe_text import visible
from ..vocabulary import Stage
from .notices import joined, quoted

if TYPE_CHECKING:
    from ..model import Board
    from ..storage import BoardFileError
    from .faces import BoardLike, CardLike


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
    name = stage_label(stage)
    count = _("{shown} of {total}").format(shown=shown, total=total) if filtered else str(total)
    per_limit = f"/{limit}" if limit is not None else ""
    forms = [
        f"{name} {count}{per_limit}{' !' if over else ''}",
        f"{name} {count}{per_limit}{'!' if over else ''}",
        f"{name} {count}{'!' if over else ''}",
        f"{name} {shown}{'!' if over else ''}",
        name,
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

    cards: list[tuple[str, CardLike]]
    total: int
    """Cards in the stage, archived ones left out (what the WIP limit counts)."""
    archived: int
    conflicted: int = 0
    """Cards in the stage a git merge left with a field to decide (hidden ones too)."""


def changed_stages(before: BoardLike, after: BoardLike) -> set[Stage]:
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
    board: BoardLike,
    stages: set[Stage],
    test: Callable[[CardLike], bool] | None,
    archived: bool,
    keep: frozenset[str] = frozenset(),
) -> dict[Stage, StageView]:
    """The views of `stages`: cards filtered by `test` (and archived ones if asked), in order.

    The cards in `keep` are shown whatever `test` says (a card just added while a
    filter it does not match is on: it must not vanish under the user's eyes).
    """
    shown: dict[Stage, list[tuple[str, CardLike]]] = {stage: [] for stage in stages}
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
        # one form in English, but not in every language ("1 arkiveret", "2 arkiverede");
        # no noun: a column is some 20 characters wide
        n = view.archived
        parts.append(ngettext("{n} archived", "{n} archived", n).format(n=n))
    if view.conflicted:
        n = view.conflicted
        parts.append(ngettext("{n} to decide", "{n} to decide", n).format(n=n))
    return " · ".join(parts)


def decisions_text(count: int) -> str:
    """What the board says while cards wait for a decision after a git merge."""
    if not count:
        return ""
    text = ngettext(
        "! {n} card needs a decision after a merge: open a card marked “! decide” to choose",
        "! {n} cards need a decision after a merge: open a card marked “! decide” to choose",
        count,
    )
    return text.format(n=count)


def opening_text(path: Path) -> str:
    """What the screen says while the board file is read."""
    return visible(_("Opening {path} …").format(path=path))


def problem_text(error: BoardFileError | None) -> str | None:
    """Why the board cannot be opened, shown instead of the columns (None: it can)."""
    if error is None:
        return None
    lines = [
        _("This board cannot be opened:"),
        "",
        *error.lines(),
        "",
        _("Fix the file: the board opens as soon as it is valid. q quits."),
    ]
    return visible("\n".join(lines), lines=True)


def banner_text(error: BoardFileError | None, pending: int) -> str | None:
    """Why changes are not on disk, with how many wait (None: they are on disk)."""
    if error is None:
        return None
    if error.problems:  # the file is there but invalid: a half-saved edit, a bad merge
        lines = error.lines()
        shown = lines[:3]
        if len(lines) > 3:
            shown.append(_("and {n} more").format(n=len(lines) - 3))
        if pending:
            waiting = ngettext(
                "{n} change waiting: saved as soon as the file is valid again.",
                "{n} changes waiting: saved as soon as the file is valid again.",
                pending,
            ).format(n=pending)
        else:
            waiting = _("Changes you make wait: saved as soon as the file is valid again.")
        text = "\n".join(
            [
                _("The board file is invalid: showing the last good board, writing nothing."),
                *shown,
                waiting,
            ]
        )
    else:
        if pending:
            kept = ngettext(
                "{n} change kept here; saving again as soon as the file can be written.",
                "{n} changes kept here; saving again as soon as the file can be written.",
                pending,
            ).format(n=pending)
        else:
            kept = _("Your changes kept here; saving again as soon as the file can be written.")
        text = _("Not saved: {error}").format(error=error) + "\n" + kept
    return visible(text, lines=True)


PART_NAMES = {
    "title": N_("title"),
    "tags": N_("tags"),
    "by": N_("co-creators"),
    "body": N_("notes"),
    **dict.fromkeys(in_group("experiment"), N_("experiment")),
    **dict.fromkeys(in_group("learning"), N_("learning")),
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
        return (
            _("deleted {title}").format(title=quoted(was.title))
            if was is not None
            else _("a change")
        )
    title = quoted(now.title)
    if was is None:
        return _("added {title}").format(title=title)
    if was.archived != now.archived:
        done = _("archived {title}") if now.archived else _("restored {title}")
        return done.format(title=title)
    if was.stage is not now.stage:
        return _("moved {title} to {stage}").format(title=title, stage=stage_label(now.stage))
    if len(now.conflicts) < len(was.conflicts):
        return _("decided a field of {title}").format(title=title)
    parts = dict.fromkeys(
        _(PART_NAMES[name]) for name in EDITABLE if getattr(was, name) != getattr(now, name)
    )
    if parts:
        return _("edited the {fields} of {title}").format(fields=joined(list(parts)), title=title)
    if was.rank != now.rank:
        return _("moved {title} within {stage}").format(title=title, stage=stage_label(now.stage))
    return _("changed {title}").format(title=title)
