"""Fractional ordering keys: a card's place in its column as a string.

Keys are strings over ``0-9a-z`` that never end in ``0``, compared as plain strings.
Between any two different keys there is always another, so moving a card rewrites
only that card's key.

Growth, and how it is bounded: appending at either end of a column adds one
character per 35 moves to that end (`after` / `before` step the last digit rather
than halving), and inserting again and again at the same spot between two cards adds
one character per ~5 inserts (halving). A caller that gets a key longer than
`MAX_LENGTH` respaces the whole column with `spread` (see `ops`), so keys stay short
whatever a user does, at the price of one larger diff every few dozen such inserts.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
MAX_LENGTH = 12
"""Longest key a column keeps before it is respaced."""

_VALUE = {d: i for i, d in enumerate(DIGITS)}


def is_valid(key: str) -> bool:
    return bool(key) and key[-1] != "0" and all(c in _VALUE for c in key)


def between(low: str | None, high: str | None) -> str:
    """A key strictly between `low` and `high` (either may be None: open end).

    Raises ValueError when `low >= high`: there is nothing between them.
    """
    if low is not None and high is not None and low >= high:
        # not translated: a caller's mistake, never shown to a person
        raise ValueError(f"no key between {low!r} and {high!r}")
    if high is None:
        return after(low) if low is not None else DIGITS[BASE // 2]
    if low is None:
        return before(high)
    return _midpoint(low, high)


def after(key: str) -> str:
    """A short key above `key`: its first digit that is not 'z', stepped up."""
    for i, char in enumerate(key):
        if char != "z":
            return key[:i] + DIGITS[_VALUE[char] + 1]
    return key + DIGITS[1]


def before(key: str) -> str:
    """A short key below `key`: its first digit above '1' stepped down, or a prefix."""
    for i, char in enumerate(key):
        digit = _VALUE[char]
        if digit > 1:
            return key[:i] + DIGITS[digit - 1]
        if digit == 1 and i < len(key) - 1:
            return key[: i + 1]
    # only '0's and a final '1' (e.g. "001"): nothing shorter is below it
    return key[:-1] + "0" + DIGITS[-1]


def _midpoint(low: str, high: str | None) -> str:
    """A key strictly between `low < high` (low may be "", high None: open), by halving."""
    if high is not None:
        n = 0
        while (low[n] if n < len(low) else "0") == high[n]:
            n += 1
        if n > 0:
            return high[:n] + _midpoint(low[n:], high[n:])
    lo = _VALUE[low[0]] if low else 0
    hi = _VALUE[high[0]] if high is not None else BASE
    if hi - lo > 1:
        return DIGITS[(lo + hi + 1) // 2]
    if high is not None and len(high) > 1:
        return high[:1]
    return DIGITS[lo] + _midpoint(low[1:], None)


def spaced(low: str | None, high: str | None, count: int) -> list[str]:
    """`count` increasing keys strictly between `low` and `high` (None: open end), by
    halving: keys grow by about one character per five halvings, so a run of a hundred
    cards placed at one spot costs a couple of characters, not twenty as one `between`
    after another would. Raises ValueError when `low >= high`."""
    if count <= 0:
        return []
    middle = between(low, high)
    half = (count - 1) // 2
    return [*spaced(low, middle, half), middle, *spaced(middle, high, count - 1 - half)]


def spread(count: int) -> list[str]:
    """`count` evenly spaced, increasing keys of equal, minimal length (for respacing)."""
    if count <= 0:
        return []
    length = 1
    while BASE**length <= count * 4:
        length += 1
    step = BASE**length // (count + 1)
    keys = []
    for i in range(1, count + 1):
        value = step * i
        digits = []
        for _ in range(length):
            value, d = divmod(value, BASE)
            digits.append(DIGITS[d])
        key = "".join(reversed(digits)).rstrip("0")
        keys.append(key)
    return keys
