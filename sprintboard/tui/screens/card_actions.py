"""What the board's keys do to cards, and the dialogs they open.

`CardActions` (on `BoardColumns`, under `BoardScreen`) has one `action_*` method per
key that changes a card — move, reorder, add, edit, decide, archive, undo and redo
— or opens a dialog: the card view, the editor, the new card's title, help. Each
change is an operation proposed to the live board's session (`change`): the
columns show the board it returns at once, and the live board saves it.

A base class rather than a helper object, because Textual finds a key's action as a
method of the screen; the screen's own module keeps the live board's messages, the
filter and quitting.

Every action runs once the board is open, never before the first frame: the
operations, the models and the session are imported where they are used, not at the
top (the board screen's first frame imports this module, and must not wait for them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.binding import Binding

from ...i18n import _
from ..board_view import changed_card, describe_change
from ..filtering import matcher
from ..git_tasks import GitTasks
from ..guest import unless_guest
from ..notices import overwritten_notice, quoted
from ..widgets.column import Column
from .board_columns import BoardColumns

if TYPE_CHECKING:
    from ... import ops
    from ...model import Board, Card
    from ...vocabulary import Stage
    from .card_view import EditRequest
    from .new_card import NewCard


class CardActions(BoardColumns):
    """The keys that change a card, or open one."""

    @on(Column.OpenRequested)
    def _open_requested(self, message: Column.OpenRequested) -> None:
        self.action_open_card()

    _waiting_offer: GitTasks.SetupOffered | None = None

    @on(GitTasks.SetupOffered)
    def _offer_setup(self, message: GitTasks.SetupOffered) -> None:
        from .git_setup import GitSetupOffer

        if self.app.screen is not self:
            # a dialog is open (the nudge after a move, whose save asked this): keys
            # typed into it must not answer a question that pops up over it
            self._waiting_offer = message
            return
        self.app.push_screen(GitSetupOffer(message.root), message.answer)

    def on_screen_resume(self) -> None:
        offer, self._waiting_offer = self._waiting_offer, None
        if offer is not None:  # the dialog closed: now ask
            self._offer_setup(offer)

    # --- changing the board ---------------------------------------------------------------

    def _selected(self) -> tuple[Column, str, Card] | None:
        if not self.live.opened:  # the key bar asks during the first frame: no session yet
            return None
        board = self.live.session.board
        column = self.current_column
        card_id = column.card_id
        if board is None or card_id is None or card_id not in board.cards:
            return None
        return column, card_id, board.cards[card_id]

    def change(self, op: ops.Op, focus: tuple[Stage, str | None] | None = None) -> bool:
        """Apply `op` now, show the board, save it in the background. False if refused."""
        from ... import ops

        try:
            board = self.live.session.propose(op)
        except ops.OpError as error:
            self.notify(str(error), title=_("Not changed"), severity="warning")
            return False
        self._after_change(board, focus)
        return True

    def _after_change(self, board: Board, focus: tuple[Stage, str | None] | None) -> None:
        if focus is not None:
            self.show_board(board, select=focus)
            self.select_column(self.column(focus[0]))
        else:
            self.show_board(board)
        # Save once the change is on screen: a save parses and writes the whole file,
        # and started now it would compete with drawing the change for the GIL.
        self.call_after_refresh(self.live.request_flush)

    def key_description(self, binding: Binding) -> str | None:
        """What a key does now, for the key bar: `d` restores an archived card."""
        if binding.action == "archive_card":
            selected = self._selected()
            if selected is not None and selected[2].archived:
                return _("Restore")
        return None

    def action_move_right(self) -> None:
        self._move_stage(1)

    def action_move_left(self) -> None:
        self._move_stage(-1)

    def _move_stage(self, step: int) -> None:
        from ... import ops

        selected = self._selected()
        if selected is None:
            return
        _column, card_id, card = selected
        stage = card.stage.next if step > 0 else card.stage.previous
        if stage is None:
            self.app.bell()
            return
        op = ops.MoveCard(card_id, stage, actor=self.live.session.actor)
        if self.change(op, (stage, card_id)):
            self.moved(card_id, stage)

    def moved(self, card_id: str, stage: Stage) -> None:
        """A move key has just moved the card into `stage` (the move is made): what may
        follow it (`nudge_actions` asks for the experiment or learning). Only the move keys
        call this, so someone else's move, the command line and undo never do."""

    def action_move_up(self) -> None:
        self._reorder(-1)

    def action_move_down(self) -> None:
        self._reorder(1)

    def _reorder(self, step: int) -> None:
        from ... import ops

        selected = self._selected()
        if selected is None:
            return
        column, card_id, card = selected
        other = column.neighbour(step)
        if other is None:
            self.app.bell()
            return
        before, after = (other, None) if step < 0 else (None, other)
        op = ops.MoveCard(card_id, card.stage, before, after, actor=self.live.session.actor)
        self.change(op, (card.stage, card_id))

    def action_new_card(self) -> None:
        from .new_card import NewCardPrompt  # the dialogs are imported when used: a fast start

        if self.live.session.board is None:
            return
        stage = self.current_column.stage
        prompt = NewCardPrompt(stage, set(self.live.session.board.members))
        self.app.push_screen(prompt, partial(self._add_card, stage))

    def _add_card(self, stage: Stage, new: NewCard | None) -> None:
        from ... import ops
        from ...model import new_id

        session = self.live.session
        board = session.board
        if new is None or board is None:
            self.select_column(self.current_column)
            return
        title = new.title
        actor = session.actor
        card_id = new_id(board.cards)
        by: tuple[str, ...] = (actor,) if actor in board.members else ()
        by += tuple(guest.key for guest in new.guests)
        added = ops.AddCard(title=title, stage=stage, by=by, card_id=card_id, actor=actor)
        # the guests join and co-create in one step: one undo takes all of it back
        op: ops.Op = ops.Batch((*new.guests, added)) if new.guests else added
        if self.query_text:  # the new card stays in view, filter or not
            self.kept = self.kept | {card_id}
        if not self.change(op, (stage, card_id)):
            self.select_column(self.current_column)
            return
        test = matcher(self.query_text, board.members)
        card = session.board.cards.get(card_id) if session.board else None
        if test is not None and card is not None and not test(card):
            text = _(
                "{title} does not match the filter “{query}”: "
                "shown until the filter changes · escape clears it"
            )
            self.notify(
                text.format(title=quoted(card.title), query=self.query_text.strip()),
                timeout=6,
                markup=False,
            )

    def action_open_card(self) -> None:
        from .card_view import CardView

        selected = self._selected()
        board = self.live.session.board
        if selected is None or board is None:
            return
        _column, card_id, card = selected
        view = CardView(
            card_id, card, board.members, decide=self.decide, board=lambda: self.live.session.board
        )
        self._dialog = view
        self.app.push_screen(view, self._viewed)

    def _viewed(self, choice: EditRequest | None) -> None:
        view, self._dialog = self._dialog, None
        if choice is None:
            return
        if view is not None and self.current_column.card_id != view.card_id:
            # someone else deleted or archived it while it was open: e must not edit
            # whichever card took its place
            board = self.live.session.board
            gone = board is None or view.card_id not in board.cards
            if gone:
                text = _("{title} was deleted by someone else: nothing to edit")
            else:
                text = _("{title} is not shown now: nothing to edit")
            self.notify(text.format(title=quoted(view.card.title)), timeout=4)
            return
        self.action_edit_card(choice.decide)

    def decide(self, op: ops.ResolveConflict) -> Card | None:
        """Apply a decision on a conflicted field (from the card view) as any change.

        The card as it is afterwards (None: the decision deleted it); unchanged if the
        board refused it (the user is told why).
        """
        from ... import ops

        session = self.live.session
        board = session.board
        if board is None:
            return None
        try:  # where the card ends up (taking a stage moves it), for the selection
            after = ops.apply(board, op).cards.get(op.card_id)
        except ops.OpError:
            after = board.cards.get(op.card_id)
        focus = (after.stage, op.card_id) if after is not None else None
        self.change(replace(op, actor=session.actor), focus)
        board = session.board
        return board.cards.get(op.card_id) if board is not None else None

    def action_edit_card(self, decide: str | None = None) -> None:
        from .card_editor import CardEditor

        selected = self._selected()
        board = self.live.session.board
        if selected is None or board is None:
            return
        _column, card_id, card = selected
        editor = CardEditor(
            card_id,
            card,
            board.members,
            check=partial(self.check_edit, card),
            decide=decide if decide in card.conflicts else None,
        )
        self._dialog = editor
        self.app.push_screen(editor, partial(self._edited, card, editor.guests))

    def edit_op(
        self, opened: Card, op: ops.EditCard, guests: Sequence[ops.SetMember] = ()
    ) -> ops.Op:
        """The operation that saves an editor's changes to the board as it is now.

        Only the fields the user changed are set, so someone else's change to another
        field survives. A card deleted while the editor was open is put back as it was
        when the editor opened, with the user's changes: nothing typed is thrown away.
        Guests added in the editor join the team in the same step (one undo).
        """
        from ... import ops

        board = self.live.session.board
        steps: tuple[ops.Op, ...] = (*guests, op)
        if board is not None and op.card_id not in board.cards:
            steps = (*guests, ops.PutCard(op.card_id, opened), op)
        return ops.Batch(steps) if len(steps) > 1 else op

    def check_edit(
        self, opened: Card, op: ops.EditCard, guests: Sequence[ops.SetMember] = ()
    ) -> str | None:
        """Why `op` cannot apply to the board as it is now; None when it can."""
        from ... import ops

        board = self.live.session.board
        if board is None:
            return _("the board is not open")
        try:
            ops.apply(board, self.edit_op(opened, op, guests))
        except ops.OpError as error:
            return str(error)
        return None

    def _edited(
        self, opened: Card, guests: Sequence[ops.SetMember], op: ops.EditCard | None
    ) -> None:
        from ...session import Overwrite

        self._dialog = None
        if op is None or not op.changes:
            return
        op = replace(op, actor=self.live.session.actor)
        board = self.live.session.board
        now = board.cards.get(op.card_id) if board is not None else None
        # fields someone else changed while the editor was open, now replaced by ours
        replaced = [
            Overwrite(op.card_id, name, getattr(now, name), value)
            for name, value in op.changes.items()
            if now is not None and getattr(now, name) not in (getattr(opened, name), value)
        ]
        stage = now.stage if now is not None else opened.stage
        if self.change(self.edit_op(opened, op, guests), (stage, op.card_id)) and replaced:
            notice = overwritten_notice(replaced, board)
            title = _("Two changes to one field")
            self.notify(notice or "", title=title, severity="warning")

    @unless_guest("sync")
    def action_sync(self) -> None:
        self.live.git.sync()

    def action_archive_card(self) -> None:
        from ... import ops

        selected = self._selected()
        if selected is None:
            return
        _column, card_id, card = selected
        op = ops.ArchiveCard(card_id, archived=not card.archived, actor=self.live.session.actor)
        if self.change(op, (card.stage, card_id)):
            if card.archived:
                text = _("Restored “{title}” · u undoes")
            else:
                text = _("Archived “{title}” · u undoes")
            self.notify(text.format(title=card.title), timeout=3)

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, which: Literal["undo", "redo"]) -> None:
        from ... import ops

        session = self.live.session
        before = session.board
        try:
            board = session.undo() if which == "undo" else session.redo()
        except ops.OpError as error:
            title = _("Cannot undo") if which == "undo" else _("Cannot redo")
            self.notify(str(error), title=title, severity="warning")
            return
        if board is None:
            self.notify(
                _("Nothing to undo") if which == "undo" else _("Nothing to redo"), timeout=2
            )
            return
        card_id = changed_card(before, board)
        card = board.cards.get(card_id) if card_id is not None else None
        if card is not None and card_id is not None:
            self._after_change(board, (card.stage, card_id))
        else:
            self._after_change(board, None)
        if before is not None:  # say what: undo names the change it took back
            if which == "undo":
                text = _("Undid: {change}").format(change=describe_change(board, before))
            else:
                text = _("Redid: {change}").format(change=describe_change(before, board))
            self.notify(text, timeout=3, markup=False)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(HelpScreen.rows(self)))
