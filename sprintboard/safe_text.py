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

Both work character by character (`str.translate`): linear time on text of any length.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = [
    *range(0x00, 0x20),  # C0 controls: ESC, BEL, ... (tab and newline: see `lines`)
    *range(0x7F, 0xA0),  # DEL and the C1 controls (0x9B is CSI, like ESC [)
    0x061C,  # Arabic letter mark
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2066, 0x206A),  # bidi isolates
    *range(0xD800, 0xE000),  # lone surrogates: undecodable bytes of a file name
]
_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(code: int) -> str:
    if code in _SHORT:
        return _SHORT[code]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# str.translate looks each character up in C: linear, and fast even when most need escaping
_ONE_LINE = {code: _escape(code) for code in _UNSAFE}
_LINES = {code: text for code, text in _ONE_LINE.items() if code not in (0x09, 0x0A)}
_IN_JSON = {code: f"\\u{code:04x}" for code in _LINES}
# Whether there is anything to escape at all: a regex scan is C over the text, while
# `translate` with a table builds the result character by character (2 s for the JSON
# of 10,000 cards, against milliseconds; bench/export.py)
_NEEDS_JSON = re.compile("[" + "".join(re.escape(chr(code)) for code in _IN_JSON) + "]")


def visible(text: str, *, lines: bool = False) -> str:
    """`text` with every character a terminal would act on shown as an escape.

    One line by default (a newline shows as ``\\n``: an error message stays one line);
    with `lines`, newlines and tabs are kept, for text shown as several lines.
    """
    return text.translate(_LINES if lines else _ONE_LINE)


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
    return dumped.translate(_IN_JSON) if _NEEDS_JSON.search(dumped) else dumped
