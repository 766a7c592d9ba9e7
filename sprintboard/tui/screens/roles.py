"""Who may facilitate, in the board screen: facilitator keys hidden from others' key bar,
and refused with one sentence when invoked from the palette.

`board_keys.FACILITATOR_ACTIONS` names each facilitator action and its duty. The key bar
leaves those out for someone who may not facilitate (`key_shown`); the palette still
lists them (it lists every key), so each such action starts with `facilitating(duty)`,
which says who may and returns False for anyone else. The rule is the domain's
(`facilitation`): a board without facilitators lets everyone facilitate.

A guest (`guest`) is the other gate: `reaches_outside` is what the board screen's
`check_action` asks first (False hides a key everywhere), `for_guest` takes the
server's folders out of a text the screen shows, `shown_path` is the board file as
the screen names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from ...facilitation import refusal
from ..guest import hide, is_guest, off
from . import board_keys
from .card_actions import CardActions

if TYPE_CHECKING:
    from ...facilitation import Duty


class Roles(CardActions):
    """The board screen's facilitator gate (see the module)."""

    def _refusal(self, duty: Duty) -> str | None:
        """Why this app's person may not do `duty`; None when they may. Before the board
        is in, who acts may not be known yet: anyone is refused a board that names
        facilitators (the keys wait for the board, and ask again then). A board that
        could not be opened (an invalid file) has nothing to facilitate: refused to all,
        so no facilitator action runs without a board."""
        from ...i18n import _

        if self.live.opened:
            board = self.live.session.board
            if board is None:
                return _("The board cannot be opened now: nothing to run")
            return refusal(board, self.live.session.actor, duty)
        outline = getattr(self, "outline", None)
        if outline is None or not outline.sprint.facilitators:
            return None
        return _("Wait until the board is open")

    def may_facilitate(self, duty: Duty) -> bool:
        """Whether whoever runs this app may do `duty` on this board (no notice)."""
        return self._refusal(duty) is None

    def facilitating(self, duty: Duty) -> bool:
        """Whether whoever runs this app may do `duty`; if not, say who may (a notice)."""
        refused = self._refusal(duty)
        if refused is not None:
            self.notify(refused, title=_not_allowed(), severity="warning")
            return False
        return True

    def reaches_outside(self, action: str) -> bool:
        """Whether `action` is off here: this is a guest's app, and it reaches outside."""
        return off(self, action)

    def for_guest(self, text: str) -> str:
        """`text` as this app may show it: a guest's without the server's folders."""
        return hide(self, text)

    @property
    def shown_path(self) -> Path:
        """The board file as the screen names it: a guest sees its name, not its path."""
        return Path(self.live.path.name) if is_guest(self) else self.live.path

    def key_shown(self, binding: Binding) -> bool:
        """Whether the key bar shows `binding`: a facilitator's key only to facilitators."""
        duty = board_keys.FACILITATOR_ACTIONS.get(binding.action)
        return duty is None or self.may_facilitate(duty)


def _not_allowed() -> str:
    from ...i18n import _

    return _("Not allowed")
