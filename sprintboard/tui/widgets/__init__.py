"""The board's own widgets, one family per module.

- `column`: a board column, drawn a screenful at a time (Textual's line API), with a
  cursor; `card_lines`: a card's text and rows as the column draws them.
- `header`, `keybar`, `choices`: the sprint header, the key bar, a tick list.
"""
