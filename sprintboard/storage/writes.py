"""Writing a board."""

from __future__ import annotations

from pathlib import Path

from ..model import Board
from .canonical import dumps
from .errors import Loaded, digest
from .files import check_writable, write_atomic


def save(path: Path, board: Board) -> str:
    """Write `board` canonically to `path`, atomically; the digest of what was written."""
    return save_loaded(path, board).digest


def save_loaded(path: Path, board: Board) -> Loaded:
    """`save`, answering with what the file now holds (to pass to `load` as `known`)."""
    check_writable(path, board)
    text = dumps(board)
    data = text.encode()
    write_atomic(path, data)
    return Loaded(board, digest(data), text)
