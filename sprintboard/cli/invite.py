"""The invitation commands: invite (someone onto one board), invites (the list), revoke.

Filled in by the invitations work; see README, "Inviting people in".
"""

from __future__ import annotations

from .common import AddCommand


def register(command: AddCommand) -> None:
    """Add the invitation commands to the parser."""
