"""Layers: the core imports no Textual, and no lower layer imports a higher one.

Each check runs in a fresh interpreter, so what another test imported cannot hide a
dependency: the subprocess imports one module and reports `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def modules_after_import(module: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_probe_sees_textual_when_it_is_imported() -> None:
    # the check below would be worthless if the probe could not see textual at all
    assert "textual" in modules_after_import("textual.app")


@pytest.mark.parametrize(
    "module",
    [
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.safe_text",
        "sprintboard.ops",
        "sprintboard.storage",
        "sprintboard.identity",
        "sprintboard.session",
        "sprintboard.merge",
        "sprintboard.gitops",
        "sprintboard.cli",
    ],
)
def test_core_imports_no_textual(module: str) -> None:
    loaded = modules_after_import(module)
    assert module in loaded
    textual = sorted(m for m in loaded if m == "textual" or m.startswith("textual."))
    assert textual == []
    assert not any(m.startswith("sprintboard.tui") for m in loaded)


# What each layer may import from the package, beyond itself (DESIGN.md section 2).
# The leaves every layer from the model up may use: the translation function and the
# field table; `labels` (display names) sits on the model, below the operations.
WORDS = {"sprintboard.i18n", "sprintboard.fields"}
LABELS = {*WORDS, "sprintboard.labels"}
ALLOWED = {
    "sprintboard.rank": set(),
    "sprintboard.safe_text": set(),
    "sprintboard.i18n": set(),
    "sprintboard.fields": {"sprintboard.i18n"},
    "sprintboard.model": {"sprintboard.safe_text", *WORDS},
    "sprintboard.labels": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.ops": {"sprintboard.model", "sprintboard.rank", "sprintboard.safe_text", *LABELS},
    "sprintboard.storage": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.identity": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.session": {
        *LABELS,
        "sprintboard.identity",
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.ops",
        "sprintboard.storage",
        "sprintboard.safe_text",
    },
    "sprintboard.merge": {
        *LABELS,
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.ops",
        "sprintboard.storage",
        "sprintboard.safe_text",
    },
    "sprintboard.gitops": {
        *LABELS,
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.ops",
        "sprintboard.storage",
        "sprintboard.merge",
        "sprintboard.safe_text",
    },
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_lower_layers_import_no_higher_ones(module: str) -> None:
    ours = {m for m in modules_after_import(module) if m.startswith("sprintboard.") and m != module}
    assert ours <= ALLOWED[module], f"{module} imports {sorted(ours - ALLOWED[module])}"


def test_model_is_pure() -> None:
    loaded = modules_after_import("sprintboard.model")
    # no file format and no terminal in the model: pydantic and the standard library
    for banned in ("tomli", "tomli_w", "textual"):
        assert banned not in loaded, banned
