"""The README's list of binding ids is the code's: every id, its keys, what it does."""

from __future__ import annotations

import ast
from pathlib import Path

from sprintboard.tui import binding_ids

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sprintboard" / "tui"


def ids_in_source() -> set[str]:
    """Every `id=` given to a `Binding(...)` call anywhere in the app's source."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "Binding":
                continue
            for keyword in node.keywords:
                if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                    found.add(str(keyword.value.value))
    return found


def test_every_binding_with_an_id_is_collected() -> None:
    # the collection walks the classes' BINDINGS; the source scan catches a binding
    # on a class or in a module the walk would miss
    collected = {entry.id for entry in binding_ids.binding_ids()}
    assert collected == ids_in_source()
    assert len(collected) >= 39


def test_the_readme_lists_exactly_the_binding_ids_of_the_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = binding_ids.readme_section(readme)
    assert found is not None, "README.md has no binding-id section"
    assert found == binding_ids.section(), (
        "README.md's binding ids are stale: python -m sprintboard.tui.binding_ids --write README.md"
    )


def test_each_id_is_listed_with_its_keys_and_what_it_does() -> None:
    text = binding_ids.section()
    for entry in binding_ids.binding_ids():
        line = next(row for row in text.splitlines() if row.startswith(f"| `{entry.id}` |"))
        assert entry.does and entry.does in line
        for key in entry.keys.split(","):
            assert f"`{key.strip()}`" in line


def test_check_fails_on_a_stale_readme(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    stale = binding_ids.section().replace("| `board.undo` |", "| `board.undone` |")
    readme.write_text(f"# x\n\n{stale}\n", encoding="utf-8")
    assert binding_ids.main(["--check", str(readme)]) == 1
    assert binding_ids.main(["--write", str(readme)]) == 0
    assert binding_ids.main(["--check", str(readme)]) == 0
    assert "`board.undone`" not in readme.read_text(encoding="utf-8")
