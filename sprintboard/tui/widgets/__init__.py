"""The board's own widgets, one family per module."""
