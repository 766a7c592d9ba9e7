"""Creating a board: offered when there is none yet (and from the picker)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from ...i18n import _
from ...model import SCHEMA, Board, describe_error
from ...safe_text import visible
from ..board_files import BoardFileError, create_board
from ..widgets.keybar import KeyBar

TITLE_WIDTH = 60
"""At most this many characters of the challenge make the title it defaults to."""


def title_from(challenge: str) -> str:
    """The title a board takes from its challenge: one line, cut after a whole word."""
    text = " ".join(challenge.split())
    if len(text) <= TITLE_WIDTH:
        return text
    cut = text[: TITLE_WIDTH - 1].rsplit(" ", 1)[0] or text[: TITLE_WIDTH - 1]
    return cut.rstrip(" ,.;:") + "…"


class NewBoardScreen(Screen[None]):
    """A challenge, then a title (taken from the challenge when left empty); creates
    the board file and posts `NewBoardScreen.Created`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "quit", _("Back / quit"), id="new-board.quit"),
    ]

    @dataclass
    class Created(Message):
        """The board file at `path` was created."""

        path: Path

    @dataclass
    class Failed(Message):
        """The board file could not be written."""

        error: BoardFileError

    def __init__(self, boards_dir: Path, path: Path | None = None, *, back: bool = False) -> None:
        super().__init__()
        self.back = back
        """Whether escape goes back to the screen below (the picker) instead of quitting."""
        self.boards_dir = boards_dir
        """Where a new board goes when no `path` is given."""
        self.path = path
        """The file to create; None: one named after the title in `boards_dir`."""

    def compose(self) -> ComposeResult:
        where = str(self.path) if self.path is not None else f"{self.boards_dir}/"
        if self.path is not None:
            intro = _("There is no board at {path} yet. Create it?").format(path=self.path)
        else:
            intro = _("There is no board in {folder}/ yet. Create one?").format(
                folder=self.boards_dir
            )
        with Vertical(id="dialog"):
            yield Label(visible(intro), classes="dialog-title", markup=False)
            # the challenge first: a sprint is framed by its question; the title may follow it
            challenge = Input(placeholder=_("How might we …?"), id="challenge")
            challenge.border_title = _("Challenge")
            yield challenge
            title = Input(placeholder=_("empty: taken from the challenge"), id="title")
            title.border_title = _("Title")
            yield title
            saved = _("The board is saved in {where}").format(where=where)
            yield Label(visible(saved), classes="hint", markup=False)
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Create"), variant="primary", id="create")
                yield Button(_("Back") if self.back else _("Quit"), id="quit")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#challenge", Input).focus()

    @on(Input.Submitted, "#challenge")
    def _next_field(self, event: Input.Submitted) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted, "#title")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        challenge = self.query_one("#challenge", Input).value.strip()
        title = " ".join(self.query_one("#title", Input).value.split()) or title_from(challenge)
        if not title:
            self._error(_("A board needs a challenge or a title."))
            self.query_one("#challenge", Input).focus()
            return
        data = {"schema": SCHEMA, "title": title}
        if challenge:
            data["challenge"] = challenge
        try:
            board = Board.model_validate(data)
        except ValidationError as error:
            self._error(describe_error(error.errors()[0]))
            return
        self._write(board)

    @work(thread=True, exclusive=True, group="create")
    def _write(self, board: Board) -> None:
        try:
            path = create_board(self.boards_dir, self.path, board)
        except BoardFileError as error:
            self.post_message(self.Failed(error))
        else:
            self.post_message(self.Created(path))

    def on_new_board_screen_failed(self, message: NewBoardScreen.Failed) -> None:
        self._error(str(message.error))

    def _error(self, text: str) -> None:
        error = self.query_one("#error", Label)
        error.update(visible(text))
        error.display = True

    @on(Button.Pressed, "#quit")
    def action_quit(self) -> None:
        if self.back:
            self.app.pop_screen()
        else:
            self.app.exit()
