"""The app's screens and modal dialogs, one per module.

- `board`: the board screen — the layout, the live board's messages, which keys
  work now, the filter, quitting. Built on:
  - `card_actions`: what each key does to a card, and the dialogs it opens;
  - `board_columns`: the four columns — what they show, which one keys act on, the
    selection following its card;
  - `board_keys`: the board's bindings, the key bar's order, the palette's commands.
- `card_view`, `card_editor`, `new_card`, `discard`, `help`, `git_setup`: the
  board's dialogs; `picker`, `new_board`: choosing or making a board at start.
"""
