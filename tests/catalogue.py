"""Message catalogues for tests: read a .pot, write a compiled .mo (the standard library has
no msgfmt).

Enough of the formats for catalogues made from our own template: `msgid`,
`msgid_plural`, `msgstr`/`msgstr[n]` with continuation lines, `#` comments; a .mo
without the optional hash table (gettext readers, Python's included, look messages
up by binary search or a dict and need none).
"""

from __future__ import annotations

import ast
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

MAGIC = 0x950412DE


@dataclass(frozen=True)
class Entry:
    msgid: str
    plural: str | None = None


def read_template(text: str) -> list[Entry]:
    """The messages of a .pot (or .po) file, header left out, in file order."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    current: str | None = None

    def close() -> None:
        if fields.get("msgid"):
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural")))
        fields.clear()

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith('"'):
            assert current is not None, f"a continuation before any field: {line}"
            fields[current] += ast.literal_eval(line)
            continue
        if not line or line.startswith("#"):
            if "msgstr" in fields or any(k.startswith("msgstr[") for k in fields):
                close()
            current = None
            continue
        keyword, _, value = line.partition(" ")
        if keyword == "msgid" and "msgid" in fields:
            close()
        current = keyword
        fields[keyword] = ast.literal_eval(value)
    close()
    return entries


def pseudo(text: str) -> str:
    """The made-up language's text: the English, marked at both ends (placeholders kept)."""
    return f"⟦{text}⟧"


def translations(entries: list[Entry], translate: Callable[[str], str] = pseudo) -> dict[str, str]:
    """The .mo's keys and values: a plural's key and value hold both forms, NUL-separated."""
    found = {}
    for entry in entries:
        if entry.plural is None:
            found[entry.msgid] = translate(entry.msgid)
        else:
            key = f"{entry.msgid}\0{entry.plural}"
            found[key] = f"{translate(entry.msgid)}\0{translate(entry.plural)}"
    return found


HEADER = (
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


def write_mo(path: Path, messages: Mapping[str, str], header: str = HEADER) -> None:
    """A GNU .mo file holding `messages` (and the header, the translation of "")."""
    pairs = sorted(
        ((key.encode("utf-8"), value.encode("utf-8")) for key, value in messages.items()),
    )
    pairs.insert(0, (b"", header.encode("utf-8")))  # "" sorts first
    count = len(pairs)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables: list[list[int]] = [[], []]
    blob = b""
    for side in (0, 1):
        for pair in pairs:
            tables[side] += [len(pair[side]), data_at + len(blob)]
            blob += pair[side] + b"\0"
    head = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    body = struct.pack(f"<{4 * count}I", *tables[0], *tables[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + body + blob)
