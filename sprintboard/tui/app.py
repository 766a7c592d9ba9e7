"""The sprintboard app: which screen comes first, and the entry point.

`make_app` is the one way to build the app, for `run` (the command line) and for
every test. Without a board path the app looks in the boards folder: a picker when
there are several boards, the board when there is one, an offer to create one when
there are none.

Keys can be remapped with Textual's keymap: a TOML file at
``$XDG_CONFIG_HOME/sprintboard/keymap.toml`` (default ``~/.config/...``) mapping
binding ids to keys, e.g. ``"board.move-right" = "ctrl+right"``. The ids are listed
in the README.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

import tomli
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.events import DeliveryFailed
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..i18n import _, ngettext
from ..safe_text import visible
from . import screenshot
from .commands import Palette
from .guest import Hidden, deliver, delivered, off, unless_guest
from .key_order import KeysInOrder
from .screens.board import RECHECK, BoardScreen, WatchMode
from .textual_words import SYSTEM_COMMANDS, WORDS

if TYPE_CHECKING:
    from .screens.new_board import NewBoardScreen
    from .screens.picker import BoardPicker


SIGNAL_GRACE = 3.0
"""Seconds a signalled app has to end as on q before it ends without its terminal."""


class SprintboardApp(KeysInOrder[int]):
    """A terminal sprint board; keys are handled in the order typed (see `key_order`)."""

    CSS_PATH: ClassVar = ["app.tcss", "screens/board.tcss"]
    TITLE = _("sprintboard")
    ENABLE_COMMAND_PALETTE: ClassVar[bool] = True
    # Textual's own two keys, their words translated (the palette's: Textual adds its
    # own only when the app has none)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            _(WORDS["Quit"]),
            tooltip=_(WORDS["Quit the app and return to the command prompt."]),
            show=False,
            priority=True,
        ),
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            _(WORDS["palette"]),
            tooltip=_(WORDS["Open the command palette"]),
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        path: Path | None,
        actor: str | None,
        *,
        boards_dir: Path,
        today: date | None,
        watch: WatchMode,
        recheck: float | None,
        presence: bool,
        keymap: Mapping[str, str],
        guest: bool = False,
    ) -> None:
        super().__init__()
        self.path = path
        """The board to open; None: look in `boards_dir`."""
        self.actor = actor
        """Who acts: recorded on cards and their history. None: git's user.name, else
        the login name — asked by each board's open, after its first frame."""
        self.boards_dir = boards_dir
        """The folder of board files (the picker's, and where new boards go)."""
        self.today = today
        """The day the sprint is counted for; None: the real today."""
        self.watch_mode = watch
        """How a board's file is followed for outside changes (see `BoardScreen`)."""
        self.recheck = recheck
        """Seconds between safety-net looks at the file (None: never)."""
        self.presence = presence
        """Whether an open board shows, and tells others, who has it open."""
        self.keymap = dict(keymap)
        """The user's key remapping (binding id → keys)."""
        self.guest = guest
        """A guest's app: exactly `path`, and nothing that reaches outside it (`guest`)."""
        self.hidden = Hidden(path) if guest and path is not None else None
        """A guest's: takes the server's folders out of what is shown (None: show them)."""
        self.handle_signals = False
        """SIGHUP and SIGTERM end the app as q does (set by `run`, not by tests)."""
        self._stuck: threading.Timer | None = None
        self.boards: list[BoardScreen] = []
        """Every board screen opened, so `run` can save what they still hold."""
        self._first: Screen[None] | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice of the app, from any screen or widget, passes here: plain text.

        Notices quote card titles, file names and error lines from other people's
        boards, so they are never markup (Textual's default; "[/nope] x" would crash
        the app) and their control characters show as escapes. `markup` is ignored.
        """
        if self.hidden is not None:
            message, title = self.hidden(message), self.hidden(title)
        super().notify(
            visible(message, lines=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's reminder of how to quit, without its markup (see `notify`)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit", "screen.quit"):
                self.notify(
                    _("Press {key} to quit the app").format(key=key),
                    title=_("Do you want to quit?"),
                )
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not off(self, action)

    @unless_guest("suspend_process")
    def action_suspend_process(self) -> None:
        super().action_suspend_process()

    @unless_guest("open_url")
    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        super().open_url(url, new_tab=new_tab)

    def on_mount(self) -> None:
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(number, self._signalled)
        if self.keymap:
            self.set_keymap(self.keymap)
        if self._first is not None:
            self.push_screen(self._first)

    def _signalled(self) -> None:
        """SIGHUP (the terminal is gone) or SIGTERM: end as on q; `run` saves what is left.

        Not the board's quit: that waits for a save and asks again when it fails, and
        nobody may be there to answer. A terminal that is there but read by nobody (a
        stalled connection) blocks every write, Textual's last frame's too, and with it
        the exit: after `SIGNAL_GRACE` seconds a thread leaves presence, saves, and ends
        the process without the terminal.
        """
        self.exit(return_code=0)
        if self._stuck is None:
            self._stuck = threading.Timer(SIGNAL_GRACE, _end_without_terminal, (self,))
            self._stuck.daemon = True
            self._stuck.start()

    def get_default_screen(self) -> Screen[None]:
        """The board, straight away when there is one; else a blank screen under the first."""
        first = self._first_screen()
        if isinstance(first, BoardScreen):
            return first
        self._first = first  # pushed on mount, so it can be switched for the board
        return Screen()

    def _first_screen(self) -> Screen[None]:
        # the picker and the new-board screen are imported only when needed: a fast start
        if self.guest and self.path is not None:
            return self.board_screen(self.path)  # that board only, even if it has gone
        if self.path is not None and self.path.exists():
            return self.board_screen(self.path)
        boards: list[Path] = []
        if self.path is None and self.boards_dir.is_dir():
            boards = sorted(self.boards_dir.glob("*.toml"))
        if len(boards) == 1:
            return self.board_screen(boards[0])
        if len(boards) > 1:
            from .screens.picker import BoardPicker

            return BoardPicker(self.boards_dir)
        from .screens.new_board import NewBoardScreen

        return NewBoardScreen(self.boards_dir, self.path)

    def board_screen(self, path: Path) -> BoardScreen:
        screen = BoardScreen(
            path,
            self.actor,
            today=self.today,
            watch=self.watch_mode,
            recheck=self.recheck,
            presence=self.presence,
        )
        self.boards.append(screen)
        # keys typed from now on wait until its board is in (or cannot be): they act on it
        self.hold_keys(screen)
        return screen

    def action_command_palette(self) -> None:
        """Textual's palette, in the language in force."""
        if self.use_command_palette and not Palette.is_open(cast("App[object]", self)):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's list of themes (the palette's "Theme"), in the language in force."""
        from textual.theme import ThemeProvider

        # not translated: the key of `WORDS`, in English
        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, in the language in force, with a "Screenshot" that
        works (see `screenshot`)."""
        for command in super().get_system_commands(screen):
            if command.title in SYSTEM_COMMANDS:
                command = command._replace(
                    title=_(SYSTEM_COMMANDS[command.title]),
                    help=_(SYSTEM_COMMANDS.get(command.help, command.help)),
                )
            if command.title == "Screenshot" and off(self, "screenshot"):
                continue  # off for guests (`guest.OFF`): a file on the server
            if command.title == "Screenshot":  # Textual's own command, by its English title
                if delivered(self, "screenshot"):
                    what = _("Download an SVG picture of the screen in your browser")
                else:
                    what = _("Save an SVG picture of the screen in your Pictures or home folder")
                command = SystemCommand(
                    _("Screenshot"),
                    what,
                    # once the palette has closed, as Textual does: it is not in the picture
                    lambda: self.set_timer(0.1, self.action_screenshot),
                )
            yield command

    @unless_guest("screenshot")
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save the screen as SVG where `screenshot.folders` says; say where, or why not.

        `filename` and `path` (Textual's action's arguments) name the file and the one
        folder to try; the file is still new, never one replaced. A guest in a browser
        gets it as a download instead (`guest.DELIVERED`): nothing is written here.
        """
        boards = [s for s in self.screen_stack if isinstance(s, BoardScreen)]
        board = boards[-1].live.path if boards else None
        stem = screenshot.file_stem(Path(filename) if filename else board)
        if delivered(self, "screenshot"):
            name = screenshot.base_name(stem, datetime.now()) + ".svg"
            if deliver(self, self.export_screenshot(), name, "image/svg+xml"):
                self.notify(
                    _("Sent to your browser: {name}").format(name=name), title=_("Screenshot")
                )
            return
        where = [Path(path)] if path else screenshot.folders(os.environ)
        try:
            saved = screenshot.save(self.export_screenshot(), where, stem, datetime.now())
        except OSError as error:
            self.notify(
                _("Not saved in {folders}: {reason}").format(
                    folders=", ".join(map(str, where)) or _("any folder"),
                    reason=error.strerror or error,
                ),
                title=_("Screenshot"),
                severity="error",
                markup=False,
            )
            return
        self.notify(
            _("Saved in {path}").format(path=saved), title=_("Screenshot"), markup=False, timeout=8
        )

    def on_delivery_failed(self, event: DeliveryFailed) -> None:
        """A file for the browser (`guest.deliver`) that did not get there: say which."""
        self.notify(
            _("{name} could not be sent to your browser").format(name=event.name or ""),
            severity="error",
        )

    def on_board_picker_chosen(self, message: BoardPicker.Chosen) -> None:
        self.push_screen(self.board_screen(message.path))

    def on_board_picker_new_requested(self, message: BoardPicker.NewRequested) -> None:
        from .screens.new_board import NewBoardScreen

        self.push_screen(NewBoardScreen(self.boards_dir, back=True))

    def on_new_board_screen_created(self, message: NewBoardScreen.Created) -> None:
        self.switch_screen(self.board_screen(message.path))


def make_app(
    path: Path | None,
    actor: str | None,
    *,
    boards_dir: Path = Path("boards"),
    today: date | None = None,
    watch: WatchMode = "auto",
    recheck: float | None = RECHECK,
    presence: bool = True,
    keymap: Mapping[str, str] | None = None,
    guest: bool = False,
) -> SprintboardApp:
    """The app, for the command line and for tests.

    `today` fixes the sprint day shown (tests). `watch` is how an open board's file is
    followed for other people's changes: "auto" (inotify, or polling on network file
    systems), "polling", or "off" (tests that look at the file themselves).
    `recheck` is the safety net: seconds between looks at the file whatever the
    watcher says, which also retries failed saves (None: never). `presence`: register
    in the board's presence folder and show who else has it open. `actor` None: who
    acts is found (git's user.name, the login name) when a board is opened. `guest`:
    a guest's app (see `guest`): `path` only, and nothing that reaches outside it.
    """
    return SprintboardApp(
        path,
        actor,
        boards_dir=boards_dir,
        today=today,
        watch=watch,
        recheck=recheck,
        presence=presence,
        keymap=keymap or {},
        guest=guest,
    )


def keymap_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "sprintboard" / "keymap.toml"


def load_keymap(path: Path, *, quiet: bool = False) -> dict[str, str]:
    """The keymap in `path` (binding id → keys); empty when there is no such file.

    A file that cannot be read is said on stderr, unless `quiet` (a guest's app: the
    file and its path are the server's, and the guest can do nothing about them)."""
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError) as error:
        # RecursionError: tomli's answer to arrays nested 400 deep or 1,000-part keys
        if not quiet:
            message = _("sprintboard: {path}: ignored: {reason}").format(path=path, reason=error)
            print(visible(message), file=sys.stderr)
        return {}
    return {str(key): str(value) for key, value in data.items() if isinstance(value, str)}


def run(path: Path | None, actor: str | None, *, guest: bool = False) -> int:
    """Run the app in the terminal; the exit code.

    `actor` None: who acts is found after the first frame (see `make_app`). Changes
    still pending when the app closes are written before returning; if they cannot
    be, say so (exit code 1) rather than lose them silently. SIGHUP and SIGTERM end
    the app as q does, and what it holds is saved the same way.
    """
    keymap = load_keymap(keymap_path(), quiet=guest)
    app = make_app(path, actor, keymap=keymap, guest=guest)
    app.handle_signals = True
    try:
        app.run()
    finally:
        # the app has ended, and its handlers with it: one more hang-up or TERM (a server
        # ending the session, then insisting) must not cut the last save short (KILL can)
        for number in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)
        _leave(app)  # also when the app crashed: others must not see a ghost
    return _save(app, say=True)


def _leave(app: SprintboardApp) -> None:
    for screen in app.boards:
        screen.live.leave()


def _save(app: SprintboardApp, *, say: bool) -> int:
    """Write what the boards still hold; the exit code (1: some could not be written,
    said on stderr when `say`)."""
    code = app.return_code or 0
    for screen in app.boards:
        session = screen.live.made
        if session is None or not session.pending:
            continue
        outcome = session.flush()
        if outcome.error is not None:
            message = ngettext(
                "sprintboard: {n} change could not be saved: {reason}",
                "sprintboard: {n} changes could not be saved: {reason}",
                session.pending,
            ).format(n=session.pending, reason=outcome.error)
            if app.hidden is not None:
                message = app.hidden(message)
            if say:
                print(visible(message), file=sys.stderr)
            code = 1
    return code


def _end_without_terminal(app: SprintboardApp) -> None:
    """A signalled app that has not ended (see `_signalled`): leave, save, exit at once.

    Nothing is said: the terminal is what holds the app up. Both `run` and this may
    get to save; the session writes one flush at a time, and the second finds nothing.
    """
    _leave(app)
    os._exit(_save(app, say=False))
