"""The `sprintboard` command as people and scripts use it: the installed executable, run in
a subprocess (cwd = `tmp_path`) against board files in `tmp_path`, one module per command
family (as `sprintboard/cli/` is split), plus the bad-input table and who acts.

Every failing command is held to the contract of the README ("Using the command line"):
exit code 1 (2 for argparse usage errors), exactly one short line on stderr naming the file
(``path:line:col:`` for problems inside it), no traceback, and every file on disk byte-for-byte
as it was. Successful commands are checked through the command's own output (`list --json`,
`show --json`) and, where the file is the point, the TOML on disk. The git commands are tested
with the git helpers, in `test_git.py` and `test_sync.py`.
"""
