"""Fixtures of the command-line tests: the demo board, made once, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import Demo, copy_demo, make_demo


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo board, made once through the command itself; never changed (tests copy it)."""
    return make_demo(tmp_path_factory.mktemp("template"))


@pytest.fixture
def demo(tmp_path: Path, demo_template: Demo) -> Demo:
    """A fresh copy of the demo board in this test's `tmp_path`."""
    return copy_demo(demo_template, tmp_path)
