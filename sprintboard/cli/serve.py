"""The entries for people without a shell account: serve-ssh (the built-in SSH server).

Filled in by the SSH entry's work; see README, "Inviting people in".
"""

from __future__ import annotations

from .common import AddCommand


def register(command: AddCommand) -> None:
    """Add the serving commands to the parser."""
