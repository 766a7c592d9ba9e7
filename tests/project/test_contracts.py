"""The layers as contracts: import-linter's contracts in pyproject.toml, and no import cycle.

`test_layers` probes what a fresh interpreter loads; these read the source, so they also see
imports that run late (inside a function) or never (under `TYPE_CHECKING`).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # the report's last section names each broken contract and the imports that break it
    broken = result.stdout.partition("Broken contracts\n----------------\n")[2] or result.stdout
    assert result.returncode == 0, broken.strip() + result.stderr


def cycles(graph: grimp.ImportGraph) -> Iterator[list[str]]:
    """One shortest cycle for each group of modules that import each other in a ring."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in modules:
        if module not in index:
            visit(module)
    for group in groups:
        ring: list[str] | None = None
        for module in sorted(group):
            for imported in sorted(graph.find_modules_directly_imported_by(module) & group):
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back is not None and (ring is None or len(back) + 1 < len(ring)):
                    ring = [module, *back]
        assert ring is not None
        yield ring


def described(graph: grimp.ImportGraph, ring: list[str]) -> str:
    """`a (l.3) -> b (l.7) -> a`: each import of the ring with the line it stands on."""
    steps = []
    for importer, imported in itertools.pairwise(ring):
        lines = sorted(
            detail["line_number"]
            for detail in graph.get_import_details(importer=importer, imported=imported)
        )
        steps.append(f"{importer} (l.{', '.join(map(str, lines))})")
    return " -> ".join([*steps, ring[-1]])


def test_the_cycle_finder_finds_a_cycle() -> None:
    # the check below would be worthless if it could not see a ring at all
    graph = grimp.ImportGraph()
    graph.add_import(importer="p.a", imported="p.b", line_number=3, line_contents="")
    graph.add_import(importer="p.b", imported="p.c", line_number=5, line_contents="")
    graph.add_import(importer="p.c", imported="p.a", line_number=7, line_contents="")
    graph.add_import(importer="p.c", imported="p.d", line_number=8, line_contents="")
    assert [described(graph, ring) for ring in cycles(graph)] == [
        "p.a (l.3) -> p.b (l.5) -> p.c (l.7) -> p.a"
    ]


def test_no_import_cycles_type_checking_imports_included() -> None:
    graph = grimp.build_graph("sprintboard", exclude_type_checking_imports=False, cache_dir=None)
    found = [described(graph, ring) for ring in cycles(graph)]
    assert found == [], "import cycles:\n" + "\n".join(found)
