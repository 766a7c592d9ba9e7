"""The keymap's binding ids: every key binding of the app that has one, as the README lists it.

Users remap keys by binding id (README, "The terminal app"). The list in the README
is made from the code by this module, so it cannot fall behind; a test checks that
it is current. Regenerate it after adding or changing a binding:

    python -m sprintboard.tui.binding_ids --write README.md

Without `--write` the section is printed; `--check README.md` exits 1 when the
README's section differs from the code.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

# not translated: a development tool's words, for the README (English)
START = "<!-- binding ids: made by python -m sprintboard.tui.binding_ids --write README.md -->"
# not translated: a development tool's words, for the README (English)
END = "<!-- end of binding ids -->"


@dataclass(frozen=True)
class BindingId:
    """One remappable key: its id, its default keys, and what it does."""

    id: str
    keys: str
    does: str


def _modules() -> list[str]:
    """Every module of the app (the screens are imported lazily by the app itself)."""
    from . import __name__ as package
    from . import __path__ as path

    return [package] + [info.name for info in pkgutil.walk_packages(path, package + ".")]


def binding_ids() -> list[BindingId]:
    """Every binding with an id on a screen, widget or app class of sprintboard, by id."""
    found: dict[str, BindingId] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or not cls.__module__.startswith("sprintboard."):
                continue
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id is not None:
                    does = binding.tooltip or binding.description
                    found[binding.id] = BindingId(binding.id, binding.key, does)
    return sorted(found.values(), key=lambda entry: entry.id)


def section() -> str:
    """The README's list of binding ids, markers included."""
    # not translated: a development tool's words, for the README (English)
    rows = [START, "", "| id | keys | what it does |", "|---|---|---|"]
    for entry in binding_ids():
        keys = " ".join(f"`{key.strip()}`" for key in entry.keys.split(","))
        rows.append(f"| `{entry.id}` | {keys} | {entry.does} |")
    rows += ["", END]
    return "\n".join(rows)


def readme_section(text: str) -> str | None:
    """The binding-id section of a README's `text`, markers included (None: it has none)."""
    start = text.find(START)
    end = text.find(END, start)
    if start < 0 or end < 0:
        return None
    return text[start : end + len(END)]


def main(argv: list[str] | None = None) -> int:
    # not translated: a development tool's words, for the README (English)
    parser = argparse.ArgumentParser(description="The README's list of binding ids.")
    group = parser.add_mutually_exclusive_group()
    # not translated: a development tool's words, for the README (English)
    group.add_argument("--write", type=Path, metavar="README", help="update the list in README")
    # not translated: a development tool's words, for the README (English)
    group.add_argument("--check", type=Path, metavar="README", help="exit 1 if it is stale")
    args = parser.parse_args(argv)
    made = section()
    path: Path | None = args.write or args.check
    if path is None:
        print(made)
        return 0
    text = path.read_text(encoding="utf-8")
    found = readme_section(text)
    if found is None:
        # not translated: a development tool's words, for the README (English)
        print(f"{path}: no binding-id section (between {START} and {END})", file=sys.stderr)
        return 1
    if args.check:
        if found != made:
            # not translated: a development tool's words, for the README (English)
            print(f"{path}: the binding ids are stale; run with --write", file=sys.stderr)
            return 1
        return 0
    path.write_text(text.replace(found, made), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
