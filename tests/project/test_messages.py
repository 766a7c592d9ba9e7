"""Text a person reads goes through `_`, in a form a translator can work with.

Checks over the package's source (its syntax trees, not running it):

- the template `sprintboard/locale/sprintboard.pot` is what the extractor makes now;
- what `_`, `N_` and `ngettext` are given is a plain literal — never an f-string, a
  concatenation or `%` — except `_(TABLE[key])` on a table marked with `N_`;
- placeholders are named (`{path}`), never `{}`, `{0}` or `%s`;
- the strings that reach a person (messages, errors, widgets' text, key
  descriptions, command-line help) are wrapped;
- and, as a net for text that reaches a person some other way (a variable, a helper,
  a return value), no literal that reads as prose — three words in a row — is left
  unwrapped, unless it is a docstring, a stylesheet, compared against, or a comment
  on its line (or its statement's, or just above that) says why not:
  `# not translated: git's own words, matched in its output`.

A failure names every place, as `path:line`, in its message.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sprintboard.i18n import extract

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sprintboard"

TRANSLATING = {"_", "ngettext"}
"""Calls whose result is text in the language in force."""

PRINTF = re.compile(r"%(\(\w+\))?[-#0+]*\d*(\.\d+)?[sdifrxXeEgGc](?![a-z])")
"""A printf-style placeholder ("%s", "%(path)s", "%3d"); "50 %" or "100% done" are not."""


@dataclass(frozen=True)
class Module:
    name: str
    """The dotted name, `sprintboard.tui.app`."""
    where: str
    """The path from the project folder, as violations name it."""
    tree: ast.Module
    lines: tuple[str, ...] = ()
    """The source, for the comments that say why a literal is not translated."""


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for path in extract.sources(PACKAGE):
        relative = path.relative_to(ROOT)
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        found.append(Module(".".join(parts), relative.as_posix(), tree, tuple(source.splitlines())))
    return tuple(found)


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def called(call: ast.Call) -> str | None:
    """The name a call is made by: `Label(…)` and `self.app.notify(…)` give Label, notify."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


# --- the template -------------------------------------------------------------------------


def test_the_committed_template_is_current() -> None:
    made = extract.template(extract.messages(PACKAGE))
    committed = extract.TEMPLATE.read_text(encoding="utf-8")
    diff = "".join(
        list(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                made.splitlines(keepends=True),
                "committed",
                "from the source",
            )
        )[:60]
    )
    assert made == committed, (
        "sprintboard/locale/sprintboard.pot is out of date: run "
        f"`python -m sprintboard.i18n.extract`\n{diff}"
    )


def test_the_extractor_collects_each_text_once_with_every_place(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text(
        'x = _("Quit")\ny = ngettext("{n} card", "{n} cards", n)\nz = _(f"no {x}")\n'
    )
    (package / "sub" / "b.py").write_text('T = {1: N_("idea")}\n\nq = _("Quit")\n')
    found = extract.messages(package)
    assert [(m.msgid, m.plural, m.references) for m in found] == [
        ("Quit", None, ["pkg/a.py:1", "pkg/sub/b.py:3"]),
        ("{n} card", "{n} cards", ["pkg/a.py:2"]),
        ("idea", None, ["pkg/sub/b.py:1"]),
    ]
    text = extract.template(found)
    assert '#: pkg/a.py:2\n#, python-brace-format\nmsgid "{n} card"\n' in text
    assert 'msgid_plural "{n} cards"\nmsgstr[0] ""\nmsgstr[1] ""\n' in text


def test_template_quotes_escapes_and_lines_as_gettext_does() -> None:
    message = extract.Message('say "hi"\\\tthen\nmore\n', references=["x.py:1"])
    text = extract.template([message])
    assert text.endswith(
        '#: x.py:1\nmsgid ""\n"say \\"hi\\"\\\\\\tthen\\n"\n"more\\n"\nmsgstr ""\n'
    ), text


# --- what the markers are given ------------------------------------------------------------


def table_names(module: Module) -> set[str]:
    """Names bound at module or class level to a table whose text is marked with N_."""
    names = set()
    bodies = [module.tree.body] + [
        node.body for node in module.tree.body if isinstance(node, ast.ClassDef)
    ]
    for body in bodies:
        for statement in body:
            targets: list[ast.expr] = []
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            if any(marker == "N_" for _, marker in extract.marked_calls(value)):
                names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return names


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    is_package = module.where.endswith("__init__.py")
    base = package[: len(package) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def tables() -> dict[str, set[str]]:
    """Per module, the N_ tables it defines or imports by name."""
    own = {module.name: table_names(module) for module in modules()}
    found = {}
    for module in modules():
        names = set(own[module.name])
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom):
                source = own.get(_absolute(module, node), set())
                names |= {
                    alias.asname or alias.name for alias in node.names if alias.name in source
                }
        found[module.name] = names
    return found


PASS_THROUGH = frozenset({"enumerate", "sorted", "reversed", "list", "tuple"})
"""Calls whose result holds their first argument's items (`enumerate(T.items())` reads T)."""


def root(node: ast.expr) -> ast.expr:
    """The table an expression reads from: `T[k]`, `T[k].label`, `T.items()`, `T.get(k)` give T."""
    while True:
        if isinstance(node, ast.Subscript | ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in PASS_THROUGH
            and node.args
        ):
            node = node.args[0]
        else:
            return node


def loop_names(module: Module, known: set[str]) -> set[str]:
    """Names taken from an N_ table: by a `for` or a comprehension (`for key, text in LEGEND`),
    or bound to an entry of one (`fate = FATES.get(key)`)."""
    names = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.For | ast.comprehension):
            source = root(node.iter)
            if isinstance(source, ast.Name) and source.id in known:
                names |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            source = root(node.value)
            target = node.targets[0]
            if isinstance(source, ast.Name) and source.id in known and isinstance(target, ast.Name):
                names.add(target.id)
    return names


def why_not_literal(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return "a concatenation"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "%-formatting"
    if isinstance(node, ast.Call):
        return "a call's result"
    return "not a string literal"


def marker_violations() -> Iterator[str]:
    for module in modules():
        yield from marker_violations_in(module, tables()[module.name])


def marker_violations_in(module: Module, known: set[str]) -> Iterator[str]:
    """What is wrong with the markers' arguments in `module`; `known`: its N_ tables."""
    from_tables = loop_names(module, known)
    for call, marker in extract.marked_calls(module.tree):
        where = f"{module.where}:{call.lineno}: {marker}()"
        count = extract.MARKERS[marker]
        if len(call.args) != count + (marker == "ngettext") or call.keywords:
            yield f"{where}: takes {count} text argument(s) positionally"
            continue
        for arg in call.args[:count]:
            if extract.literal(arg) is not None:
                continue
            source = root(arg)
            if (
                marker == "_"
                and isinstance(source, ast.Name)
                and (source.id in known or source.id in from_tables)
            ):
                continue  # text marked with N_ where the table is written
            yield f"{where}: {why_not_literal(arg)}; give it a plain literal"


def test_markers_are_given_plain_literals_or_marked_tables() -> None:
    found = list(marker_violations())
    assert not found, "\n".join(found)


def test_the_marker_check_allows_literals_and_marked_tables_only() -> None:
    source = """
LABELS = {1: N_("idea")}
_("plain" " joined")
_(LABELS[stage])
[_(text) for _, text in LABELS.items()]
[_(text) for _, (_, text) in enumerate(LABELS.items())]
label = LABELS.get(stage)
_(label)
_(f"{x} cards")
_("a" + b)
_("%s cards" % n)
_(name)
N_(LABELS[stage])
ngettext("{n} card", "{n} cards")
"""
    module = Module("pkg.x", "x.py", ast.parse(source))
    assert list(marker_violations_in(module, table_names(module))) == [
        "x.py:9: _(): an f-string; give it a plain literal",
        "x.py:10: _(): a concatenation; give it a plain literal",
        "x.py:11: _(): %-formatting; give it a plain literal",
        "x.py:12: _(): not a string literal; give it a plain literal",
        "x.py:13: N_(): not a string literal; give it a plain literal",
        "x.py:14: ngettext(): takes 2 text argument(s) positionally",
    ]


def placeholder_problems(text: str) -> Iterator[str]:
    try:
        names = extract.placeholders(text)
    except ValueError:
        yield "a single { or } (write {{ or }} for a brace)"
        return
    for name in names:
        head = re.split(r"[.\[]", name or "", maxsplit=1)[0]
        if not head.isidentifier():
            yield f"{{{name}}} is not named: a translator may need another order"
    printf = PRINTF.search(text)
    if printf:
        yield f"printf-style {printf[0]!r} (use a named {{placeholder}})"


def _argparse_words(module: Module) -> range:
    """The lines of `ARGPARSE_WORDS`: argparse's own texts, %-formatted by argparse."""
    for node in module.tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ARGPARSE_WORDS" for t in node.targets
        ):
            return range(node.lineno, (node.end_lineno or node.lineno) + 1)
    return range(0)


def placeholder_violations() -> Iterator[str]:
    for module in modules():
        borrowed = _argparse_words(module)
        for call, marker in extract.marked_calls(module.tree):
            if call.lineno in borrowed:
                continue
            for arg in call.args[: extract.MARKERS[marker]]:
                text = extract.literal(arg)
                for problem in placeholder_problems(text or ""):
                    yield f"{module.where}:{call.lineno}: {text!r}: {problem}"


def test_placeholders_are_named() -> None:
    found = list(placeholder_violations())
    assert not found, "\n".join(found)


def test_the_placeholder_check_tells_named_from_unnamed() -> None:
    assert list(placeholder_problems("{path}: moved {card.title} to {stages[0]}")) == []
    assert list(placeholder_problems("50 % done, 100% sure")) == []
    for bad in ("{} cards", "{0} cards", "%s cards", "%(n)d cards", "a { brace"):
        assert list(placeholder_problems(bad)), bad


# --- every string a person reads is wrapped -----------------------------------------------

POSITIONAL = {
    "say": 1,
    "fail": 1,
    "notify": 1,
    "Static": 1,
    "Label": 1,
    "Button": 1,
    "Text": 1,
    "SystemCommand": 2,
    "Group": 1,
}
"""Callees whose first N positional arguments are text a person reads."""

KEYWORDS = {
    "notify": {"title"},
    "Binding": {"description", "tooltip"},
    "Static": {"content", "renderable"},
    "Label": {"content", "renderable"},
    "Button": {"label", "tooltip"},
    "SystemCommand": {"title", "help"},
    "Group": {"description"},
}
"""Callees' keyword arguments that are text a person reads."""

ANY_CALL = {"help", "description", "epilog", "placeholder", "tooltip"}
"""Keywords that are text whatever the call (argparse's help, an Input's placeholder)."""

TITLES = {"title", "sub_title", "border_title", "border_subtitle"}
"""Attributes that Textual shows: the app's, a screen's and a widget's titles."""

CLASS_TITLES = {"TITLE", "SUB_TITLE"}
"""The same, set for a whole class."""

NOT_TEXT = {"query_one", "query", "get_child_by_id", "getattr", "hasattr", "get", "split"}
"""Calls whose arguments are ids, selectors or separators, wherever they appear."""


def text_arguments(call: ast.Call) -> Iterator[tuple[str, ast.expr]]:
    """The arguments of `call` that reach a person, named for the violation's message."""
    name = called(call)
    if name is None:
        return
    count = POSITIONAL.get(name, 0)
    if name == "Binding":
        yield from ((f"{name} description", arg) for arg in call.args[2:3])
    elif name == "PydanticCustomError":  # (its type id, the message, the message's values)
        yield from ((name, arg) for arg in call.args[1:2])
    elif name.endswith("Error"):
        count = len(call.args)  # every error the package raises may end up in front of someone
    yield from ((name, arg) for arg in call.args[:count])
    for keyword in call.keywords:
        if keyword.arg in KEYWORDS.get(name, set()) or keyword.arg in ANY_CALL:
            yield f"{name}({keyword.arg}=)", keyword.value


def unwrapped(node: ast.expr) -> Iterator[ast.Constant]:
    """The literals with letters in `node` that do not pass through `_` or `ngettext`.

    Not counted: what a nested call gets by keyword (`style="bold"`), keys
    (`t["id"]`) and what is compared (`x == "idea"`): ids and options, not text.
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and has_letters(node.value):
            yield node
        return
    if isinstance(node, ast.Call):
        if called(node) in TRANSLATING | NOT_TEXT:
            return
        yield from unwrapped(node.func)
        for arg in node.args:
            yield from unwrapped(arg)
        return
    if isinstance(node, ast.Subscript):
        yield from unwrapped(node.value)
        return
    if isinstance(node, ast.Compare | ast.Lambda):
        return
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            yield from unwrapped(child)
        elif isinstance(child, ast.comprehension):
            yield from unwrapped(child.iter)


def wrapping_violations() -> Iterator[str]:
    for module in modules():
        yield from unwrapped_in(module.where, module.tree, module.lines)


def unwrapped_in(where: str, tree: ast.AST, lines: tuple[str, ...] = ()) -> Iterator[str]:
    """`path:line: what: 'text' not in _()` for each unwrapped literal in `tree`.

    A literal whose line, or the line above, says `# not translated: <why>` is not
    counted: a programmer's error that never reaches a person, say."""
    seen: set[int] = set()  # a literal inside two checked calls (`Static(Text("…"))`) once
    for node in ast.walk(tree):
        places: list[tuple[str, ast.expr]] = []
        if isinstance(node, ast.Call):
            places = list(text_arguments(node))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in TITLES:
                    places.append((target.attr, node.value))
                elif isinstance(target, ast.Name) and target.id in CLASS_TITLES:
                    places.append((target.id, node.value))
        for what, expr in places:
            for constant in unwrapped(expr):
                if id(constant) in seen:
                    continue
                seen.add(id(constant))
                near = lines[max(constant.lineno - 2, 0) : constant.lineno]
                if any(NOT_TRANSLATED.search(line) for line in near):
                    continue
                yield f"{where}:{constant.lineno}: {what}: {constant.value!r} not in _()"


def test_text_a_person_reads_goes_through_the_translation_function() -> None:
    found = sorted(wrapping_violations(), key=_by_place)
    assert not found, f"{len(found)} strings not through _():\n" + "\n".join(found)


def _by_place(violation: str) -> tuple[str, int]:
    path, line, _ = violation.split(":", 2)
    return path, int(line)


def test_the_wrapping_check_finds_what_it_should() -> None:
    source = """
fail(f"{path}: cannot be read")
fail(_("{path}: cannot be read").format(path=path))
say(visible(_("ok") + " more", lines=True))
Binding("q", "quit", "Quit", id="app.quit")
Binding("q", "quit", _("Quit"), id="app.quit")
MOVE = Binding.Group("Move")
Label(N_("marked, never translated"), classes="title")
Input(placeholder="title", id="title")
raise BoardFileError(path, "not a board")
self.title = "sprintboard"
title = self.query_one("#title").value
Static(Text(_("x"), style="italic"))
notify(text if kind == "idea" else labels[kind])
raise PydanticCustomError("bad_moment", "{moment} is too late", {"moment": text})
raise RuntimeError("open() first")
raise RuntimeError("open() first")  # not translated: a programmer's mistake
"""
    lines = tuple(source.splitlines())
    assert sorted(unwrapped_in("x.py", ast.parse(source), lines), key=_by_place) == [
        "x.py:2: fail: ': cannot be read' not in _()",
        "x.py:4: say: ' more' not in _()",
        "x.py:5: Binding description: 'Quit' not in _()",
        "x.py:7: Group: 'Move' not in _()",
        "x.py:8: Label: 'marked, never translated' not in _()",
        "x.py:9: Input(placeholder=): 'title' not in _()",
        "x.py:10: BoardFileError: 'not a board' not in _()",
        "x.py:11: title: 'sprintboard' not in _()",
        "x.py:15: PydanticCustomError: '{moment} is too late' not in _()",
        "x.py:16: RuntimeError: 'open() first' not in _()",
    ]


# --- the net: prose left unwrapped ----------------------------------------------------------

PROSE = re.compile(r"[^\W\d_][\w'’-]*[,:;]? [^\W\d_][\w'’-]*[,:;]? [^\W\d_]")
"""Three words in a row: text a person reads, whatever passes it on."""

NOT_TRANSLATED = re.compile(r"#\s*not translated: *\S")
"""The comment that says why a literal is not text to translate (file content, git's words)."""


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _exempt(node: ast.AST) -> set[int]:
    """Literals that are not text by their place: docstrings, markers' arguments (checked
    above), stylesheets and what is compared against."""
    found: set[int] = set()
    for each in ast.walk(node):
        inner: list[ast.AST] = []
        if isinstance(each, ast.Expr) and isinstance(each.value, ast.Constant):
            inner = [each.value]  # a docstring, of a module, class, function or attribute
        elif (isinstance(each, ast.Call) and called(each) in extract.MARKERS) or isinstance(
            each, ast.Compare
        ):
            inner = [each]
        elif isinstance(each, ast.Assign | ast.AnnAssign):
            targets = each.targets if isinstance(each, ast.Assign) else [each.target]
            if any(isinstance(t, ast.Name) and t.id.endswith("CSS") for t in targets):
                inner = [each]
        found |= {id(n) for part in inner for n in ast.walk(part)}
    return found


def prose_violations_in(module: Module) -> Iterator[str]:
    parents = _parents(module.tree)
    exempt = _exempt(module.tree)
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in exempt or not PROSE.search(node.value):
            continue
        statement: ast.AST = node
        while not isinstance(statement, ast.stmt) and id(statement) in parents:
            statement = parents[id(statement)]
        first = getattr(statement, "lineno", node.lineno)
        said = {node.lineno, first, first - 1}  # its line, its statement's or the one above
        if any(NOT_TRANSLATED.search(module.lines[line - 1]) for line in said if line > 0):
            continue
        yield f"{module.where}:{node.lineno}: {node.value[:60]!r} reads as text: _() it"


def test_no_prose_is_left_unwrapped() -> None:
    found = sorted((v for module in modules() for v in prose_violations_in(module)), key=_by_place)
    assert not found, f"{len(found)} literals read as text but skip _():\n" + "\n".join(found)


def test_the_prose_net_knows_text_from_the_rest() -> None:
    source = '''"""A docstring of several words."""
acting = "who acts: a member's key"
command("open", cmd_open, "open the board in the terminal app")
if "tell me who you are" in text:
    pass
GIT_SAYS = (  # not translated: git's own words, matched in its output
    "fatal: could not read",
)
DEFAULT_CSS = "Widget { padding: 1 1 0 1; }"
x = _("a marked sentence of words")
y = f"{n} cards are shown"
'''
    module = Module("pkg.x", "x.py", ast.parse(source), tuple(source.splitlines()))
    assert [v.split(":")[1] for v in prose_violations_in(module)] == ["2", "3", "11"]
