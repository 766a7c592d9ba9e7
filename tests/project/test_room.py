"""The house stays roomy: no module grows past ~450 lines, the board screen stays small.

Each capability gets a module of its own (README, "Development"); a module that keeps
growing is where two concerns have met. The model and the operations are whole on
purpose (one schema, one list of operations) and may be longer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sprintboard"
LONGEST = 450
WHOLE = {"model.py", "ops.py"}
"""Modules allowed to be longer: the schema and the operations, each read as one."""


def project_imports(path: Path) -> set[str]:
    """The package's modules that `path` imports, TYPE_CHECKING imports included."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *([node.module] if node.module else [])])
            if not name.startswith("sprintboard"):
                continue
            if node.module is None:  # `from .. import ops`: each name is a module
                found |= {f"{name}.{alias.name}" for alias in node.names}
            else:
                found.add(name)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sprintboard")}
    return found


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if path.name not in WHOLE
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert long == {}


def test_the_board_screen_imports_a_handful_of_project_modules() -> None:
    found = project_imports(PACKAGE / "tui" / "screens" / "board.py")
    assert "sprintboard.tui.live_board" in found  # the count is real: it sees relative imports
    assert len(found) <= 8, sorted(found)
