"""The canonical writer, and the card cache that keeps reads and writes cheap.

`dumps` is canonical: the same board always gives the same text, cards sorted by
id, keys in model order, UTC times to the second (`zulu`), empty optional fields
left out. Each card table is rendered, and read back, on its own (`_CardCache`),
so a write after one edit renders one card and a read of a file that changed in a
few cards parses only those.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import tomli
import tomli_w
from pydantic import TypeAdapter, ValidationError

from ..layout import Layout
from ..model import Board, Card, find_unknown_members, is_key


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for a moment (reference counting goes on).

    Parsing or writing a board makes hundreds of thousands of small containers, and
    none of them cyclic garbage; every few hundred the collector would walk all
    live objects again. Pausing it takes about a third off parsing a board of
    10,000 cards, less off smaller ones (bench/storage.py). Nested or concurrent uses
    are safe, and a collector already paused (Textual pauses it while scrolling)
    stays paused.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
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


_CARDS: TypeAdapter[dict[str, Card]] = TypeAdapter(dict[str, Card])


def to_data(board: Board) -> dict[str, Any]:
    """The board as the canonical TOML document: what `dumps` writes."""
    data = board.model_dump(by_alias=True, exclude_defaults=True, exclude={"cards"})
    if "members" in data:
        data["members"] = dict(sorted(data["members"].items()))
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
    """

    def __init__(self) -> None:
        self._by_card: dict[tuple[int, str], tuple[Card, str]] = {}
        self._by_text: dict[str, Card] = {}
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
                    self._by_text[text] = cards[cid]
            return [texts[cid] for cid in sorted(cards)]

    def known(self, texts: Iterable[str]) -> int:
        """How many of these card table texts were seen before."""
        with self._lock:
            return sum(1 for text in texts if text in self._by_text)

    def learn(self, cards: Mapping[str, Card], texts: Mapping[str, str]) -> None:
        """Remember cards parsed with the whole board, by their table texts."""
        with self._lock:
            for cid, text in texts.items():
                if cid in cards:
                    self._make_room(len(cards))
                    self._by_text[text] = cards[cid]

    def parse(self, cid: str, text: str, size: int) -> Card:
        """The card in one ``[cards.<cid>]`` table's text; raises if it is not valid.

        Its errors are never shown (not translated): `_parse_by_card` then parses the
        whole text, which says what is wrong and where.
        """
        with self._lock:
            card = self._by_text.get(text)
        if card is not None:
            return card
        if not is_key(cid):  # checked here, as the whole board's model would
            # not translated: caught below, where the whole board is parsed instead
            raise ValueError("not a valid card id")
        data = tomli.loads(text)
        if list(data) != ["cards"] or list(data["cards"]) != [cid]:
            # not translated: caught below, where the whole board is parsed instead
            raise ValueError("not exactly one card table")
        card = Card.model_validate(data["cards"][cid])
        with self._lock:
            self._make_room(size)
            self._by_text[text] = card  # not card -> text: it may not be canonical
        return card


_cards = _CardCache()


def forget_cards() -> None:
    """Drop what is remembered of cards, so the next read or write starts cold.

    For measurements: a benchmark of a first read must not time the cache.
    """
    _cards.clear()


def _parse_by_card(layout: Layout) -> Board | None:
    """The board, parsing only the card tables not seen before; None when most are new
    (parsing the whole text at once is then faster) or anything is wrong (the whole
    parse then finds it, with its line and column)."""
    texts = dict(layout.cards())
    known = _cards.known(texts.values())
    if len(texts) - known > max(16, len(texts) // 4):
        return None
    try:
        frame = tomli.loads(layout.frame)
        if "cards" in frame:
            return None
        board = Board.model_validate(frame)
        size = len(texts)
        cards = {cid: _cards.parse(cid, table, size) for cid, table in texts.items()}
    except (tomli.TOMLDecodeError, ValidationError, ValueError, RecursionError):
        return None
    board = board.model_copy(update={"cards": cards})
    return None if find_unknown_members(board) else board


def dumps(board: Board) -> str:
    """The canonical text of `board`: tomli-w's, one card table at a time."""
    with _gc_paused():
        frame = to_data(board.model_copy(update={"cards": {}}))
        head = tomli_w.dumps(frame, multiline_strings=True)
        return head + "".join("\n" + text for text in _cards.render(board.cards))
