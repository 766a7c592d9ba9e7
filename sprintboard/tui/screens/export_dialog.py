""" "Export report…": choose a format and a path, and the report is written there.

The formats are `report.formats.FORMATS`, each with what it is; the web page comes
first and is chosen to start with (it is the one to pass round). The path starts as
``<board file name>-report.<suffix>`` in the current folder — where the app was started,
which is also where a relative path typed here is written, so the default and what
the user types mean the same place (the board's folder may be a clone no one looks
into). Choosing another format changes the suffix of that default; once the user has
typed a path of their own, it is left as typed.

Enter in the path or the Save button exports: an existing file is replaced only once
the user says so; the report is rendered and written in a thread worker
(`report_files.write`: 10,000 cards take a second, the screen stays live), then a
notice says where it is. When it cannot be written, its one sentence is the notice
and the dialog stays, with what was typed. Escape cancels.

`to_browser` (a guest's app in a browser, `guest.DELIVERED`): the field is a file
name, never a path (`guest.download_name`), and Save renders the same report in the
worker and hands it to the browser as a download (`guest.deliver`): nothing is
written on the server, so there is no file to replace either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from ...i18n import _
from ...report.formats import FORMATS, SUFFIX, over_a_board, render
from ...safe_text import visible
from ..guest import deliver, download_name
from ..report_files import local_zone, write
from .question import Question

if TYPE_CHECKING:
    from ...model import Board

FIRST = "html"
"""The format chosen when the dialog opens."""

FORMAT_OF_SUFFIX = {suffix: name for name, suffix in SUFFIX.items()}
"""The format a typed path's ending names."""

ORDER = [FIRST, *(name for name in FORMATS if name != FIRST)]
"""The formats as listed: the one chosen first on top, where the list's cursor starts."""

MIME_TYPE = {
    "md": "text/markdown",
    "html": "text/html",
    "csv": "text/csv",
    "json": "application/json",
}
"""What each format is to a browser it is delivered to."""


def default_path(stem: str, fmt: str) -> str:
    """The path offered for format `fmt` of the board whose file is named `stem`."""
    return f"{stem}-report{SUFFIX[fmt]}"


class ExportDialog(ModalScreen[Path | None]):
    """The format and the path of a report; dismisses with the path written (None: not)."""

    CSS_PATH = "export_dialog.tcss"
    AUTO_FOCUS = "#path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Close without exporting"),
            id="export.cancel",
        ),
    ]

    @dataclass
    class Written(Message):
        """The worker finished: `error` None means the report is at `path`."""

        path: Path
        error: str | None

    @dataclass
    class Rendered(Message):
        """The worker rendered the report to deliver to the browser as `name`."""

        name: str
        fmt: str
        text: str

    def __init__(
        self,
        *,
        board: Callable[[], Board | None],
        board_file: Path,
        now: Callable[[], datetime],
        to_browser: bool = False,
    ) -> None:
        super().__init__()
        self.to_browser = to_browser
        """The report goes to the browser as a download, never onto this machine's disk."""
        self.board = board
        """The board as it is now (exported as it is at Save)."""
        self.board_file = board_file
        """The board's file: never written over (`report_files.write`)."""
        self.stem = board_file.stem
        """The board file's name without `.toml`: the default path's start."""
        self.now = now
        """The clock the report is made at."""
        self.fmt = FIRST
        """The format chosen."""
        self.offered = default_path(self.stem, FIRST)
        """The path the dialog offered last: the path field holds it until the user types."""
        self.saving = False
        """Whether a report is being written now (a second Save waits for it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Export report"), classes="dialog-title")
            with RadioSet(id="format"):
                for name in ORDER:
                    what = FORMATS[name][1]
                    label = f"{name:<4}  {_(what)}"
                    yield RadioButton(
                        Content(label), value=name == FIRST, name=name, id=f"format-{name}"
                    )
            field = Input(self.offered, id="path")
            field.border_title = _("File name") if self.to_browser else _("Save as")
            yield field
            if self.to_browser:
                hint = _("enter downloads it in your browser · nothing is saved on the server")
            else:
                hint = _("enter saves · a relative path is from the folder the app started in")
            yield Label(hint, classes="hint")
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), variant="primary", id="save")

    @on(RadioSet.Changed, "#format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name
        if fmt is None or fmt not in FORMATS:
            return
        self.fmt = fmt
        field = self.query_one("#path", Input)
        if field.value == self.offered:  # not the user's own: follow the format
            self.offered = default_path(self.stem, fmt)
            field.value = self.offered

    @on(Input.Changed, "#path")
    def _path_typed(self, event: Input.Changed) -> None:
        # a name ending in a format's suffix chooses that format, as `export -o NAME` does:
        # "sprint.md" typed over the web page's default must not be a web page
        fmt = FORMAT_OF_SUFFIX.get(Path(event.value.strip()).suffix.lower())
        if fmt is not None and fmt != self.fmt:
            self.query_one(f"#format-{fmt}", RadioButton).value = True

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def _save_asked(self) -> None:
        if self.saving:
            return
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            if self.to_browser:
                self.notify(_("Type the report's file name"), severity="warning")
            else:
                self.notify(_("Type the path to save the report to"), severity="warning")
            return
        if self.to_browser:
            self._deliver_asked(typed)
            return
        path = Path(typed).expanduser()
        # a file of its own to replace: asked; a link, a folder, a pipe are refused by
        # the save, in its one sentence, without a question first
        # a board is never replaced: no question, the save refuses it in its sentence
        replaceable = over_a_board(path, self.board_file) is None
        if replaceable and path.is_file() and not path.is_symlink():
            self.app.push_screen(ReplaceQuestion(path), lambda yes: self._replace(path, yes))
            return
        self._start(path)

    def _deliver_asked(self, typed: str) -> None:
        name = download_name(typed)
        if name is None:
            self.notify(
                _("Type a file name, without a folder: the report is downloaded in your browser"),
                severity="warning",
            )
            return
        board = self._begin()
        if board is not None:
            self._render_for_browser(self.fmt, board, name)

    @work(thread=True, exclusive=True, group="export", description=_("Making the report"))
    def _render_for_browser(self, fmt: str, board: Board, name: str) -> None:
        now = self.now()
        self.post_message(self.Rendered(name, fmt, render(fmt, board, now, local_zone(now))))

    def on_export_dialog_rendered(self, message: Rendered) -> None:
        self._ended()
        if deliver(self, message.text, message.name, MIME_TYPE[message.fmt]):
            self.notify(_("Sent to your browser: {name}").format(name=message.name), timeout=8)
        self.dismiss(None)

    def _replace(self, path: Path, yes: bool | None) -> None:
        if yes:
            self._start(path)
        else:
            self.query_one("#path", Input).focus()

    def _start(self, path: Path) -> None:
        board = self._begin()
        if board is not None:
            self._write(self.fmt, board, path)

    def _begin(self) -> Board | None:
        """The board to export, and a second Save waits; None (said) when there is none."""
        board = self.board()
        if board is None:
            self.notify(_("The board cannot be opened now: nothing to export"), severity="error")
            return None
        self.saving = True
        self.query_one("#save", Button).disabled = True
        return board

    def _ended(self) -> None:
        """The report is made: Save works again."""
        self.saving = False
        self.query_one("#save", Button).disabled = False

    # described, not by the arguments' repr (Textual's default): a big board's repr would
    # take seconds on the UI thread before the worker even starts
    @work(thread=True, exclusive=True, group="export", description=_("Writing the report"))
    def _write(self, fmt: str, board: Board, path: Path) -> None:
        now = self.now()
        written = write(fmt, board, self.board_file, path, now, local_zone(now))
        self.post_message(self.Written(path, written))

    def on_export_dialog_written(self, message: Written) -> None:
        self._ended()
        if message.error is not None:
            self.notify(message.error, title=_("Not saved"), severity="error", timeout=10)
            self.query_one("#path", Input).focus()
            return
        where = visible(str(message.path.absolute()))
        self.notify(_("Report saved to {path}").format(path=where), timeout=8)
        self.dismiss(message.path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplaceQuestion(Question):
    """Whether to replace the file at `path`; dismisses True to replace."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", _("Replace"), id="export-replace.replace"),
        Binding("escape,n", "answer(False)", _("Keep"), id="export-replace.keep"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__(
            _("{path} is there already. Replace it with the report?").format(
                path=visible(str(path))
            ),
            hint=_("y replaces · escape or n keeps it"),
            keep=_("Keep"),
            act=_("Replace"),
        )
        self.path = path
