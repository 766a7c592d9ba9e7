"""Creating a board: offered when there is none yet (and from the picker)."""

from __future__ import annotations

import re
import unicodedata
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

from ...model import SCHEMA, Board, describe_error
from ...safe_text import visible
from ...session import create
from ...storage import BoardFileError
from ..widgets.keybar import KeyBar

_SPELLED = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ß": "ss", "œ": "oe", "ł": "l"})


def slug(title: str) -> str:
    """A file name for a board titled `title`: lowercase ASCII words joined by "-"."""
    text = unicodedata.normalize("NFKD", title.lower().translate(_SPELLED))
    text = "".join(char for char in text if not unicodedata.combining(char))
    name = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].strip("-")
    return name or "board"


def free_path(folder: Path, title: str) -> Path:
    """A path in `folder` named after `title` that no file has yet."""
    base = slug(title)
    path = folder / f"{base}.toml"
    number = 2
    while path.exists():
        path = folder / f"{base}-{number}.toml"
        number += 1
    return path


class NewBoardScreen(Screen[None]):
    """A title and a challenge; creates the board file and posts `NewBoardScreen.Created`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "quit", "Back / quit", id="new-board.quit"),
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
            intro = f"There is no board at {self.path} yet. Create it?"
        else:
            intro = f"There is no board in {self.boards_dir}/ yet. Create one?"
        with Vertical(id="dialog"):
            yield Label(visible(intro), classes="dialog-title", markup=False)
            title = Input(placeholder="what the sprint is about", id="title")
            title.border_title = "Title"
            yield title
            challenge = Input(placeholder="How might we …?", id="challenge")
            challenge.border_title = "Challenge"
            yield challenge
            yield Label(visible(f"The board is saved in {where}"), classes="hint", markup=False)
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Back" if self.back else "Quit", id="quit")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted, "#title")
    def _next_field(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._error("A board needs a title.")
            return
        self.query_one("#challenge", Input).focus()

    @on(Input.Submitted, "#challenge")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        title = " ".join(self.query_one("#title", Input).value.split())
        challenge = self.query_one("#challenge", Input).value.strip()
        if not title:
            self._error("A board needs a title.")
            self.query_one("#title", Input).focus()
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
            self.boards_dir.mkdir(parents=True, exist_ok=True)
            path = self.path or free_path(self.boards_dir, board.title)
            create(path, board)
        except OSError as error:
            folder = self.boards_dir
            self.post_message(self.Failed(BoardFileError(folder, f"cannot be created: {error}")))
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
