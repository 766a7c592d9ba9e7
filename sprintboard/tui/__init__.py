"""The Textual app: the only layer of sprintboard that imports Textual.

`app.make_app` builds the app for the command line and for every test; screens live
in `screens/` (one per file), widgets in `widgets/` (one family per file). Beside
them: `live_board` (the open board file kept in step with the disk: saving, other
people's changes, presence — a widget that reports by message), `git_tasks` (the
merge driver's offer and sync, in the live board's workers), `board_view` and
`notices` (what the board screen shows and says, without Textual), `filtering`,
`commands` (the palette), `key_order` (keys handled in order), `binding_ids` (the
README's list of keymap ids, made from the code), `screenshot` (saving a
screenshot where it does no harm).
"""

from ..i18n import language

# before any module of the app binds a key description: the language of the environment,
# unless the command line chose one (`--lang`) already
language.settle()
