"""What changed on a board, in words: the message `sync` commits with (pure).

Every count is a whole phrase through `ngettext` ("1 card edited" / "2 cards
edited"), so that a language can put the number and the noun where it wants them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import _, ngettext
from ..labels import stage_label
from ..merge import EDITED
from ..model import Board, Stage

_CARD_PHRASES: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("edited", lambda n: ngettext("{n} card edited", "{n} cards edited", n)),
    ("reordered", lambda n: ngettext("{n} card reordered", "{n} cards reordered", n)),
    ("archived", lambda n: ngettext("{n} card archived", "{n} cards archived", n)),
    ("restored", lambda n: ngettext("{n} card restored", "{n} cards restored", n)),
    ("deleted", lambda n: ngettext("{n} card deleted", "{n} cards deleted", n)),
    ("voted", lambda n: ngettext("votes on {n} card", "votes on {n} cards", n)),
    ("decided", lambda n: ngettext("{n} conflict decided", "{n} conflicts decided", n)),
    ("member added", lambda n: ngettext("{n} member added", "{n} members added", n)),
    ("member removed", lambda n: ngettext("{n} member removed", "{n} members removed", n)),
    ("member changed", lambda n: ngettext("{n} member changed", "{n} members changed", n)),
)
"""The counted changes without a stage, in the order the summary names them."""


def summarize(before: Board | None, after: Board | None) -> str:
    """What changed on a board, in a few words: "3 cards moved to test, 2 ideas added"."""
    if after is None:
        return _("board removed")
    if before is None:
        n = len(after.cards)
        return ngettext("new board with {n} card", "new board with {n} cards", n).format(n=n)
    counts: dict[tuple[str, str], int] = {}

    def count(kind: str, detail: str = "") -> None:
        counts[kind, detail] = counts.get((kind, detail), 0) + 1

    for cid in sorted(set(before.cards) | set(after.cards)):
        old, new = before.cards.get(cid), after.cards.get(cid)
        if old == new:
            continue
        if new is None:
            count("deleted")
            continue
        if old is None:
            count("added", new.stage.value)
            continue
        if new.stage != old.stage:
            count("moved", new.stage.value)
        elif new.rank != old.rank:
            count("reordered")
        if any(getattr(old, f) != getattr(new, f) for f in EDITED if f != "stage"):
            count("edited")
        if new.archived != old.archived:
            count("archived" if new.archived else "restored")
        if new.votes != old.votes:
            count("voted")
        decided = len(set(old.conflicts) - set(new.conflicts))
        for _decision in range(decided):
            count("decided")
    for key in sorted(set(before.members) | set(after.members)):
        old_m, new_m = before.members.get(key), after.members.get(key)
        if old_m != new_m:
            count(
                "member "
                + ("added" if old_m is None else "removed" if new_m is None else "changed")
            )
    frame = ("title", "challenge", "goal", "sprint", "wip")
    if any(getattr(before, f) != getattr(after, f) for f in frame):
        count("details")

    phrases: list[str] = []
    for stage in Stage:
        if ("moved", stage.value) in counts:
            n = counts["moved", stage.value]
            phrases.append(
                ngettext("{n} card moved to {stage}", "{n} cards moved to {stage}", n).format(
                    n=n, stage=stage_label(stage)
                )
            )
    for stage in Stage:
        n = counts.get(("added", stage.value), 0)
        if n and stage is Stage.IDEA:
            phrases.append(ngettext("{n} idea added", "{n} ideas added", n).format(n=n))
        elif n:
            phrases.append(
                ngettext("{n} card added to {stage}", "{n} cards added to {stage}", n).format(
                    n=n, stage=stage_label(stage)
                )
            )
    for kind, phrase in _CARD_PHRASES:
        if (kind, "") in counts:
            phrases.append(phrase(counts[kind, ""]).format(n=counts[kind, ""]))
    if ("details", "") in counts:
        phrases.append(_("board details edited"))
    return ", ".join(phrases) if phrases else _("board reformatted")
