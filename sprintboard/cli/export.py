"""`sprintboard export BOARD --format md|html|csv|json [-o FILE]`: the report, the data."""

from __future__ import annotations

from .common import AddCommand


def register(command: AddCommand) -> None:
    """Add the command of this family (none yet)."""
