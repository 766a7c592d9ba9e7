"""Text from boards, file names and arguments made safe to show on a terminal.

Boards travel through git, so a title, a file name or a key may come from anyone who
can push. A terminal acts on the control characters in what it is sent: ``ESC ] 0 ;``
retitles the window, ``ESC [ 2 J`` clears it, U+202E (right-to-left override) makes
the rest of a line read backwards. So every text the program shows — the command
line's output and errors, the merge driver's notes, the app's screens and notices —
passes through `visible`, which shows such characters as escapes (``\\x1b``,
``\\u202e``) instead of sending them; `json_text` does the same inside JSON, where the
escapes are JSON's own and a reader gets the exact text back.

Unsafe: C0 controls (except the newline, and the tab, in text of several lines), DEL,
C1 controls (U+0080–U+009F, which some terminals read as ESC sequences), the line and
paragraph separators U+2028/U+2029, the bidirectional marks, embeddings, overrides
and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), and lone
surrogates (undecodable bytes of a file name). Everything else is shown as it is:
letters of any script, emoji (with their zero-width joiners), non-breaking spaces.
A backslash is not escaped, so a title that already reads ``\\x1b`` looks the same as
one holding ESC: the terminal is safe either way, and ordinary paths stay readable.

The patterns are single character classes: linear time on text of any length.
"""

from __future__ import annotations

import json
import re
from typing import Any

_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_LINE = re.compile(f"[\x00-\x1f{_OTHERS}]")
"""Unsafe in one line: every C0 control, the tab and the newline too."""
_UNSAFE_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")
"""Unsafe in text of several lines, which keeps its newlines and tabs."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x100:
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char, f"\\x{code:02x}")
    return f"\\u{code:04x}"


def visible(text: str, *, lines: bool = False) -> str:
    """`text` with every character a terminal would act on shown as an escape.

    One line by default (a newline shows as ``\\n``: an error message stays one line);
    with `lines`, newlines and tabs are kept, for text shown as several lines.
    """
    pattern = _UNSAFE_LINES if lines else _UNSAFE_LINE
    return pattern.sub(_escape, text)


def json_text(value: Any, *, ascii_only: bool = False, indent: int | None = 2) -> str:
    """`value` as JSON text with no character a terminal would act on.

    `json.dumps` escapes C0 controls but leaves DEL, C1 controls, bidi overrides and
    U+2028/U+2029 raw (they are legal in JSON strings); those become ``\\uXXXX``
    escapes too, which a JSON reader turns back into the same characters. Other
    non-ASCII letters stay readable unless `ascii_only` (a terminal that cannot show
    them). Outside strings JSON text holds no such character, so the escapes are always
    inside a string, where they are valid (the newlines of the indentation are kept).
    """
    dumped = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    return _UNSAFE_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
