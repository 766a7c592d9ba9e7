"""What the card's fields are called on screen, grouped as the editor and the card show them."""

from __future__ import annotations

CARD_GROUP = ("title", "tags", "by", "body")
EXPERIMENT_GROUP = ("hypothesis", "test", "metric", "criterion")
LEARNING_GROUP = ("observed", "learned", "next", "decision")

LABELS = {
    "title": "Title",
    "tags": "Tags",
    "by": "Co-created by",
    "body": "Notes",
    "hypothesis": "We believe",
    "test": "To verify that, we will",
    "metric": "and measure",
    "criterion": "We are right if",
    "observed": "We observed",
    "learned": "We learned",
    "next": "Therefore we will",
    "decision": "Decision",
}
"""Each editable field's label: the experiment and learning fields read as sentences."""
