"""Dot votes and vote rounds on the board screen: `v`, `V` and `R`.

`v` gives the selected card one more of your dots, `V` takes one back: each an
`ops.Vote` through `change`, so undo, saving and other people's changes work as for
any edit, and a vote the board refuses (over the round's budget, outside its stage,
after its end, an archived card) is a notice with the operation's own sentence.
Outside a round the dots are free, as `sprintboard vote` gives them.

`R` is the round: with one open, the panel (`round_panel`: tally, dots left in the
room, and for facilitators who has not voted and the key that closes it); with none
open, the last result if there is one, else — for a facilitator — the start dialog
(`round_start`). Starting and closing are the facilitators' (`Roles.facilitating`).
The panel follows the board as it changes on disk, as an open card view does.

While a round is open the key bar says how many dots you have left (`key_note`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.binding import Binding

from ...facilitation import Duty
from ...i18n import _, ngettext
from ..guest import is_guest
from ..notices import not_member_notice, quoted
from .roles import Roles

if TYPE_CHECKING:
    from ...model import Board
    from .round_panel import PanelChoice, RoundPanel
    from .round_start import RoundRequest


class VoteActions(Roles):
    """The board screen's keys for dots and vote rounds (see the module)."""

    _round_panel: RoundPanel | None = None

    # --- dots -----------------------------------------------------------------------------

    def action_vote(self) -> None:
        self._vote(1)

    def action_unvote(self) -> None:
        self._vote(-1)

    def _voter(self, board: Board) -> str | None:
        """The member key this app's person votes as; None (and a notice saying how to
        join) when they are no member."""
        from ...identity import join_hint, member_key

        session = self.live.session
        key = member_key(board.members, session.person)
        if key is not None:
            return key
        notice = not_member_notice(board, session.person, session.path, guest=is_guest(self))
        if notice is None:  # a board without members: nobody can vote yet
            notice = _("Only members can vote, and this board has no members yet: {join}").format(
                join=join_hint(str(session.path), board.members, session.person)
            )
        self.notify(notice, title=_("Not a member"), severity="warning", timeout=10, markup=False)
        return None

    def _vote(self, step: int) -> None:
        from ... import ops

        selected = self._selected()
        board = self.live.session.board
        if selected is None or board is None:
            return
        _column, card_id, card = selected
        member = self._voter(board)
        if member is None:
            return
        given = card.votes.get(member, 0)
        if step < 0 and not given:
            text = _("You have no dot on {title} to take back").format(title=quoted(card.title))
            self.notify(text, title=_("Not changed"), severity="warning", markup=False)
            return
        self.change(ops.Vote(card_id, member, given + step), (card.stage, card_id))

    # --- the round ------------------------------------------------------------------------

    def key_note(self) -> str | None:
        """What the key bar says at its left end: your dots left while a round is open."""
        if not self.live.opened or self.live.session.board is None:
            return None  # the first frame: nothing imported that would import the models
        from ... import rounds
        from ...identity import member_key

        board = self.live.session.board
        found = rounds.open_round(board)
        if found is None:
            return None
        _round_id, round_ = found
        if round_.until is not None and rounds.ended(round_, datetime.now(UTC)):
            return _("vote round ended")  # the dots left could no longer be given
        member = member_key(board.members, self.live.session.person)
        if member is None:
            return _("vote round open")
        left = rounds.dots_left(board, member)
        return _("dots left: {left} of {dots}").format(left=left, dots=round_.dots)

    def key_shown(self, binding: Binding) -> bool:
        """`v` and `R` are in the key bar while a round is open (outside one the bar
        keeps its room for the board's keys; help and the palette have them always)."""
        if binding.action in ("vote", "round"):
            return self.key_note() is not None
        return super().key_shown(binding)

    def action_round(self) -> None:
        board = self.live.session.board
        if board is None:
            return
        if board.rounds:
            self._open_panel(board)
        else:
            self.action_start_round()

    def _open_panel(self, board: Board) -> None:
        from .round_panel import RoundPanel

        panel = RoundPanel(board, facilitator=self.may_facilitate(Duty.CLOSE_ROUND))
        self._round_panel = panel
        self.app.push_screen(panel, self._panel_closed)

    def _panel_closed(self, choice: PanelChoice | None) -> None:
        self._round_panel = None
        if choice == "close":
            self.action_close_round()
        elif choice == "start":
            self.action_start_round()

    def show_latest(self, board: Board) -> None:
        """Someone else's change is on the board: an open round panel shows it too."""
        super().show_latest(board)
        panel = self._round_panel
        if panel is not None and panel.is_attached:
            panel.show_latest(board)

    def action_start_round(self) -> None:
        from .round_start import RoundStart

        if self.live.session.board is None or not self.facilitating(Duty.START_ROUND):
            return
        self.app.push_screen(RoundStart(), self._start_round)

    def _start_round(self, request: RoundRequest | None) -> None:
        from ... import ops
        from ...labels import stage_label

        if request is None or not self.facilitating(Duty.START_ROUND):
            return
        op = ops.StartRound(
            stage=request.stage,
            dots=request.dots,
            anonymous=request.anonymous,
            until=request.until,
            actor=self.live.session.actor,
        )
        if self.change(op, (request.stage, None)):
            text = ngettext(
                "Vote round on {stage} started: {dots} dot each · v votes · R shows it",
                "Vote round on {stage} started: {dots} dots each · v votes · R shows it",
                request.dots,
            )
            self.notify(text.format(stage=stage_label(request.stage), dots=request.dots))

    def action_close_round(self) -> None:
        from ... import ops, rounds
        from ...labels import stage_label

        board = self.live.session.board
        if board is None or not self.facilitating(Duty.CLOSE_ROUND):
            return
        found = rounds.open_round(board)
        if found is None:
            self.notify(_("No vote round is open"), severity="warning")
            return
        stage = found[1].stage
        selected = self.current_column.card_id if self.current_column.stage == stage else None
        if self.change(ops.CloseRound(actor=self.live.session.actor), (stage, selected)):
            text = _("Vote round closed: {stage} is in order of dots · u puts the old order back")
            self.notify(text.format(stage=stage_label(stage)), timeout=6)
