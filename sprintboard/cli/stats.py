"""`sprintboard stats BOARD [--json]`: the sprint's figures (`flow`, `report.figures`)."""

from __future__ import annotations

from .common import AddCommand


def register(command: AddCommand) -> None:
    """Add the command of this family (none yet)."""
