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
from typing import TYPE_CHECKING, Any

from .. import fields, identity
from ..fields import EDITABLE
from ..i18n import _, ngettext
from ..labels import decision_label, field_label, side_label, stage_label
from ..vocabulary import Decision, Side, Stage

if TYPE_CHECKING:
    from .. import ops
    from ..model import Board, Card, Member
    from ..presence import Presence
    from ..session import Overwrite
    from .faces import BoardLike, CardLike

MAX_SHOWN = 3
"""Overwrites named one by one in a notice; more are counted."""
VALUE_WIDTH = 40
"""Characters of a field's value quoted in a notice."""


def quoted(value: Any) -> str:
    """A field's value as a notice quotes it: one line, shortened, "(empty)" for nothing."""
    if isinstance(value, Stage):
        value = stage_label(value)
    elif isinstance(value, Decision):
        value = decision_label(value)
    elif isinstance(value, Side):
        value = side_label(value)
    elif isinstance(value, Enum):
        value = value.value
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    if not text:
        return _("(empty)")
    if len(text) > VALUE_WIDTH:
        text = text[: VALUE_WIDTH - 1].rstrip() + "…"
    return _("“{text}”").format(text=text)


def field_name(name: str) -> str:
    """A card field as a sentence names it: its label, quoted (“We believe”), never the key
    the file uses (`hypothesis`); a name that is no field as it is."""
    found = fields.spec(name)
    label = field_label(found.name) if found is not None else name
    return _("“{text}”").format(text=label)


def joined(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "a", "a and b", "a, b and c" (each word translated)."""
    if len(names) < 2:
        return "".join(names)
    # the comma is a text of its own: not every language separates a list with ", "
    return _("{some} and {last}").format(some=_(", ").join(names[:-1]), last=names[-1])


def card_name(card_id: str, *boards: BoardLike | None) -> str:
    """A card as notices name it: its title (from the first board that has it) and id."""
    for board in boards:
        card = board.cards.get(card_id) if board is not None else None
        if card is not None:
            title = card.title if len(card.title) <= VALUE_WIDTH else card.title[:39] + "…"
            return _("“{title}” ({id})").format(title=title, id=card_id)
    return _("card {id}").format(id=card_id)


def _listed(lines: Sequence[str]) -> str:
    shown = list(lines[:MAX_SHOWN])
    if len(lines) > MAX_SHOWN:
        shown.append(_("and {n} more").format(n=len(lines) - MAX_SHOWN))
    return "\n".join(shown)


def overwritten_notice(found: Sequence[Overwrite], *boards: BoardLike | None) -> str | None:
    """Fields our write replaced right after someone else changed them (None: none)."""
    if not found:
        return None
    # "a change by {who}", not "{who}'s change": no ending glued onto a name
    text = _("You replaced a change by {who} to the field {field} of {card}: {theirs} → {ours}")
    lines = [
        text.format(
            who=o.by or _("someone"),
            field=field_name(o.field),
            card=card_name(o.card_id, *boards),
            theirs=quoted(o.theirs),
            ours=quoted(o.ours),
        )
        for o in found
    ]
    return _listed(lines) + "\n" + _("u undoes yours and brings theirs back.")


def changed_under_us_notice(found: Sequence[Overwrite], *boards: BoardLike | None) -> str | None:
    """Fields we wrote that someone else has changed since (None: none)."""
    if not found:
        return None
    lines = []
    for o in found:
        where = card_name(o.card_id, *boards)
        if o.theirs is None:
            text = _("Someone deleted {card}, whose field {field} you set.")
            lines.append(text.format(card=where, field=field_name(o.field)))
        else:
            who = o.by or _("Someone")  # only moves record who made them
            text = _("{who} changed the field {field} you set on {card}: now {value}")
            lines.append(
                text.format(who=who, field=field_name(o.field), card=where, value=quoted(o.theirs))
            )
    return _listed(lines)


def describe(op: ops.Op, *boards: BoardLike | None) -> str:
    """An operation as the person who made it would say it: "your move of “X” to test"."""
    from .. import ops  # only once the board is open: not before the first frame

    match op:
        case ops.AddCard():
            return _("the new card {title}").format(title=quoted(op.title))
        case ops.EditCard():
            text = ngettext(
                "your edit of the field {fields} on {card}",
                "your edit of the fields {fields} on {card}",
                len(op.changes),
            )
            named = joined([field_name(name) for name in op.changes])
            return text.format(fields=named, card=card_name(op.card_id, *boards))
        case ops.MoveCard():
            text = _("your move of {card} to {stage}")
            return text.format(card=card_name(op.card_id, *boards), stage=stage_label(op.stage))
        case ops.ArchiveCard():
            text = _("archiving {card}") if op.archived else _("restoring {card}")
            return text.format(card=card_name(op.card_id, *boards))
        case ops.Batch() if op.ops:
            return describe(op.ops[-1], *boards)
        case _:
            return _("a change of yours")


def rejected_notice(
    found: Sequence[tuple[ops.Op, ops.OpError]], *boards: BoardLike | None
) -> str | None:
    """Our changes that no longer fit the board someone else wrote (None: none)."""
    if not found:
        return None
    text = _("Could not apply {change}: {error}")
    return _listed([text.format(change=describe(op, *boards), error=error) for op, error in found])


def moved_by_someone(before: CardLike, after: Card) -> str:
    """Why the selected card jumped to another column: "moved to test by anna"."""
    entry = after.history[-1] if after.history else None
    if entry is not None and entry.stage is after.stage:
        text = _("“{title}” was moved from {old} to {new} by {who}")
    else:
        text = _("“{title}” was moved from {old} to {new}")
    old, new = stage_label(before.stage), stage_label(after.stage)
    return text.format(title=after.title, old=old, new=new, who=entry.by if entry else "")


def editor_notice(opened: Card, latest: Card | None) -> str | None:
    """What an editor says when its card changed on the board since it opened.

    `opened` is the card the editor started from, `latest` the card on the board now
    (None: deleted). None when nothing the editor shows has changed.
    """
    if latest is None:
        return _(
            "Deleted by someone else while you edit: saving puts the card back with your text."
        )
    if latest.archived and not opened.archived:
        return _(
            "Archived by someone else while you edit: saving keeps your text on the archived "
            "card (a shows archived cards, d restores)."
        )
    changed = [name for name in EDITABLE if getattr(latest, name) != getattr(opened, name)]
    if not changed:
        return None
    text = _(
        "Changed by someone else while you edit ({fields}): saving keeps your "
        "text; their changes to fields you did not touch stay."
    )
    return text.format(fields=joined([field_name(name) for name in changed]))


def not_member_notice(board: Board, person: str, path: Path, *, guest: bool = False) -> str | None:
    """What the app says once when the user is no member of a board that has a team
    (None: they are one, or there is no team yet): what that costs, and how to join.

    A `guest` (see `guest`) can neither run a command nor choose who they are: they
    are told whom to ask, with no command line and no path."""
    if identity.member_key(board.members, person) is not None:
        return None
    shown = person if len(person) <= VALUE_WIDTH else person[: VALUE_WIDTH - 1] + "…"
    if guest:
        text = _(
            "You act as “{person}”, who is not a member of this board (any more): your "
            "cards get no co-creator and you cannot vote. Ask the facilitator to add you again."
        )
        return text.format(person=shown)
    if not board.members:
        return None
    text = _(
        "You act as “{person}”, who is not a member of this board: your cards get no "
        "co-creator and you cannot vote. To join the team, quit and run it in a terminal: "
        "{join};\n"
        "or open the board as a member: sprintboard --as KEY (members: {members})"
    )
    return text.format(
        person=shown,
        join=identity.join_hint(str(path), board.members, person),
        members=", ".join(sorted(board.members)),
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
    return sorted(names) + ([_("you elsewhere")] if elsewhere else [])


def with_text(names: Sequence[str]) -> str:
    """The header's "with anna, omar" (empty when alone)."""
    return _("with {names}").format(names=", ".join(names)) if names else ""
