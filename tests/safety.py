"""What "no raw control character reaches a terminal" means, as one reusable check.

`assert_no_raw_controls(output)` fails when bytes a program wrote to a terminal (its
stdout, stderr, or everything a pty received) hold a control character that came
from text rather than from the program's own drawing: any C0 control but the newline,
tab and (with `terminal`) what a Textual screen itself sends, DEL, a C1 control, a
bidirectional override or isolate, or a line/paragraph separator. `HOSTILE` is a
string holding one of each, for tests to put into every field they can.
"""

from __future__ import annotations

import re

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\u2028\x85\x7f\x00\r!"
"""Escape sequences (OSC title, clear screen, a C1 CSI), a right-to-left override, an
isolate, a line separator, NEL, DEL, NUL and a carriage return: one of each kind."""

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"

_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def raw_controls(output: bytes | str) -> list[str]:
    """The unsafe characters in `output` (decoded as UTF-8; a stray byte is one too)."""
    text = output.decode("utf-8", errors="surrogateescape") if isinstance(output, bytes) else output
    found = [repr(m.group()) for m in _RAW.finditer(text)]
    found += [repr(c) for c in text if "\udc80" <= c <= "\udcff"]
    return found


def assert_no_raw_controls(output: bytes | str, what: str = "output") -> None:
    """Fail, showing where, when `output` holds a raw control character."""
    found = raw_controls(output)
    if found:
        shown = output if isinstance(output, str) else output.decode(errors="backslashreplace")
        raise AssertionError(f"{what} holds raw {', '.join(sorted(set(found)))}: {shown!r:.600}")


_TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]*\x07")
"""The only OSC sequence Textual sends by itself: the mouse pointer's shape."""


def assert_no_user_escapes(output: bytes) -> None:
    """For a pty showing a Textual screen (which draws with escape sequences itself)
    after `HOSTILE` text was on it: no OSC sequence or BEL but Textual's own, the text
    only ever as visible escapes, and no C1 control, bidi control or separator at all."""
    own = _TEXTUAL_OSC.sub(b"", output)
    osc = own.find(b"\x1b]")
    assert osc < 0, f"an OSC sequence from user text: {own[osc : osc + 80]!r}"
    assert b"\x07" not in own, "a BEL from user text"
    assert b"\x1b[2J" not in own, "a screen clear (Textual never sends one)"
    text = own.decode("utf-8", errors="surrogateescape")
    odd = [m.group() for m in _RAW.finditer(text) if m.group() not in "\x1b\r\n\x08"]
    assert not odd, f"raw controls on the screen: {sorted(set(map(repr, odd)))}"
