"""The SSH entry's one question, apart: the printed invitation quotes it, and the
command line that prints it must not import the invitations store to do so."""

from __future__ import annotations

from ..i18n import N_

PROMPT = N_("Invitation code:")
"""What the SSH entry asks (and a space), and what the printed invitation quotes: one
message, so that the two agree in every language."""
