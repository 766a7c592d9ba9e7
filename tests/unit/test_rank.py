"""Fractional ranks: always a key between two keys, and keys that stay short."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ranks

from sprintboard import rank

FAST = settings(max_examples=100, deadline=None)


def test_between_open_ends() -> None:
    middle = rank.between(None, None)
    assert rank.is_valid(middle)
    assert rank.between(None, middle) < middle < rank.between(middle, None)


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("a", "b"),  # adjacent digits: needs a longer key
        ("a", "a1"),  # high is low plus the smallest digit
        ("a", "a01"),
        ("az", "b"),
        ("a5", "b3"),
        ("0z", "1"),
        ("1", "2"),
        ("y", "z"),
        ("zz", "zz1"),
        ("001", "01"),
    ],
)
def test_between_tight_pairs(low: str, high: str) -> None:
    key = rank.between(low, high)
    assert low < key < high
    assert rank.is_valid(key)


@pytest.mark.parametrize("key", ["1", "01", "001", "z", "zz", "m", "0z", "1z", "10001"])
def test_before_and_after_extremes(key: str) -> None:
    low, high = rank.before(key), rank.after(key)
    assert low < key < high
    assert rank.is_valid(low) and rank.is_valid(high)


def test_between_refuses_equal_or_reversed() -> None:
    with pytest.raises(ValueError, match="no key between"):
        rank.between("m", "m")
    with pytest.raises(ValueError, match="no key between"):
        rank.between("n", "m")


def test_is_valid() -> None:
    assert rank.is_valid("a0b")
    assert not rank.is_valid("")
    assert not rank.is_valid("a0")  # a trailing 0: "a" < "a0" with nothing between
    assert not rank.is_valid("A")
    assert not rank.is_valid("a-b")


@FAST
@given(ranks, ranks)
def test_between_any_two_keys(a: str, b: str) -> None:
    if a == b:
        with pytest.raises(ValueError):
            rank.between(a, b)
        return
    low, high = min(a, b), max(a, b)
    key = rank.between(low, high)
    assert low < key < high
    assert rank.is_valid(key)
    assert rank.between(low, None) > low and rank.is_valid(rank.between(low, None))
    assert rank.between(None, low) < low and rank.is_valid(rank.between(None, low))


@FAST
@given(st.lists(st.integers(min_value=0), min_size=1, max_size=120))
def test_random_insert_sequences_stay_ordered(spots: list[int]) -> None:
    keys: list[str] = []
    for spot in spots:
        i = spot % (len(keys) + 1)
        low = keys[i - 1] if i > 0 else None
        high = keys[i] if i < len(keys) else None
        key = rank.between(low, high)
        assert rank.is_valid(key)
        keys.insert(i, key)
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_repeated_inserts_at_one_spot_grow_slowly() -> None:
    # Raw keys (before any respacing by ops): 60 inserts at the same spot, on either
    # side, stay within a few characters per five inserts, never run out.
    for toward_low in (True, False):
        low, high = "a", "b"
        for _ in range(60):
            key = rank.between(low, high)
            assert low < key < high
            if toward_low:
                high = key
            else:
                low = key
        assert len(key) <= 60 // 4


def test_appending_at_the_ends_grows_one_character_per_many_moves() -> None:
    key = "m"
    for _ in range(350):
        nxt = rank.after(key)
        assert nxt > key
        key = nxt
    assert len(key) <= 12
    key = "m"
    for _ in range(350):
        nxt = rank.before(key)
        assert nxt < key and rank.is_valid(nxt)
        key = nxt
    assert len(key) <= 12


@pytest.mark.parametrize("count", [0, 1, 2, 5, 35, 36, 100, 1000, 10000])
def test_spread(count: int) -> None:
    keys = rank.spread(count)
    assert len(keys) == count
    assert keys == sorted(keys)
    assert len(set(keys)) == count
    assert all(rank.is_valid(k) for k in keys)
    assert all(len(k) <= 4 for k in keys)
    if count >= 2:
        # room left between neighbours and at both ends: no immediate respacing
        assert len(rank.between(keys[0], keys[1])) <= rank.MAX_LENGTH
        assert len(rank.between(None, keys[0])) <= rank.MAX_LENGTH
        assert len(rank.between(keys[-1], None)) <= rank.MAX_LENGTH


@FAST
@given(
    bounds=st.lists(ranks, min_size=2, max_size=2, unique=True).map(sorted),
    open_low=st.booleans(),
    open_high=st.booleans(),
    count=st.integers(0, 300),
)
def test_spaced_keys_are_increasing_valid_and_short(
    bounds: list[str], open_low: bool, open_high: bool, count: int
) -> None:
    low = None if open_low else bounds[0]
    high = None if open_high else bounds[1]
    keys = rank.spaced(low, high, count)
    assert len(keys) == count and all(rank.is_valid(k) for k in keys)
    assert keys == sorted(set(keys))
    if keys:
        assert low is None or low < keys[0]
        assert high is None or keys[-1] < high
        # a run of 300 at one spot grows keys by a few characters, not by 60
        assert max(map(len, keys)) <= max(len(b) for b in bounds) + 5


def test_spaced_refuses_equal_bounds() -> None:
    with pytest.raises(ValueError):
        rank.spaced("m", "m", 2)
    assert rank.spaced("m", "m", 0) == []
