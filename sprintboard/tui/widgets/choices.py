"""A list of things to tick whose ticks show without colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList


class TickList(SelectionList[str]):
    """A `SelectionList` whose box is empty when an option is not chosen.

    Textual draws the same "X" in every box and tells chosen from not chosen by
    colour alone, which vanishes with NO_COLOR or in a monochrome terminal.
    """

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2:
            return strip
        inner = segments[1]
        index = inner.style.meta.get("option") if inner.style else None
        if index is None:
            return strip
        chosen = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment("X" if chosen else " ", inner.style, inner.control)
        return Strip(segments, strip.cell_length)
