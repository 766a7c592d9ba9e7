"""Every language's catalogue is complete and current, and the words borrowed from argparse
and Textual are the ones they really use.

- every text of the template has a translation in every catalogue: not fuzzy (gettext
  would not show it), every plural form filled, the same `{placeholders}` (and, for
  argparse's words, the same `%` placeholders), nothing obsolete left behind;
- each committed .mo is what the .po compiles to, and the extractor finds nothing stale;
- argparse's and Textual's own texts, which the program translates for them, are taken
  from the running Python's `argparse.py` and the installed Textual's source: an upgrade
  that changes one of them fails here rather than leaving an English word on screen;
- (test_wheel: the wheel that is built carries the compiled catalogues.)
"""

from __future__ import annotations

import argparse
import ast
import io
import re
from functools import cache
from pathlib import Path

import pytest
import textual.app
import textual.command
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from sprintboard.i18n import extract
from sprintboard.tui import textual_words

ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "sprintboard" / "cli" / "parser.py"

PRINTF = re.compile(r"%(\(\w+\))?[-#0+]*\d*(\.\d+)?[sdifrxXeEgGc%]")
"""A printf-style placeholder as argparse uses them ("%s", "%(prog)s", "%r")."""

CATALOGUES = extract.catalogues()


def test_there_is_a_danish_catalogue() -> None:
    assert "da" in [path.relative_to(extract.LOCALE).parts[0] for path in CATALOGUES]


@cache
def template() -> Catalog:
    return read_po(io.BytesIO(extract.TEMPLATE.read_bytes()))


@cache
def catalogue(path: Path) -> Catalog:
    return read_po(io.BytesIO(path.read_bytes()))


def ids(message: Message) -> tuple[str, ...]:
    """The English forms of a message: (singular,) or (singular, plural)."""
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def forms(message: Message) -> tuple[str, ...]:
    """The translated forms of a message, in the catalogue's order."""
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string or "",)


def brace_names(text: str) -> list[str] | None:
    """The `{…}` names of `text`, sorted; None when it is not a format string at all."""
    try:
        return sorted(name or "" for name in extract.placeholders(text) if name is not None)
    except ValueError:
        return None


def printf(text: str) -> list[str]:
    return sorted(match.group(0) for match in PRINTF.finditer(text))


@cache
def argparse_words() -> dict[str, str | None]:
    """The texts of `ARGPARSE_WORDS` in `cli/parser.py`, as written there: each singular
    with its plural (None for a text without one). Read from the source, since the tuple
    itself holds `ngettext`'s result in the language in force."""
    tree = ast.parse(PARSER.read_text(encoding="utf-8"))
    [node] = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "ARGPARSE_WORDS" for t in node.targets)
    ]
    found: dict[str, str | None] = {}
    for call, name in extract.marked_calls(node):
        texts = [extract.literal(arg) for arg in call.args[: extract.MARKERS[name]]]
        assert all(isinstance(text, str) for text in texts), ast.unparse(call)
        found[str(texts[0])] = texts[1] if len(texts) == 2 else None
    return found


def test_the_template_is_not_empty_and_has_plurals() -> None:
    messages = [message for message in template() if message.id]
    assert len(messages) > 500
    assert any(message.pluralizable for message in messages)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_text_is_translated_in_every_catalogue(path: Path) -> None:
    found = catalogue(path)
    problems = []
    for wanted in template():
        if not wanted.id:
            continue
        key = ids(wanted)[0]
        message = found.get(key)
        if message is None:
            problems.append(f"{key!r}: missing")
            continue
        if message.fuzzy:
            problems.append(f"{key!r}: fuzzy (gettext leaves it out)")
        if ids(message) != ids(wanted):
            problems.append(f"{key!r}: its plural is {ids(message)[1:]}, not {ids(wanted)[1:]}")
        texts = forms(message)
        if wanted.pluralizable and len(texts) != found.num_plurals:
            problems.append(f"{key!r}: {len(texts)} plural forms, not {found.num_plurals}")
        if not all(texts):
            problems.append(f"{key!r}: untranslated")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_translations_keep_the_placeholders(path: Path) -> None:
    found = catalogue(path)
    problems = []
    for message in found:
        if not message.id or not all(forms(message)):
            continue  # the test above names these
        english = ids(message)
        for index, text in enumerate(forms(message)):
            # form 0 answers the singular, every other form the plural
            source = english[min(index, len(english) - 1)]
            if brace_names(text) != brace_names(source):
                problems.append(f"{english[0]!r}: {text!r} has {brace_names(text)}")
            borrowed = english[0] in argparse_words()  # argparse fills them with %
            if borrowed and printf(text) != printf(source):
                problems.append(f"{english[0]!r}: {text!r} has {printf(text)}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_argparse_words_have_their_percent_placeholders_checked() -> None:
    # the check above must see them: argparse fills them with `%`, and a name or a
    # conversion changed in a translation is a KeyError or a TypeError at the user's error
    with_printf = [text for text in argparse_words() if printf(text)]
    assert "invalid choice: %(value)r (choose from %(choices)s)" in with_printf
    assert printf("%(prog)s: error: %(message)s\n") == ["%(message)s", "%(prog)s"]
    assert printf("100% sure") == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_no_obsolete_entries_are_kept(path: Path) -> None:
    assert not catalogue(path).obsolete
    lines = path.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("#~")]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_committed_mo_is_the_po_compiled(path: Path) -> None:
    mo = path.with_suffix(".mo")
    compiled = extract.compiled(path.read_bytes())
    assert mo.read_bytes() == compiled, f"{mo} is stale: python -m sprintboard.i18n.extract"


def test_the_extractor_finds_everything_current(capsys: pytest.CaptureFixture[str]) -> None:
    code = extract.main(["--check"])
    said = capsys.readouterr().out
    assert code == 0, said
    assert "all current" in said


def argparse_texts() -> tuple[set[tuple[str, ...]], list[str]]:
    """The literals the running Python's argparse passes to `_` and `ngettext` (a plural as
    its two forms), and every call that passes something else, as source."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    literals: set[tuple[str, ...]] = set()
    others = []
    for call, name in extract.marked_calls(ast.parse(source)):
        if name not in ("_", "ngettext"):
            continue
        texts = [extract.literal(arg) for arg in call.args[: extract.MARKERS[name]]]
        if all(text is not None for text in texts):
            literals.add(tuple(str(text) for text in texts))
        else:
            others.append(ast.unparse(call))
    return literals, others


def test_every_text_argparse_translates_is_in_argparse_words() -> None:
    literals, others = argparse_texts()
    assert len(literals) > 20, f"{argparse.__file__} has no texts: has argparse changed?"
    marked = {(text, *([plural] if plural else [])) for text, plural in argparse_words().items()}
    missing = sorted(literals - marked)
    assert not missing, f"texts of {argparse.__file__} not in ARGPARSE_WORDS: {missing}"
    # the rest translate the title or description the program gives add_subparsers, which
    # it gives already translated (`title=_("commands")`): no text of argparse's own
    allowed = {"_(kwargs.pop('title', 'subcommands'))", "_(kwargs.pop('description', None))"}
    assert set(others) <= allowed, others
    assert "_(" in PARSER.read_text(encoding="utf-8").split("add_subparsers(title=")[1][:3]


def test_argparse_words_are_all_in_the_template() -> None:
    template_ids = {ids(message)[0] for message in template() if message.id}
    assert set(argparse_words()) <= template_ids


def string_literals(*modules: object) -> set[str]:
    found: set[str] = set()
    for module in modules:
        path = Path(str(getattr(module, "__file__", "")))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    return found


@pytest.mark.parametrize("table", ["SYSTEM_COMMANDS", "WORDS"])
def test_textual_words_are_textuals_own_text(table: str) -> None:
    words: dict[str, str] = getattr(textual_words, table)
    in_textual = string_literals(textual.app, textual.command)
    assert "Search for commands…" in in_textual  # the source really is read
    not_there = sorted(key for key in words if key not in in_textual)
    assert not not_there, f"not in textual/app.py or textual/command.py: {not_there}"
    for key, text in words.items():
        assert key == text  # N_ keeps the English; the app translates it when it shows it


def test_textual_words_are_in_the_template() -> None:
    template_ids = {ids(message)[0] for message in template() if message.id}
    words = {*textual_words.SYSTEM_COMMANDS, *textual_words.WORDS}
    assert words <= template_ids, sorted(words - template_ids)
