"""A made-up language's catalogue for tests, made from the committed template with Babel.

Every text "translated" to itself between ⟦ and ⟧ (placeholders kept), compiled to a
.mo as the real catalogues are (`sprintboard.i18n.extract.compiled`), so a test can
tell translated text from text that skipped the catalogue.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from sprintboard.i18n import extract


def pseudo(text: str) -> str:
    """The made-up language's text: the English, marked at both ends (placeholders kept)."""
    return f"⟦{text}⟧"


def write_catalogue(path: Path, template: str, translate: Callable[[str], str] = pseudo) -> None:
    """The .mo at `path`: every message of `template` (a .pot's text) as `translate` says."""
    from babel.messages.pofile import read_po, write_po

    catalogue = read_po(io.StringIO(template))
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, str):
            message.string = translate(message.id)
        else:
            message.string = tuple(translate(form) for form in message.id)
    po = io.BytesIO()
    write_po(po, catalogue)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(extract.compiled(po.getvalue()))
