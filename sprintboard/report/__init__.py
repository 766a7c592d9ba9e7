"""The sprint report and the board's exports: what the sprint learned, for people who
never open a terminal (README, "What the sprint learned").

- `content`: what a report says, in its order — the frame, the team, the learnings
  first, then the experiments, prototypes and ideas — with the co-creation figure and
  the flow figures (`flow`); every format renders this one `Report`.
- `markdown`, `html` (with `charts`, its inline SVG, and `html_style`, its stylesheet):
  the report as a document.
- `table` (CSV) and `board_json` (JSON): the board as data, every field of every card.
- `formats`: the formats by name, for `sprintboard export` and the app's dialog.

Pure: no Textual. Every function takes its "now", so reports are reproducible.
"""
