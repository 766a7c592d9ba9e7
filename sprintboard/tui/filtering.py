"""The board filter: which cards match what the user typed after "/".

The query is words separated by spaces; a card matches when every word does
(case does not matter):

- ``#word`` matches a card with a tag containing *word*;
- ``@word`` matches a card co-created by someone whose member key or name
  contains *word*;
- any other word matches the card's title, text fields, tags or co-creators.

Pure: no Textual, so it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..model import TEXT_FIELDS, Card, Member


def matcher(query: str, members: Mapping[str, Member]) -> Callable[[Card], bool] | None:
    """A test for cards matching `query`; None when the query is empty (all match)."""
    words = query.lower().split()
    if not words:
        return None
    names = {key: f"{key} {member.name}".lower() for key, member in members.items()}

    def people(card: Card) -> list[str]:
        return [names.get(key, key.lower()) for key in card.by]

    def test_word(card: Card, word: str) -> bool:
        if word.startswith("#") and len(word) > 1:
            return any(word[1:] in tag.lower() for tag in card.tags)
        if word.startswith("@") and len(word) > 1:
            return any(word[1:] in person for person in people(card))
        if word in card.title.lower():
            return True
        if any(word in getattr(card, name).lower() for name in TEXT_FIELDS):
            return True
        if any(word in tag.lower() for tag in card.tags):
            return True
        return any(word in person for person in people(card))

    def test(card: Card) -> bool:
        return all(test_word(card, word) for word in words)

    return test
