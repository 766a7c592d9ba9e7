"""Three-way merge rules for single values, lists and tables: what `merge` is built of.

A side "changed" a value when it differs from the base's; what only one side changed is
taken from it, what both changed to the same value is taken once, and a double change
is decided by a rule the caller gives. Pure: the standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def three(base: T, ours: T, theirs: T, both: Callable[[T, T], T]) -> T:
    """The three-way value: one side's change, or `both(ours, theirs)` if both changed."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    return both(ours, theirs)


def sort_key(value: Any) -> tuple[int, str]:
    return (0, "") if value is None else (1, str(value))


def first(a: T, b: T) -> T:
    """Of two different values, the one that sorts first: a choice blind to sides."""
    return a if sort_key(a) <= sort_key(b) else b


def noted_first(notes: list[str], say: Callable[[Any], str]) -> Callable[[T, T], T]:
    """A `both` for `three` that keeps the value that sorts first and notes `say(kept)`:
    for values the file has no conflict mark for, so the merge tells what it chose."""

    def both(a: T, b: T) -> T:
        kept = first(a, b)
        notes.append(say(kept))
        return kept

    return both


def merge_list(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """A three-way merge of lists as sets, keeping an order independent of the sides.

    An item added on either side is in; one removed on either side is out. When only
    one side changed the list, its order is kept as it is.
    """

    def both(a: list[str], b: list[str]) -> list[str]:
        first, second = sorted((a, b))
        removed = {x for x in base if x not in a or x not in b}
        merged = [x for x in first if x not in removed]
        return merged + [x for x in second if x not in merged and x not in removed]

    result: list[str] = three(base, ours, theirs, both)
    return list(result)


def merge_mapping(
    base: Mapping[str, T],
    ours: Mapping[str, T],
    theirs: Mapping[str, T],
    both: Callable[[str, T | None, T | None], T | None],
) -> dict[str, T]:
    """Key by key: three-way on presence and value; `both` decides a double change."""
    merged: dict[str, T] = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        value = o if o == t else t if o == b else o if t == b else both(key, o, t)
        if value is not None:
            merged[key] = value
    return merged


class _Absent:
    """The base value of a card added on both sides: equal to nothing."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


ABSENT: Any = _Absent()
"""The base value of something added on both sides (no common value)."""
