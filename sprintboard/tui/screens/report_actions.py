"""What the sprint learned, from the board screen: `m` the metrics screen, `E` "Export report…".

`ReportActions` is one of `SprintActions`' bases (on `Roles`, like the other families).
Anyone may look at the figures and export them: nothing here changes the board. A
guest does not export (`guest.OFF`): the report would be a file on the server; a
guest in a browser does, as a download (`guest.DELIVERED`: a file name, no path).

Both screens are imported when first opened, never before: the metrics screen brings
plotext, the reports their formats, and the app's first frame waits for none of it.
They are handed the board as a callable (the board as it is when they ask), and the
clock `report_clock`, which tests fix so the figures on screen do not move. While the
metrics screen is open, every board this screen shows — a change of ours, or another
person's arriving from the file — is passed on to it (`show_board`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from ..guest import delivered, unless_guest
from .roles import Roles

if TYPE_CHECKING:
    from ...vocabulary import Stage
    from ..faces import BoardLike
    from .metrics import MetricsScreen


def _now() -> datetime:
    return datetime.now(UTC)


class ReportActions(Roles):
    """The board screen's keys for the metrics screen and the export dialog."""

    report_clock: ClassVar[Callable[[], datetime]] = _now
    """"Now" for the figures and the reports (aware); tests fix it."""

    _metrics: MetricsScreen | None = None

    def action_metrics(self) -> None:
        from .metrics import MetricsHooks, MetricsScreen

        if not self.live.opened or self.live.session.board is None:
            return
        hooks = MetricsHooks(board=lambda: self.live.session.board, now=type(self).report_clock)
        screen = self._metrics = MetricsScreen(hooks)
        self.app.push_screen(screen, lambda _result: self._metrics_closed(screen))

    def _metrics_closed(self, screen: MetricsScreen) -> None:
        if self._metrics is screen:  # not one opened since (m, escape, m in a burst)
            self._metrics = None

    def show_board(self, board: BoardLike, select: tuple[Stage, str | None] | None = None) -> None:
        """Draw `board`; an open metrics screen counts again (it looks at the board itself)."""
        super().show_board(board, select)
        metrics = self._metrics
        if metrics is not None and metrics.is_attached:
            metrics.board_changed()

    @unless_guest("export_report")
    def action_export_report(self) -> None:
        from .export_dialog import ExportDialog

        if not self.live.opened or self.live.session.board is None:
            return
        dialog = ExportDialog(
            board=lambda: self.live.session.board,
            board_file=self.live.path,
            now=type(self).report_clock,
            to_browser=delivered(self, "export_report"),
        )
        self.app.push_screen(dialog)
