"""What the app tells people about each other's changes, worked out without Textual.

The board screen turns a session's `Outcome` into a few short notices (a write of
ours replaced someone's change; someone changed what we wrote; a change of ours no
longer fits), the open editor into one line about its card changing underneath it,
and the presence registry into the header's "with Anna B., Omar S.".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from .. import identity, ops
from ..model import Board, Card, Member
from ..presence import Presence
from ..session import Overwrite

MAX_SHOWN = 3
"""Overwrites named one by one in a notice; more are counted."""
VALUE_WIDTH = 40
"""Characters of a field's value quoted in a notice."""


def quoted(value: Any) -> str:
    """A field's value as a notice quotes it: one line, shortened, "(empty)" for nothing."""
    if isinstance(value, Enum):
        value = value.value
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    if not text:
        return "(empty)"
    if len(text) > VALUE_WIDTH:
        text = text[: VALUE_WIDTH - 1].rstrip() + "…"
    return f"“{text}”"


def card_name(card_id: str, *boards: Board | None) -> str:
    """A card as notices name it: its title (from the first board that has it) and id."""
    for board in boards:
        card = board.cards.get(card_id) if board is not None else None
        if card is not None:
            title = card.title if len(card.title) <= VALUE_WIDTH else card.title[:39] + "…"
            return f"“{title}” ({card_id})"
    return f"card {card_id}"


def _listed(lines: Sequence[str]) -> str:
    shown = list(lines[:MAX_SHOWN])
    if len(lines) > MAX_SHOWN:
        shown.append(f"and {len(lines) - MAX_SHOWN} more")
    return "\n".join(shown)


def overwritten_notice(found: Sequence[Overwrite], *boards: Board | None) -> str | None:
    """Fields our write replaced right after someone else changed them (None: none)."""
    if not found:
        return None
    lines = [
        f"You replaced {o.by or 'someone'}'s change to {o.field} of "
        f"{card_name(o.card_id, *boards)}: "
        f"{quoted(o.theirs)} → {quoted(o.ours)}"
        for o in found
    ]
    return _listed(lines) + "\nu undoes yours and brings theirs back."


def changed_under_us_notice(found: Sequence[Overwrite], *boards: Board | None) -> str | None:
    """Fields we wrote that someone else has changed since (None: none)."""
    if not found:
        return None
    lines = []
    for o in found:
        where = card_name(o.card_id, *boards)
        if o.theirs is None:
            lines.append(f"Someone deleted {where}, whose {o.field} you set.")
        else:
            who = o.by or "Someone"  # only moves record who made them
            lines.append(f"{who} changed the {o.field} you set on {where}: now {quoted(o.theirs)}")
    return _listed(lines)


def describe(op: ops.Op, *boards: Board | None) -> str:
    """An operation as the person who made it would say it: "your move of “X” to test"."""
    match op:
        case ops.AddCard():
            return f"the new card {quoted(op.title)}"
        case ops.EditCard():
            fields = ", ".join(op.changes)
            return f"your edit of {fields} on {card_name(op.card_id, *boards)}"
        case ops.MoveCard():
            return f"your move of {card_name(op.card_id, *boards)} to {op.stage.value}"
        case ops.ArchiveCard():
            what = "archiving" if op.archived else "restoring"
            return f"{what} {card_name(op.card_id, *boards)}"
        case ops.Batch() if op.ops:
            return describe(op.ops[-1], *boards)
        case _:
            return "a change of yours"


def rejected_notice(
    found: Sequence[tuple[ops.Op, ops.OpError]], *boards: Board | None
) -> str | None:
    """Our changes that no longer fit the board someone else wrote (None: none)."""
    if not found:
        return None
    return _listed([f"Could not apply {describe(op, *boards)}: {error}" for op, error in found])


def moved_by_someone(before: Card, after: Card) -> str:
    """Why the selected card jumped to another column: "moved to test by anna"."""
    entry = after.history[-1] if after.history else None
    who = f" by {entry.by}" if entry is not None and entry.stage is after.stage else ""
    return f"“{after.title}” was moved from {before.stage.value} to {after.stage.value}{who}"


def editor_notice(opened: Card, latest: Card | None) -> str | None:
    """What an editor says when its card changed on the board since it opened.

    `opened` is the card the editor started from, `latest` the card on the board now
    (None: deleted). None when nothing the editor shows has changed.
    """
    if latest is None:
        return "Deleted by someone else while you edit: saving puts the card back with your text."
    if latest.archived and not opened.archived:
        return (
            "Archived by someone else while you edit: saving keeps your text on the archived "
            "card (a shows archived cards, d restores)."
        )
    changed = [name for name in ops.EDITABLE if getattr(latest, name) != getattr(opened, name)]
    if not changed:
        return None
    return (
        f"Changed by someone else while you edit ({', '.join(changed)}): saving keeps your "
        "text; their changes to fields you did not touch stay."
    )


def not_member_notice(board: Board, person: str, path: Path) -> str | None:
    """What the app says once when the user is no member of a board that has a team
    (None: they are one, or there is no team yet): what that costs, and how to join."""
    if not board.members or identity.member_key(board.members, person) is not None:
        return None
    shown = person if len(person) <= VALUE_WIDTH else person[: VALUE_WIDTH - 1] + "…"
    return (
        f"You act as “{shown}”, who is not a member of this board: your cards get no "
        "co-creator and you cannot vote. To join the team, quit and run it in a terminal: "
        f"{identity.join_hint(str(path), board.members, person)};\n"
        "or open the board as a member: sprintboard --as KEY "
        f"(members: {', '.join(sorted(board.members))})"
    )


def present_names(
    others: Iterable[Presence], actor: str, members: Mapping[str, Member] | None = None
) -> list[str]:
    """Who else has the board open, each person once by the name `members` gives them
    ("Anna B.", not anna); the user's own other apps as "you elsewhere"."""
    members = members or {}
    me = identity.member_key(members, actor) or actor
    names: set[str] = set()
    elsewhere = False
    for presence in others:
        key = identity.member_key(members, presence.actor)
        if (key or presence.actor) == me:
            elsewhere = True
        else:
            names.add(members[key].name if key is not None else presence.actor)
    return sorted(names) + (["you elsewhere"] if elsewhere else [])


def with_text(names: Sequence[str]) -> str:
    """The header's "with anna, omar" (empty when alone)."""
    return f"with {', '.join(names)}" if names else ""
