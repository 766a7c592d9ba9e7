"""The sprint frame and the team on the board screen: `s` settings, `M` team, `X` hands.

`TeamActions` is one of `SprintActions`' bases (on `Roles`, so it can ask who may
facilitate). The sprint settings are a facilitator's (`Duty.FRAME`); anyone may look at
the team, changing it is a facilitator's (`Duty.TEAM`, asked by the team screen for each
change). `X` shows or hides the external-hands panel, per stage, for everyone.

Each change is one operation through `change`, so `u` undoes it, and the live board
saves it. Removing a member the board names asks first and then removes them and their
references in one operation (`ops.RemoveMember(drop_references=True)`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ...co_creation import external_hands
from ...facilitation import Duty
from ...i18n import _
from ..widgets.hands import HandsPanel
from ..widgets.header import SprintHeader
from .roles import Roles

if TYPE_CHECKING:
    from ... import ops
    from ...vocabulary import Stage
    from ..faces import BoardLike


class TeamActions(Roles):
    """The board screen's keys for the sprint frame, the team and the hands panel."""

    def action_sprint_settings(self) -> None:
        from .settings import SprintSettings

        board = self.live.session.board if self.live.opened else None
        if board is None or not self.facilitating(Duty.FRAME):
            return
        self.app.push_screen(SprintSettings(board, check=self._check_op), self._settings_saved)

    def _check_op(self, op: ops.Op) -> str | None:
        """Why `op` cannot apply to the board as it is now; None when it can."""
        from ... import ops

        board = self.live.session.board
        if board is None:
            return _("the board is not open")
        try:
            ops.apply(board, op)
        except ops.OpError as error:
            return str(error)
        return None

    def _settings_saved(self, op: ops.EditBoard | None) -> None:
        if op is not None and self.change(op):
            self.notify(_("Sprint settings saved · u undoes"), timeout=3)

    def action_team(self) -> None:
        from .team import TeamHooks, TeamScreen

        if not self.live.opened or self.live.session.board is None:
            return
        hooks = TeamHooks(
            board=lambda: self.live.session.board,
            change=self.change,
            may_change=partial(self.may_facilitate, Duty.TEAM),
            gate=partial(self.facilitating, Duty.TEAM),
            remove=self.remove_member,
            undo=self.action_undo,
        )
        self.app.push_screen(TeamScreen(hooks))

    def remove_member(self, key: str, then: Callable[[], None]) -> None:
        """Remove member `key`; when the board names them, only once the user says yes."""
        from ...co_creation import involvement
        from .remove_member import RemoveMemberQuestion

        board = self.live.session.board
        if board is None or key not in board.members:
            return
        name = board.members[key].name
        involved = involvement(board, key)
        if not involved.any:
            self._remove(key, name, then, False)
            return
        question = RemoveMemberQuestion(name, involved)
        self.app.push_screen(question, lambda yes: self._remove(key, name, then, bool(yes)))

    def _remove(self, key: str, name: str, then: Callable[[], None], drop: bool) -> None:
        from ... import ops
        from ...co_creation import involvement

        board = self.live.session.board
        if board is None or key not in board.members:
            then()
            return
        if not drop and involvement(board, key).any:
            then()  # kept: the user said no (or someone named them meanwhile)
            return
        if self.change(ops.RemoveMember(key, drop_references=drop)):
            self.notify(
                _("Removed {name} from the team · u undoes").format(name=name),
                timeout=3,
                markup=False,
            )
        then()

    # --- the co-creation figure ------------------------------------------------------------

    def show_board(self, board: BoardLike, select: tuple[Stage, str | None] | None = None) -> None:
        """Draw `board`, and its external-hands figure in the header (and the panel)."""
        super().show_board(board, select)
        hands = external_hands(board)
        self.query_one(SprintHeader).show_hands(hands.external, hands.total)
        for panel in self.query(HandsPanel):
            panel.show(hands.per_stage)

    def action_external_hands(self) -> None:
        """Show or hide the panel of the figure per stage (made the first time)."""
        panels = list(self.query(HandsPanel))
        if panels:
            panels[0].display = not panels[0].display
            return
        panel = HandsPanel()
        self.mount(panel, after=self.query_one(SprintHeader))
        shown = self.live.shown
        if shown is not None:
            panel.show(external_hands(shown).per_stage)
