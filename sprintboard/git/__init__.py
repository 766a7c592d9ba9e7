"""Boards through git: the merge driver, its setup, `resolve` and `sync`.

Git is the distributed engine; this package drives the ``git`` executable with
`subprocess` and never imports Textual. The merging itself is `merge.merge` (pure);
here are the files, the index and the remote around it. Nothing is re-exported:
git runs the merge driver once per conflicted board, so `driver` loads only what it
needs (`runner`), never `sync` and what that pulls in.

- `runner`: running git (`git`, `GitError` with git's reason in one line, the
  no-prompt mode of the app), and where the working tree is (`toplevel`, `relative`).
- `driver`: what ``sprintboard merge-driver %O %A %B %P`` does (`run_driver`): read the
  three versions, merge them, write the canonical result into %A; exit status 1 when a
  card is left in conflict, so that git stops and says so. A version that is not a
  valid board (or has a newer schema) is merged as text by ``git merge-file`` instead,
  with git's usual markers, so nothing is lost. `describe_result` says what a merge left.
- `setup`: the ``.gitattributes`` line and the repo-local driver config (`setup`,
  `is_set_up`), and the app's once-per-clone offer of it (`setup_offer_due`).
- `resolve`: redoes the merge of a board that git merged as text (no driver
  configured), from the base/ours/theirs versions git keeps in its index (stages 1, 2, 3).
- `sync`: commits the boards with a message saying what changed, merges the remote's
  changes (with the driver) and pushes, explaining in plain words what went wrong.
- `summary`: what changed on a board, in words, for the commit message (pure).

Errors the user can act on are `runner.GitError`, whose message is one line.
"""
