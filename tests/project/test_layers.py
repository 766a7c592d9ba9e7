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
        "sprintboard.outline",
        "sprintboard.layout",
        "sprintboard.rank",
        "sprintboard.safe_text",
        "sprintboard.ops",
        "sprintboard.rounds",
        "sprintboard.storage",
        "sprintboard.identity",
        "sprintboard.session",
        "sprintboard.merge",
        "sprintboard.i18n",
        "sprintboard.labels",
        "sprintboard.presence",
        "sprintboard.watch",
        "sprintboard.git.runner",
        "sprintboard.git.driver",
        "sprintboard.git.setup",
        "sprintboard.git.resolve",
        "sprintboard.git.summary",
        "sprintboard.git.sync",
        "sprintboard.cli",
    ],
)
def test_core_imports_no_textual(module: str) -> None:
    loaded = modules_after_import(module)
    assert module in loaded
    textual = sorted(m for m in loaded if m == "textual" or m.startswith("textual."))
    assert textual == []
    assert not any(m.startswith("sprintboard.tui") for m in loaded)


# What each layer may import from the package, beyond itself: lower layers never import higher
# ones (README, "Development"), so each can be tested and reused without what sits above it.
# The leaves every layer from the model up may use: the translation function, the
# field table, the closed sets of values and the file's layout; `labels` (display names)
# sits on the model, below the operations.
WORDS = {"sprintboard.i18n", "sprintboard.fields", "sprintboard.vocabulary", "sprintboard.layout"}
LABELS = {*WORDS, "sprintboard.labels"}

GIT_DOMAIN = {
    *LABELS,
    "sprintboard.git",
    "sprintboard.git.runner",
    "sprintboard.model",
    "sprintboard.rank",
    "sprintboard.ops",
    "sprintboard.rounds",
    "sprintboard.storage",
    "sprintboard.merge",
    "sprintboard.merge_rounds",
    "sprintboard.three_way",
    "sprintboard.safe_text",
}
"""What the git package's modules may use beneath them: the domain and running git."""

OPERATIONS = {
    *LABELS,
    "sprintboard.model",
    "sprintboard.rank",
    "sprintboard.ops",
    "sprintboard.rounds",
    "sprintboard.safe_text",
}
"""The operations and what they are made of (the rules of vote rounds among them)."""

ALLOWED = {
    "sprintboard.rank": set(),
    "sprintboard.safe_text": set(),
    "sprintboard.i18n": set(),
    "sprintboard.fields": {"sprintboard.i18n"},
    "sprintboard.vocabulary": set(),
    "sprintboard.layout": set(),
    "sprintboard.outline": WORDS,
    "sprintboard.model": {"sprintboard.safe_text", *WORDS},
    "sprintboard.labels": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.ops": {
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.rounds",
        "sprintboard.safe_text",
        *LABELS,
    },
    # the rules of dot-vote rounds read a board: beside the model, below the operations
    "sprintboard.rounds": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.storage": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    "sprintboard.identity": {"sprintboard.model", "sprintboard.safe_text", *WORDS},
    # operations as JSON for the queue of waiting writers: the operations and their values
    "sprintboard.wire": OPERATIONS,
    "sprintboard.batching": {*OPERATIONS, "sprintboard.storage", "sprintboard.wire"},
    "sprintboard.session": {
        *OPERATIONS,
        "sprintboard.batching",
        "sprintboard.identity",
        "sprintboard.storage",
        "sprintboard.wire",
    },
    "sprintboard.merge": {
        *LABELS,
        "sprintboard.model",
        "sprintboard.rank",
        "sprintboard.ops",
        "sprintboard.rounds",
        "sprintboard.storage",
        "sprintboard.safe_text",
        "sprintboard.merge_rounds",
        "sprintboard.three_way",
    },
    "sprintboard.three_way": set(),
    "sprintboard.merge_rounds": {
        "sprintboard.model",
        "sprintboard.safe_text",
        "sprintboard.three_way",
        *WORDS,
    },
    "sprintboard.git.runner": {"sprintboard.git", "sprintboard.i18n"},
    # git runs the driver once per conflicted board: it loads neither setup nor sync
    "sprintboard.git.driver": GIT_DOMAIN,
    "sprintboard.git.setup": GIT_DOMAIN,
    "sprintboard.git.resolve": GIT_DOMAIN | {"sprintboard.git.driver"},
    "sprintboard.git.summary": GIT_DOMAIN,
    "sprintboard.git.sync": GIT_DOMAIN | {"sprintboard.git.setup", "sprintboard.git.summary"},
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_lower_layers_import_no_higher_ones(module: str) -> None:
    # a package's modules count as the package (sprintboard.storage.files: sprintboard.storage)
    loaded = modules_after_import(module)
    ours = {".".join(m.split(".")[:2]) for m in loaded if m.startswith("sprintboard.")} - {module}
    allowed = ALLOWED[module] | {"sprintboard.i18n"}  # the translation function: everyone's
    assert ours <= allowed, f"{module} imports {sorted(ours - allowed)}"


@pytest.mark.parametrize(
    "module",
    [
        "sprintboard.vocabulary",
        "sprintboard.outline",
        "sprintboard.layout",
        "sprintboard.storage",
        "sprintboard.storage.files",
        "sprintboard.storage.errors",
    ],
)
def test_first_frame_words_need_no_pydantic(module: str) -> None:
    # the first frame is drawn from these before pydantic is imported (README, "Start-up")
    loaded = modules_after_import(module)
    assert module in loaded
    assert not any(m == "pydantic" or m.startswith(("pydantic.", "pydantic_core")) for m in loaded)


def test_model_is_pure() -> None:
    loaded = modules_after_import("sprintboard.model")
    # no file format and no terminal in the model: pydantic and the standard library
    for banned in ("tomli", "tomli_w", "textual"):
        assert banned not in loaded, banned
