"""The canonical writer, and the card cache that keeps reads and writes cheap.

`dumps` is canonical: the same board always gives the same text, cards sorted by
id, keys in model order, UTC times to the second (`zulu`), empty optional fields
left out. Each card table is rendered, and read back, on its own (`_CardCache`),
so a write after one edit renders one card and a read of a file that changed in a
few cards parses only those.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import tomli
import tomli_w
from pydantic import TypeAdapter, ValidationError

from ..layout import Layout
from ..model import Board, Card, find_unknown_members, is_key

FREEZE_FROM = 1_000_000
"""The length of a board's text from which its read is frozen for the collector (see
`_gc_paused`): about 1,200 cards of a sprint, 2,500 plain ones."""


@contextmanager
def _gc_paused(freeze: bool = False) -> Iterator[None]:
    """No cyclic garbage collection for a moment (reference counting goes on).

    Parsing or writing a board makes hundreds of thousands of small containers, and
    none of them cyclic garbage; every few hundred the collector would walk all
    live objects again. Pausing it takes about a third off parsing a board of
    10,000 cards, less off smaller ones (bench/storage.py). Nested or concurrent uses
    are safe, and a collector already paused (Textual pauses it while scrolling)
    stays paused.

    `freeze` (a large board read): `gc.freeze()` what is alive before the collector
    starts again. Otherwise it walks every one
    of them at its next collections, the young and then the full one: at 10,000 cards
    that catch-up cost more than the parse's validation (bench/storage.py). A board's
    objects hold no cycles, so reference counting frees them when the board is
    replaced; the price is that cyclic garbage alive at that moment is never collected.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            if freeze:
                gc.freeze()
            gc.enable()


class _Zulu(datetime):
    """A UTC time that tomli-w writes as ``2026-11-27T09:15:00Z``."""

    def __str__(self) -> str:
        # isoformat: twice as fast as strftime, and always 4 digits for the year
        return self.isoformat(timespec="seconds") + "Z"


def zulu(moment: datetime) -> _Zulu:
    """`moment` as the file writes it: UTC, to the second, with a Z."""
    offset = moment.utcoffset()
    utc = moment - offset if offset else moment
    return _Zulu(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _card_documents(cards: Mapping[str, Card]) -> dict[str, dict[str, Any]]:
    """Cards as canonical TOML tables, sorted by id."""
    dumped = _CARDS.dump_python(dict(cards), exclude_defaults=True)
    for card in dumped.values():
        card["created"] = zulu(card["created"])
        card["updated"] = zulu(card["updated"])
        if "votes" in card:
            card["votes"] = dict(sorted(card["votes"].items()))
        if "conflicts" in card:
            card["conflicts"] = dict(sorted(card["conflicts"].items()))
        for entry in card.get("history", ()):
            entry["at"] = zulu(entry["at"])
    return dict(sorted(dumped.items()))


_ROUND_TIMES = ("opened", "until", "closed")


def _round_documents(rounds: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rounds (as dumped) as canonical TOML tables: sorted by id, times in `zulu`."""
    for document in rounds.values():
        for name in _ROUND_TIMES:
            if name in document:
                document[name] = zulu(document[name])
        if "result" in document:
            document["result"] = dict(sorted(document["result"].items()))
    return dict(sorted(rounds.items()))


_CARDS: TypeAdapter[dict[str, Card]] = TypeAdapter(dict[str, Card])


def to_data(board: Board) -> dict[str, Any]:
    """The board as the canonical TOML document: what `dumps` writes."""
    data = board.model_dump(by_alias=True, exclude_defaults=True, exclude={"cards"})
    if "members" in data:
        data["members"] = dict(sorted(data["members"].items()))
    if "rounds" in data:
        data["rounds"] = _round_documents(data["rounds"])
    if board.cards:
        data["cards"] = _card_documents(board.cards)
    return data


class _CardCache:
    """Card objects and card table texts, remembered: card -> the canonical text it was
    rendered to, and text -> the card read from it.

    Only `render` fills card -> text, so what it reuses is always canonical; a text
    read from a file (key order, quotes, comments, time offsets as someone wrote
    them) only ever maps to its card.

    Cards are immutable, and an operation replaces only the cards it changes. So a
    save after one edit serialises one card, not the board; and reading a file that
    changed in a few cards (someone else's save) parses only those cards' tables.
    Holds about one board's worth: it is cleared when it grows past a few boards.
    A text read is remembered by its digest (`_key`), not kept: a board's worth of text
    fewer in memory at every read (8 MB at 10,000 cards).
    """

    def __init__(self) -> None:
        self._by_card: dict[tuple[int, str], tuple[Card, str]] = {}
        self._by_text: dict[bytes, Card] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._by_card, self._by_text = {}, {}

    def _make_room(self, size: int) -> None:
        if len(self._by_text) > 3 * size + 1000:
            self._by_card, self._by_text = {}, {}

    def render(self, cards: Mapping[str, Card]) -> list[str]:
        """The canonical text of each card table, sorted by card id."""
        with self._lock:
            texts = {}
            missing = {}
            for cid, card in cards.items():
                hit = self._by_card.get((id(card), cid))
                if hit is not None and hit[0] is card:
                    texts[cid] = hit[1]
                else:
                    missing[cid] = card
            if missing:
                for cid, document in _card_documents(missing).items():
                    # the same text tomli-w gives this table inside the whole document
                    text = tomli_w.dumps({"cards": {cid: document}}, multiline_strings=True)
                    texts[cid] = text
                    self._make_room(len(cards))
                    self._by_card[(id(cards[cid]), cid)] = (cards[cid], text)
                    self._by_text[_key(text)] = cards[cid]
            return [texts[cid] for cid in sorted(cards)]

    def get(self, key: bytes) -> Card | None:
        """The card read before from the card table text of this `_key`, if any."""
        with self._lock:
            return self._by_text.get(key)

    def learn(self, cards: Mapping[str, Card], keys: Mapping[str, bytes], size: int = 0) -> None:
        """Remember cards as read, by their table texts' `_key` (`size`: the board's cards)."""
        with self._lock:
            for cid, key in keys.items():
                if cid in cards:
                    self._make_room(size or len(cards))
                    self._by_text[key] = cards[cid]  # not card -> text: it may not be canonical


def _key(text: str) -> bytes:
    """What a card table text is remembered by: a digest no two texts share in practice."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


_cards = _CardCache()


def forget_cards() -> None:
    """Drop what is remembered of cards, so the next read or write starts cold.

    For measurements: a benchmark of a first read must not time the cache.
    """
    _cards.clear()


_CHUNK = 256
"""Cards parsed and validated together: about as fast as the whole board in one
document (bench/storage.py), and only their tables' data is ever held at once."""


def _parse_by_card(layout: Layout) -> Board | None:
    """The board, read card by card: cards whose table text was read before come from
    the cache, the others are parsed and validated `_CHUNK` at a time, so no document
    of the whole board is ever built (at 10,000 cards it was the largest part of the
    peak memory). None when anything is wrong: the whole parse then says what, and where.

    Errors here are never shown (not translated): the caller parses the whole text.
    """
    try:
        frame = tomli.loads(layout.frame)
        if "cards" in frame:
            return None
        board = Board.model_validate(frame)
        cards: dict[str, Card | None] = {}
        new: dict[str, tuple[str, bytes]] = {}
        for cid, text in layout.cards():
            key = _key(text)
            cards[cid] = _cards.get(key)
            if cards[cid] is None:
                new[cid] = text, key
                if len(new) == _CHUNK:
                    cards.update(_parse_cards(new, len(layout.spans)))
                    new = {}
        if new:
            cards.update(_parse_cards(new, len(layout.spans)))
    except (tomli.TOMLDecodeError, ValidationError, ValueError, RecursionError):
        return None
    board = board.model_copy(update={"cards": cards})
    return None if find_unknown_members(board) else board


def _parse_cards(tables: dict[str, tuple[str, bytes]], size: int) -> dict[str, Card]:
    """The cards in these card tables (text, `_key`), as one document; raises if any is
    not valid."""
    if not all(is_key(cid) for cid in tables):  # checked here, as the whole board's model would
        # not translated: caught by the caller, which then parses the whole board instead
        raise ValueError("not a valid card id")
    data = tomli.loads("".join(text for text, _ in tables.values()))
    if list(data) != ["cards"] or list(data["cards"]) != list(tables):
        # not translated: caught by the caller, which then parses the whole board instead
        raise ValueError("not exactly these card tables")
    cards = _CARDS.validate_python(data["cards"])
    _cards.learn(cards, {cid: key for cid, (_, key) in tables.items()}, size)
    return cards


def dumps(board: Board) -> str:
    """The canonical text of `board`: tomli-w's, one card table at a time."""
    with _gc_paused():
        frame = to_data(board.model_copy(update={"cards": {}}))
        head = tomli_w.dumps(frame, multiline_strings=True)
        return head + "".join("\n" + text for text in _cards.render(board.cards))
