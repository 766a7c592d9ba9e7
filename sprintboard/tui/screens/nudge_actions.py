"""The nudge after a move, in the board screen: a card moved into test with no
experiment written down (or into learned with no learning) opens those fields.

`CardActions._move_stage` calls `moved` once its move is made — only the move keys do,
so someone else's move (a live update), the command line, undo and redo never open a
nudge. What to ask, and whether the card still needs it, is the domain's
(`sprintboard.nudges`). The dialog's answer is saved as the editor's is (`_edited`): an
edit of its own after the move, so one undo takes back the fields and a second the move.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .roles import Roles

if TYPE_CHECKING:
    from ...vocabulary import Stage


class NudgeActions(Roles):
    """Opens the nudge after the move keys (see the module)."""

    def moved(self, card_id: str, stage: Stage) -> None:
        # imported when a card moves, not with the board screen's first frame
        from ...nudges import nudge_for
        from .nudge import NudgeDialog

        board = self.live.session.board
        card = board.cards.get(card_id) if board is not None else None
        if board is None or card is None:
            return
        nudge = nudge_for(card, stage)
        if nudge is None:
            return
        # the move is saved now rather than after the dialog's first frame: the nudge
        # must never hold up the move it follows (the save runs in a worker meanwhile)
        self.live.request_flush()
        dialog = NudgeDialog(
            card_id, card, board.members, nudge, check=partial(self.check_edit, card)
        )
        self._dialog = dialog
        self.app.push_screen(dialog, partial(self._edited, card, ()))  # a nudge adds no guests
