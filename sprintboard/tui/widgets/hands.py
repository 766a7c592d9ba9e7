"""The external-hands panel: per stage, how many cards have an external co-creator.

One line under the header, shown and hidden with `X` ("per stage: idea 2 of 3 ·
prototype 0 of 1 · …"); the figure is the domain's (`co_creation.external_hands`), given to `show`.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import Static

from ...i18n import _
from ...labels import stage_label
from ...vocabulary import Stage


class HandsPanel(Static):
    """Cards with an external co-creator, of the stage's cards, for each stage."""

    DEFAULT_CSS = """
    HandsPanel {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="hands-panel")
        self.figures: Mapping[Stage, tuple[int, int]] | None = None
        """What the panel shows: (external, total) by stage."""

    def show(self, per_stage: Mapping[Stage, tuple[int, int]]) -> None:
        """Show the figure per stage (nothing is redrawn when it did not change)."""
        if per_stage == self.figures:
            return
        self.figures = dict(per_stage)
        parts = [
            _("{stage} {external} of {total}").format(
                stage=stage_label(stage), external=external, total=total
            )
            for stage, (external, total) in per_stage.items()
        ]
        self.update(_("per stage: {stages}").format(stages=" · ".join(parts)))
