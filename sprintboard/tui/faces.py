"""What the board screen draws of a board, as types both the models and the outline fit.

The first frame is drawn from the board's outline (`sprintboard.outline`: read
without pydantic), every later one from the validated board (`sprintboard.model`).
The header, the columns and the card lines take either: these protocols name the
read-only parts they draw, which `model.Board` and `outline.Outline` (and their
cards, members and sprints) both have. No `Any`: mypy checks that both fit.

`read_outline` is the first frame's one read of the file: bounded and link-safe
(`storage.files.read_bytes`), and None whenever the outline is not sure — the
screen then draws from the full board, as before the outline existed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from .. import outline
from ..outline import Outline, SprintFace
from ..vocabulary import Decision, Placed, Side, Stage


class CardLike(Placed, Protocol):
    """What a column shows of a card (where it is, from `Placed`, and its face):
    `model.Card` and `outline.CardFace`."""

    @property
    def title(self) -> str: ...
    @property
    def by(self) -> Sequence[str]: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def dots(self) -> int: ...
    @property
    def has_experiment(self) -> bool: ...
    @property
    def has_learning(self) -> bool: ...
    @property
    def decision(self) -> Decision | None: ...
    @property
    def conflicts(self) -> Collection[str]: ...


class MemberLike(Protocol):
    """A member as the header, the cards' initials and the filter name them."""

    @property
    def name(self) -> str: ...
    @property
    def side(self) -> Side: ...


class SprintLike(Protocol):
    """The sprint's dates, for the header's sprint day."""

    @property
    def start(self) -> date | None: ...
    @property
    def end(self) -> date | None: ...


class BoardLike(Protocol):
    """What the board screen draws of a board: `model.Board` and `outline.Outline`."""

    @property
    def title(self) -> str: ...
    @property
    def challenge(self) -> str: ...
    @property
    def sprint(self) -> SprintLike: ...
    @property
    def wip(self) -> Mapping[Stage, int]: ...
    @property
    def members(self) -> Mapping[str, MemberLike]: ...
    @property
    def cards(self) -> Mapping[str, CardLike]: ...


NO_SPRINT = SprintFace(None, None, ())
"""The header's sprint while the board cannot be opened: no dates, no day shown."""


def read_outline(path: Path) -> Outline | None:
    """The outline of the board at `path`, for the first frame; None when unsure.

    Any trouble — a missing or unreadable file, a link out of its folder, bytes that
    are no UTF-8 — is None too: the full open that follows says what is wrong, in
    the words it always used.
    """
    # the storage package is the models' too: imported when used, not with the app
    from ..storage.errors import BoardFileError
    from ..storage.files import read_bytes

    try:
        text = read_bytes(path).decode("utf-8")
    except (BoardFileError, OSError, UnicodeDecodeError):
        return None
    return outline.read(text)
