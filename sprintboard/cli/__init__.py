"""The `sprintboard` command: parses arguments, runs services, prints text or JSON.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback), 2 usage.
Textual is imported only by `open`, git only by the git commands, and pydantic only by
the commands that read or write a board, so every command starts fast.

- `entry`: `main()`, the entry point: parse, dispatch, errors to exit codes.
- `parser`: the shared options and the parser assembled from the families.
- `common`: what the families share: `UserError`, which board, who acts, card ids,
  `change` (one operation on a board file), argument types.
- `output`: everything printed: `say`/`fail` (the only way to the terminal) and the
  renderings of cards and members, text and JSON.
- one module per command family, each with `register(command)` adding its commands:
  `cards` (add, move, edit, archive, restore, delete, vote, list, show), `boards` (new,
  member, members, validate, fmt, open), `git` (merge-driver, git-setup, resolve, sync),
  `invite` (invite, invites, revoke), `serve` (serve-ssh).

A new family of commands is a new module with a `register` function, plus its line in
`parser.FAMILIES`; nothing else changes. The parser imports every family to build itself,
so a family imports the model, storage, the operations (and so pydantic) inside the
commands that use them, not at its top: `open` reaches the app, and `list` its board,
without paying for the rest (`tests/cli/test_startup.py` checks it).

`sprintboard.cli.main` is that function (the console script's entry point, which tests
call as `cli.main([...])`); its module is `entry`, so the name means one thing.
"""

from .entry import main

__all__ = ["main"]
