"""The board filter: which cards match what the user typed after "/".

The query is words separated by spaces; a card matches when every word does.
Neither case nor accents matter: "cafe" finds "Café", "sorensen" finds "Sørensen"
only where Unicode splits the letter into a base and an accent (é, ü, å — not ø).

- ``#word`` matches a card with a tag containing *word*;
- ``@word`` matches a card co-created by someone whose member key or name
  contains *word*; ``@internal`` and ``@external`` also match a card with a
  co-creator on that side;
- any other word matches the card's title, text fields, tags or co-creators.

Pure: no Textual, so it is tested on its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..fields import TEXT as TEXT_FIELDS
from ..vocabulary import Side

if TYPE_CHECKING:
    from .faces import CardLike as Card
    from .faces import MemberLike

SIDES = {side.value for side in Side}


def folded(text: str) -> str:
    """`text` as the filter compares it: accents dropped, case folded."""
    if text.isascii():
        return text.casefold()  # the common case, without the Unicode work
    split = unicodedata.normalize("NFKD", text)
    return "".join(char for char in split if not unicodedata.combining(char)).casefold()


def matcher(query: str, members: Mapping[str, MemberLike]) -> Callable[[Card], bool] | None:
    """A test for cards matching `query`; None when the query is empty (all match)."""
    words = folded(query).split()
    if not words:
        return None
    names = {key: folded(f"{key} {member.name}") for key, member in members.items()}
    sides = {key: member.side.value for key, member in members.items()}

    def people(card: Card) -> list[str]:
        return [names.get(key, folded(key)) for key in card.by]

    def test_word(card: Card, word: str) -> bool:
        if word.startswith("#") and len(word) > 1:
            return any(word[1:] in folded(tag) for tag in card.tags)
        if word.startswith("@") and len(word) > 1:
            if word[1:] in SIDES and any(sides.get(key) == word[1:] for key in card.by):
                return True
            return any(word[1:] in person for person in people(card))
        if word in folded(card.title):
            return True
        # a validated card's text fields: the filter can only be typed once the board is
        # open, so it never meets an outline's card (which has none: AttributeError)
        if any(word in folded(getattr(card, name)) for name in TEXT_FIELDS):
            return True
        if any(word in folded(tag) for tag in card.tags):
            return True
        return any(word in person for person in people(card))

    def test(card: Card) -> bool:
        return all(test_word(card, word) for word in words)

    return test
