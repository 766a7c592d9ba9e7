"""Who may run the sprint: the facilitators' duties, and the sentence that refuses them.

A board's facilitators are `sprint.facilitators` (member keys). Starting or closing a
vote round, the timer, presenting a card, and editing the sprint frame or the team are
theirs; a board that names no facilitators lets everyone facilitate (a small team
without roles). The command line and the app ask `may_facilitate` (or `refusal`) before
such an action; the operations themselves do not, so undo, a re-applied save and a
merge never fail on who acts.

Identity is who the program is told acts (`--as`, `SPRINTBOARD_USER`, git, the login):
on a shared account a convenience, not a security boundary.

Pure: no Textual, no files; works on a validated board or on the first frame's outline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from .i18n import N_, _
from .identity import Named, member_key


class Duty(StrEnum):
    """Something only a facilitator may do."""

    START_ROUND = "start_round"
    CLOSE_ROUND = "close_round"
    TIMER = "timer"
    PRESENT = "present"
    FRAME = "frame"
    TEAM = "team"


_WHAT = {
    Duty.START_ROUND: N_("start a vote round"),
    Duty.CLOSE_ROUND: N_("close a vote round"),
    Duty.TIMER: N_("run the timer"),
    Duty.PRESENT: N_("present a card"),
    Duty.FRAME: N_("change the sprint settings"),
    Duty.TEAM: N_("change the team"),
}
"""Each duty as the end of "Only a facilitator (…) can …"."""


class Staffed(Protocol):
    """A sprint as the rules read it: who facilitates (member keys)."""

    @property
    def facilitators(self) -> Sequence[str]: ...


class Facilitated(Protocol):
    """What the rules need of a board (`model.Board`, the first frame's outline)."""

    @property
    def members(self) -> Mapping[str, Named]: ...

    @property
    def sprint(self) -> Staffed: ...


def may_facilitate(board: Facilitated, actor: str) -> bool:
    """Whether `actor` (a member's key or name, as `--as` takes it) may facilitate."""
    facilitators = board.sprint.facilitators
    if not facilitators:
        return True
    key = member_key(board.members, actor)
    return key is not None and key in facilitators


def refusal(board: Facilitated, actor: str, duty: Duty) -> str | None:
    """The one sentence refusing `duty` to `actor`; None when they may do it."""
    if may_facilitate(board, actor):
        return None
    names = _(" or ").join(board.sprint.facilitators)
    return _("Only a facilitator ({names}) can {what}").format(names=names, what=_(_WHAT[duty]))
