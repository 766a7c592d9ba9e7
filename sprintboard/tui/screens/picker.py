"""Choosing a board: every board file in the boards folder, with what is on it.

The files are read in a worker. A file that cannot be read is listed with its
error line instead (it can still be opened, to see all of its problems).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...i18n import _
from ...labels import stage_label
from ...model import Stage
from ...safe_text import visible
from ..board_files import BoardSummary, summarize
from ..widgets.header import one_line
from ..widgets.keybar import KeyBar


def summary_text(summary: BoardSummary) -> Text:
    """A board as an entry of the list: title and file, challenge, counts per stage."""
    text = Text()  # Text, not a str: never read as markup
    name = visible(summary.path.name)
    if summary.error is not None:
        text.append(name, style="bold")
        text.append("\n" + _("⚠ cannot be read:") + " ", style="bold")
        text.append(visible(summary.error))
        return text
    text.append(visible(summary.title), style="bold")
    text.append(f"  {name}", style="dim")
    if summary.challenge:
        text.append("\n" + visible(one_line(summary.challenge)), style="italic")
    counts = " · ".join(f"{stage_label(stage)} {summary.counts[stage]}" for stage in Stage)
    text.append("\n" + counts)
    return text


class BoardPicker(Screen[None]):
    """The boards in a folder; choosing one posts `BoardPicker.Chosen`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_board", _("New board"), id="picker.new-board"),
        # the picker is the app's first screen: Escape leaves, as q does (from a board
        # opened here, q quits too; there is no screen to go back to)
        Binding("q,escape", "quit", _("Quit"), id="picker.quit"),
    ]

    @dataclass
    class Chosen(Message):
        """The user chose the board at `path`."""

        path: Path

    @dataclass
    class NewRequested(Message):
        """The user asked to create a new board."""

    @dataclass
    class Loaded(Message):
        """The summaries of the folder's boards, read by the worker."""

        summaries: list[BoardSummary]

    def __init__(self, boards_dir: Path) -> None:
        super().__init__()
        self.boards_dir = boards_dir
        """The folder whose board files are listed."""

    def compose(self) -> ComposeResult:
        title = _("Boards in {folder}").format(folder=self.boards_dir)
        yield Label(visible(title), classes="screen-title", markup=False)
        yield OptionList(id="boards")
        yield KeyBar()

    def on_mount(self) -> None:
        boards = self.query_one("#boards", OptionList)
        boards.loading = True
        self._load()

    @work(thread=True, exclusive=True, group="picker")
    def _load(self) -> None:
        paths = sorted(self.boards_dir.glob("*.toml"))
        self.post_message(self.Loaded([summarize(path) for path in paths]))

    def on_board_picker_loaded(self, message: BoardPicker.Loaded) -> None:
        boards = self.query_one("#boards", OptionList)
        boards.loading = False
        boards.clear_options()
        for number, summary in enumerate(message.summaries):
            if number:
                boards.add_option(None)
            boards.add_option(Option(summary_text(summary), id=str(summary.path)))
        boards.highlighted = 0 if message.summaries else None
        boards.focus()

    @on(OptionList.OptionSelected, "#boards")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(self.Chosen(Path(event.option.id)))

    def action_new_board(self) -> None:
        self.post_message(self.NewRequested())

    def action_quit(self) -> None:
        self.app.exit()
