"""The message catalogues: the template made from the source, each language's kept in step.

`python -m sprintboard.i18n.extract` (from the project folder) rewrites
`sprintboard/locale/sprintboard.pot` from the source, merges it into every language's
catalogue `sprintboard/locale/<language>/LC_MESSAGES/sprintboard.po` (a new text comes
in untranslated, a text gone from the source leaves) and compiles each into the
`sprintboard.mo` the program reads; `--check` only says whether all of them are current
(exit 1 when not); `--new LANGUAGE` starts a catalogue for another language. Merging and
compiling are Babel's. It reads the source with `ast` — the literals passed to
`_`, `N_` and `ngettext` — so it needs nothing beyond the standard library, and the
template is the same bytes for the same source (no creation date), so a test can
tell a stale one. Arguments that are not literals are not collected: the checks of
the test suite refuse them, except `_(TABLE[key])` on a table whose text is marked
with `N_` where it is written, and collected there.
"""

from __future__ import annotations

import ast
import io
import string
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MARKERS = {"_": 1, "N_": 1, "ngettext": 2}
"""The functions that mark text, and how many of their arguments are text."""

PACKAGE = Path(__file__).resolve().parent.parent
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "sprintboard.pot"
CATALOGUE = "LC_MESSAGES/sprintboard.po"
"""Where a language's catalogue is, under `LOCALE/<language>/`; its .mo beside it."""

# not translated: the template's own header, file content
HEADER = """\
# The messages of sprintboard, in English: the template for a catalogue.
# Made from the source by `python -m sprintboard.i18n.extract`: do not edit by hand.
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: sprintboard\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


@dataclass
class Message:
    """One text to translate: its English forms and every place it is used."""

    msgid: str
    plural: str | None = None
    references: list[str] = field(default_factory=list)
    """"path:line", the path from the project folder."""


def marked_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Every call of a marker in `tree`, with the marker's name, in source order."""
    calls = [
        (node, node.func.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in MARKERS
    ]
    yield from sorted(calls, key=lambda item: (item[0].lineno, item[0].col_offset))


def literal(node: ast.expr) -> str | None:
    """The text of a plain string literal; None for anything else (an f-string, a name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def sources(package: Path = PACKAGE) -> list[Path]:
    """The package's Python files, in a fixed order."""
    return sorted(package.rglob("*.py"))


def messages(package: Path = PACKAGE) -> list[Message]:
    """The marked texts of `package`, each once, in order of first use."""
    found: dict[str, Message] = {}
    for path in sources(package):
        where = path.relative_to(package.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call, name in marked_calls(tree):
            texts = [
                text for arg in call.args[: MARKERS[name]] if (text := literal(arg)) is not None
            ]
            if len(texts) != MARKERS[name]:
                continue  # not a literal: the test suite's checks name it
            message = found.setdefault(texts[0], Message(texts[0]))
            if len(texts) == 2 and message.plural is None:
                message.plural = texts[1]
            message.references.append(f"{where}:{call.lineno}")
    return list(found.values())


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\t", "\\t").replace("\n", "\\n") + '"'


def _field(keyword: str, text: str) -> list[str]:
    """A PO field; text of several lines as one quoted string per line, as gettext writes it."""
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return [f"{keyword} {_quoted(text)}"]
    return [f'{keyword} ""', *map(_quoted, lines)]


def placeholders(text: str) -> list[str | None]:
    """The names of the `{…}` fields of `text` ("" for `{}`); raises ValueError if it cannot be
    formatted (a single brace)."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _is_brace_format(message: Message) -> bool:
    try:
        return any(placeholders(text) for text in (message.msgid, message.plural or ""))
    except ValueError:
        return False


def template(found: Sequence[Message]) -> str:
    """The text of the .pot file for `found`."""
    out = HEADER.splitlines()
    for message in found:
        out.append("")
        out += [f"#: {reference}" for reference in message.references]
        if _is_brace_format(message):
            # lets gettext's tools check that a translation keeps the placeholders
            out.append("#, python-brace-format")
        out += _field("msgid", message.msgid)
        if message.plural is None:
            out.append('msgstr ""')
        else:
            out += _field("msgid_plural", message.plural)
            out += ['msgstr[0] ""', 'msgstr[1] ""']
    return "\n".join(out) + "\n"


def catalogues(locale: Path = LOCALE) -> list[Path]:
    """Every language's catalogue (.po), in a fixed order."""
    return sorted(locale.glob(f"*/{CATALOGUE}"))


def merged(catalogue: bytes, pot: str) -> bytes:
    """The text of a language's catalogue brought in step with the template `pot`: its
    translations kept, new texts untranslated (never guessed from a similar one: a
    guess would be shown), texts gone from the source dropped."""
    from babel.messages.pofile import read_po, write_po

    found = read_po(io.BytesIO(catalogue))
    stamp = found.creation_date
    found.update(read_po(io.StringIO(pot)), no_fuzzy_matching=True)
    found.creation_date = stamp  # the same bytes for the same source
    out = io.BytesIO()
    write_po(out, found, width=100, ignore_obsolete=True)
    return out.getvalue()


def compiled(catalogue: bytes) -> bytes:
    """The .mo the program reads for a catalogue's text (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(catalogue)), use_fuzzy=False)
    return out.getvalue()


def started(language: str, pot: str) -> bytes:
    """A new catalogue for `language`, every text untranslated, its plural rule Babel's."""
    from babel.messages.pofile import read_po, write_po

    found = read_po(io.StringIO(pot), locale=language)
    found.fuzzy = False
    # not translated: a developer's tool
    found.header_comment = (
        f"# The messages of sprintboard in the language {language}: translate each msgstr.\n"
        "# Kept in step with the source by `python -m sprintboard.i18n.extract`."
    )
    out = io.BytesIO()
    write_po(out, found, width=100)
    return out.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def main(argv: Sequence[str]) -> int:
    """Bring the template and the catalogues in step with the source (with `--check`, only
    say whether they are; with `--new LANGUAGE`, start one); the exit code."""
    # not translated: a developer's tool
    found = messages()
    pot = template(found)
    wanted: dict[Path, bytes] = {TEMPLATE: pot.encode("utf-8")}
    if "--new" in argv:
        language = argv[argv.index("--new") + 1]
        path = LOCALE / language / CATALOGUE
        if path.exists():
            print(f"{path}: already there")
            return 1
        wanted[path] = started(language, pot)
    for path in catalogues():
        wanted[path] = merged(path.read_bytes(), pot)
    for path in list(wanted):
        if path != TEMPLATE:
            wanted[path.with_suffix(".mo")] = compiled(wanted[path])
    stale = [
        path for path, data in wanted.items() if not path.is_file() or path.read_bytes() != data
    ]
    if "--check" in argv:
        for path in stale:
            print(f"{path}: out of date")  # not translated: a developer's tool
        print(f"{len(wanted)} files: {'all current' if not stale else f'{len(stale)} out of date'}")
        return 1 if stale else 0
    for path, data in wanted.items():
        if _write_if_changed(path, data):
            print(f"{path}: written")
    print(f"{TEMPLATE}: {len(found)} messages; {len(catalogues())} catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
