"""Boards through git: the merge driver, its setup, `resolve` and `sync`.

Git is the distributed engine; this module drives the ``git`` executable with
`subprocess` and never imports Textual. The merging itself is `merge.merge` (pure);
here are the files, the index and the remote around it:

- `run_driver` is what ``sprintboard merge-driver %O %A %B %P`` does: read the three
  versions, merge them, write the canonical result into %A; exit status 1 when a card
  is left in conflict, so that git stops and says so. A version that is not a valid
  board (or has a newer schema) is merged as text by ``git merge-file`` instead, with
  git's usual markers, so nothing is lost.
- `setup` writes the ``.gitattributes`` line and the repo-local driver config.
- `resolve` redoes the merge of a board that git merged as text (no driver configured),
  from the base/ours/theirs versions git keeps in its index (stages 1, 2, 3).
- `sync` commits the boards with a message saying what changed, merges the remote's
  changes (with the driver) and pushes, explaining in plain words what went wrong.

Errors the user can act on are `GitError`, whose message is one line.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import storage
from .merge import EDITED, MergeResult, merge
from .model import SCHEMA, Board, Stage
from .safe_text import visible

ATTRIBUTE = "boards/*.toml merge=sprintboard"
"""The `.gitattributes` line that sends board files to the driver."""
DRIVER_NAME = "sprintboard board merge (cards and fields)"
MARKERS = ("<<<<<<< ", ">>>>>>> ")
PUSH_ATTEMPTS = 3
"""How many times `sync` merges again when someone pushed between its fetch and push."""


class GitError(Exception):
    """Something in git the user has to act on; the message is one line."""


# --- running git ----------------------------------------------------------------------


def git(
    cwd: Path, *args: str, check: bool = True, data: bytes | None = None, asks: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in `cwd`; with `check`, a failure is a `GitError` with git's words.

    `asks=False`: git and ssh must not ask for a password or passphrase on the terminal
    (the app's terminal belongs to the app): no terminal prompts, and no controlling
    terminal, so such a remote fails at once with a message instead of waiting.
    """
    env = None if asks else {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            capture_output=True,
            check=False,
            env=env,
            start_new_session=not asks,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); boards travel through git") from None
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_reason(result.stderr) or 'no message'}")
    return result


def _out(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8", errors="replace").strip()


BOILERPLATE = frozenset(
    {
        "fatal: Could not read from remote repository.",
        "Please make sure you have the correct access rights",
        "and the repository exists.",
    }
)
"""Lines git adds to every failure to reach a remote: they never say why."""


def _reason(stream: bytes) -> str:
    """Why git failed, in one line: its last line that says something, without "fatal: ".

    git puts the reason before its boilerplate ("ssh: connect to host … Connection
    refused", then "fatal: Could not read from remote repository." and two lines of
    advice), or splits it in two ("unable to connect to 127.0.0.1:" / "errno=Connection
    refused"): a line ending in ":" is read with the one after it.
    """
    said = [line.strip() for line in stream.decode("utf-8", "replace").splitlines()]
    said = [line for line in said if line and not line.startswith("hint:")]
    lines = [
        line.removeprefix("fatal: ").removeprefix("error: ")
        for line in [line for line in said if line not in BOILERPLATE] or said
    ]
    if len(lines) >= 2 and lines[-2].endswith(":"):
        return f"{lines[-2]} {lines[-1]}"
    return lines[-1] if lines else ""


def toplevel(cwd: Path) -> Path:
    """The root of the git working tree holding `cwd`."""
    result = git(cwd, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise GitError(
            f"{cwd}: not inside a git repository; boards are shared through one "
            "(git init, or git clone URL)"
        )
    return Path(_out(result))


# --- the merge driver -----------------------------------------------------------------


def run_driver(
    base: Path, ours: Path, theirs: Path, label: str | None = None
) -> tuple[int, list[str]]:
    """Merge three versions of a board into `ours`; the exit status and what to tell.

    Status 0: merged cleanly. Status 1: merged, with conflicts marked in the file (or
    merged as text with markers, when a version is not a board this program can read).
    Status 2: not merged, `ours` untouched (a version that is not a regular file or is too
    large to read, or a result that cannot be written).
    """
    name = label or str(ours)
    sides = ("base", "ours", "theirs")
    try:  # a named pipe, a device or an oversized file is not merged, not even as text
        data = [storage.read_bytes(path) for path in (base, ours, theirs)]
    except storage.BoardFileError as error:
        return 2, [f"sprintboard: {error}; {name} was not merged"]
    try:
        texts = [
            storage.decode(blob, Path(f"{name} ({side})"))
            for blob, side in zip(data, sides, strict=True)
        ]
        # storage parses card by card and remembers each card's text, so the second and
        # third versions cost only the cards they changed (and so does writing the result)
        old, mine, other = (
            _parse_version(text, f"{name} ({side})", name)
            for text, side in zip(texts, sides, strict=True)
        )
    except storage.BoardFileError as error:
        return _merge_as_text(base, ours, theirs, name, str(error))
    if mine is None or other is None:
        return _merge_as_text(base, ours, theirs, name, "one side is empty")
    result = merge(old, mine, other)
    try:
        storage.write_atomic(ours, storage.dumps(result.board).encode())
    except storage.BoardFileError as error:
        return 2, [str(error)]
    return (0 if result.clean else 1), describe_result(name, result)


def _parse_version(text: str, label: str, name: str) -> Board | None:
    """One version git hands the driver; None for an empty one (the file is new)."""
    if not text.strip():
        return None
    board = storage.parse(text, Path(label), Path(name))
    if board.schema_ > SCHEMA:
        raise storage.BoardFileError(
            Path(label), f"schema {board.schema_} is newer than this sprintboard (schema {SCHEMA})"
        )
    return board


def _merge_as_text(
    base: Path, ours: Path, theirs: Path, name: str, why: str
) -> tuple[int, list[str]]:
    result = git(
        ours.parent,
        "merge-file",
        "-L",
        "ours",
        "-L",
        "base",
        "-L",
        "theirs",
        str(ours),
        str(base),
        str(theirs),
        check=False,
    )
    if not 0 <= result.returncode < 128:
        # git's "error:" status (binary or NUL bytes, a version it cannot read):
        # nothing was merged and `ours` is as it was, so say that, not "markers"
        reason = _reason(result.stderr).removeprefix("error: ") or "no message"
        return 1, [
            f"sprintboard: {why}; git could not merge {name} as text either ({reason}); "
            "left as it was on our side (fix by hand, then validate)"
        ]
    message = f"sprintboard: {why}; merged {name} as text"
    if result.returncode != 0:
        return 1, [f"{message}, with conflict markers (fix by hand, then validate)"]
    try:
        storage.parse(storage.decode(storage.read_bytes(ours), Path(name)), Path(name))
    except storage.BoardFileError as error:
        return 1, [f"{message}; the result is not a valid board: {error}"]
    return 0, [message]


def describe_result(name: str, result: MergeResult) -> list[str]:
    """One line per conflict left, then the notes: what the driver prints."""
    lines = []
    for cid, field in result.conflicts:
        conflict = result.board.cards[cid].conflicts[field]
        lines.append(f"{name}: card {cid}: conflict in {field} ({conflict.describe(field)})")
    lines += [f"{name}: {note}" for note in result.notes]
    return lines


# --- setup ------------------------------------------------------------------------------


def driver_command() -> str:
    """The driver's command line: plain `sprintboard` when it is on PATH, else this one."""
    if shutil.which("sprintboard"):
        program = "sprintboard"
    else:
        script = Path(sys.executable).parent / "sprintboard"
        if script.is_file() and os.access(script, os.X_OK):
            program = shlex.quote(str(script.absolute()))
        else:
            program = f"{shlex.quote(sys.executable)} -m sprintboard"
    return f"{program} merge-driver %O %A %B %P"


def setup(cwd: Path) -> list[str]:
    """Send board files to the merge driver in the repository holding `cwd`: what was done.

    Idempotent: an existing line or setting is left as it is and reported as such.
    """
    root = toplevel(cwd)
    done: list[str] = []
    attributes = root / ".gitattributes"
    try:  # never through a link: a committed one would make setup write wherever it points
        existing = (storage.read_own_file(attributes) or b"").decode("utf-8")
    except storage.BoardFileError as error:
        raise GitError(f"{error}; nothing was changed") from None
    except UnicodeDecodeError:
        raise GitError(f"{attributes}: cannot be read: not UTF-8 text") from None
    if ATTRIBUTE in (line.strip() for line in existing.splitlines()):
        done.append(f"{attributes}: already has '{ATTRIBUTE}'")
    else:
        text = existing + ("\n" if existing and not existing.endswith("\n") else "")
        try:
            storage.write_atomic(attributes, (text + ATTRIBUTE + "\n").encode())
        except storage.BoardFileError as error:
            raise GitError(str(error)) from None
        done.append(f"{attributes}: added '{ATTRIBUTE}'")
    for key, value in (
        ("merge.sprintboard.name", DRIVER_NAME),
        ("merge.sprintboard.driver", driver_command()),
    ):
        current = _out(git(root, "config", "--local", "--get", key, check=False))
        if current == value:
            done.append(f"git config {key}: already '{value}'")
        else:
            git(root, "config", "--local", key, value)
            done.append(f"git config {key} = '{value}'")
    return done


def is_set_up(root: Path) -> bool:
    """Whether git sends this repository's board files to the driver."""
    result = git(root, "check-attr", "merge", "--", "boards/x.toml", check=False)
    driver = git(root, "config", "--get", "merge.sprintboard.driver", check=False)
    return _out(result).endswith("merge: sprintboard") and bool(_out(driver))


SETUP_OFFERED = "sprintboard.setup-offered"
"""Repo-local git config the app sets once it has offered `setup` in a clone (either answer)."""
EXAMPLES_MARKER = ".sprintboard-examples"
"""A file in a boards folder saying its boards are examples (this project's own `boards/`):
the app never offers to change the git settings of the clone they came in."""


def repo_root(path: Path) -> Path | None:
    """The root of the git working tree holding `path` (a board file or a folder).

    None when there is none, or when git is not installed: no question to ask then.
    """
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        return None
    try:
        result = git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    return Path(_out(result)) if result.returncode == 0 and _out(result) else None


def setup_offer_due(path: Path) -> Path | None:
    """The repository whose setup the app should offer once a change to `path` is saved.

    None outside a git repository, when board files already go to the driver, when
    the offer was made before in this clone (answered either way: it is asked once),
    and for example boards (their folder holds `EXAMPLES_MARKER`).
    """
    if (path.parent / EXAMPLES_MARKER).exists():
        return None
    root = repo_root(path)
    if root is None or is_set_up(root):
        return None
    offered = git(root, "config", "--local", "--get", SETUP_OFFERED, check=False)
    return None if _out(offered) == "true" else root


def remember_setup_offer(root: Path) -> None:
    """Note in the clone's own git config that setup was offered, so it is not again."""
    git(root, "config", "--local", SETUP_OFFERED, "true")


# --- resolve ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """What `resolve` did: the merge (None when there was nothing to resolve) and a report."""

    result: MergeResult | None
    lines: list[str]


def resolve(path: Path) -> Resolved:
    """Merge a board that git left in conflict again, from git's index stages, into `path`."""
    root = toplevel(path.parent if path.parent.is_dir() else Path.cwd())
    rel = _relative(root, path)
    listing = git(root, "ls-files", "-u", "-z", "--", rel).stdout.decode("utf-8", "replace")
    stages: dict[int, str] = {}
    for entry in filter(None, listing.split("\0")):
        info, _, _name = entry.partition("\t")
        _mode, sha, number = info.split()
        stages[int(number)] = sha
    if not stages:
        return Resolved(None, [_nothing_to_resolve(path)])
    if 2 not in stages or 3 not in stages:
        side = "ours" if 2 not in stages else "theirs"
        raise GitError(
            f"{path}: the board was deleted on one side ({side}) and changed on the other; "
            f"keep it with: git add {rel}, or drop it with: git rm {rel}"
        )
    versions: list[Board | None] = []
    for stage, side in ((1, "base"), (2, "ours"), (3, "theirs")):
        if stage not in stages:
            versions.append(None)
            continue
        label = Path(f"{path} ({side})")
        size = _out(git(root, "cat-file", "-s", stages[stage]))
        storage.too_large(label, int(size) if size.isdigit() else 0)
        blob = git(root, "cat-file", "blob", stages[stage]).stdout
        text = storage.decode(blob, label)
        versions.append(storage.parse(text, label, path) if text.strip() else None)
    base, ours, theirs = versions
    assert ours is not None and theirs is not None  # stages 2 and 3 hold boards
    result = merge(base, ours, theirs)
    # the file holds conflict markers, so it is replaced unread (still under the lock)
    storage.rewrite(path, lambda _unread: result.board, read=False)
    lines = describe_result(str(path), result)
    if result.clean:
        git(root, "add", "--", rel)
        lines.append(
            f"{path}: merged {len(result.board.cards)} cards cleanly and marked it resolved "
            "(git add); commit to finish the merge"
        )
    else:
        lines.append(
            f"{path}: merged; {_count(len(result.conflicts), 'conflict')} to decide "
            f"(in the app, or: sprintboard resolve {path} --take ours|theirs), then git add {rel}"
        )
    return Resolved(result, lines)


def _nothing_to_resolve(path: Path) -> str:
    try:
        text = storage.read_bytes(path).decode("utf-8", errors="replace")
    except storage.BoardFileError:
        text = ""
    if any(line.startswith(MARKERS) for line in text.splitlines()):
        raise GitError(
            f"{path}: has conflict markers, but git has no merge of it in progress; "
            "fix it by hand, or redo the merge"
        )
    return f"{path}: nothing to resolve: git has no merge conflict on this board"


def _relative(root: Path, path: Path) -> str:
    full = Path(os.path.realpath(path))
    try:
        return full.relative_to(Path(os.path.realpath(root))).as_posix()
    except ValueError:
        raise GitError(f"{path}: is not inside the git repository {root}") from None


# --- sync -------------------------------------------------------------------------------


def sync(
    board: Path | None, say: Callable[[str], None], cwd: Path | None = None, *, asks: bool = True
) -> None:
    """Commit the boards' changes, merge the remote's (with the driver), push.

    `board`: one board file, else every board in ``boards/`` under `cwd`. `say` gets a
    line for each step done. Raises `GitError` when a person must decide something.
    `asks=False` (the app): fetch and push never ask for a password on the terminal.
    """
    here = cwd or Path.cwd()
    if board is not None and not board.exists():
        raise GitError(f"{board}: no such board file")
    root = toplevel(here)
    _check_no_rebase(root)
    _finish_merge(root, say)
    if not is_set_up(root):
        setup(here)
        say("set up the board merge driver for this clone (sprintboard git-setup)")
    branch = _branch(root)
    remote, upstream = _remote(root, branch)
    folder = board.parent if board is not None else here / "boards"
    pathspec = _relative(root, board) if board is not None else _relative(root, folder)
    _commit(root, pathspec, _relative(root, folder / ".gitignore"), say)
    for _attempt in range(PUSH_ATTEMPTS):
        _pull(root, remote, branch, say, asks)
        if _push(root, remote, branch, upstream, say, asks):
            return
        upstream = True  # the branch exists there now: someone else pushed first
    raise GitError(
        f"others kept pushing to {remote}/{branch} while we synced; your changes are "
        "committed here, nothing is lost: run sync again in a moment"
    )


def _check_no_rebase(root: Path) -> None:
    for name in ("rebase-merge", "rebase-apply"):
        where = Path(_out(git(root, "rev-parse", "--git-path", name)))
        if not where.is_absolute():
            where = root / where
        if where.exists():
            raise GitError(
                "a git rebase is in progress here; finish it (git rebase --continue) "
                "or abort it (git rebase --abort), then sync again"
            )


def _finish_merge(root: Path, say: Callable[[str], None]) -> None:
    """Conclude a merge a previous sync stopped in, once its boards are decided."""
    if git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode != 0:
        return
    unmerged = _unmerged(root)
    waiting: list[str] = []
    for rel in unmerged:
        if not rel.endswith(".toml"):
            waiting.append(f"{rel} (not a board: resolve it with git)")
            continue
        try:
            loaded = storage.load(root / rel)
        except storage.BoardFileError as error:
            waiting.append(f"{rel} ({error}; run: sprintboard resolve {rel})")
            continue
        marks = [f"card {cid}: {f}" for cid, c in loaded.board.cards.items() for f in c.conflicts]
        if marks:
            waiting.append(f"{rel} ({', '.join(marks)})")
    if waiting:
        raise GitError(
            "the last sync's merge still needs a decision in "
            + "; ".join(waiting)
            + "; decide in the app or with sprintboard resolve BOARD --take ours|theirs, "
            "then sync again"
        )
    if unmerged:
        git(root, "add", "--", *unmerged)
    _run_commit(root, "--no-edit")
    say("finished the merge of the remote's changes")


def _unmerged(root: Path) -> list[str]:
    result = git(root, "diff", "--name-only", "-z", "--diff-filter=U")
    return sorted({p for p in result.stdout.decode("utf-8", "replace").split("\0") if p})


def _branch(root: Path) -> str:
    result = git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    if result.returncode != 0:
        raise GitError("no branch is checked out (detached HEAD): git switch BRANCH, then sync")
    return _out(result)


def _remote(root: Path, branch: str) -> tuple[str, bool]:
    """The remote to sync with, and whether `branch` already tracks a branch there."""
    configured = _out(git(root, "config", "--get", f"branch.{branch}.remote", check=False))
    merge_ref = _out(git(root, "config", "--get", f"branch.{branch}.merge", check=False))
    if configured and configured != "." and merge_ref == f"refs/heads/{branch}":
        return configured, True
    remotes = _out(git(root, "remote")).split()
    if not remotes:
        raise GitError(
            "this repository has no remote to sync with: ask for the shared repository's "
            "address and add it with: git remote add origin URL"
        )
    if len(remotes) > 1 and "origin" not in remotes:
        raise GitError(
            f"several remotes ({', '.join(remotes)}) and none is set for branch {branch}: "
            f"push once with: git push -u REMOTE {branch}"
        )
    return ("origin" if "origin" in remotes else remotes[0]), False


def _commit(root: Path, pathspec: str, ignore: str, say: Callable[[str], None]) -> None:
    """Commit the changed board files under `pathspec` with a summary of the changes.

    The `.gitattributes` of `setup` and the boards folder's `.gitignore` (that keeps
    the program's lock files out of git) go along when they changed.
    """
    status = git(
        root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", pathspec
    ).stdout.decode("utf-8", "replace")
    paths: list[str] = []
    entries = iter(status.split("\0"))
    for entry in entries:
        if not entry:
            continue
        code, rel = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            paths.append(next(entries, ""))  # the name it had before
        name = rel.rsplit("/", 1)[-1]
        if rel.endswith(".toml") and not name.startswith("."):
            paths.append(rel)
    paths = sorted(p for p in set(paths) if p.endswith(".toml"))
    extra = [
        rel
        for rel in (".gitattributes", ignore)
        if git(root, "status", "--porcelain", "--", rel).stdout.strip()
    ]
    if not paths and not extra:
        return
    summaries = []
    for rel in paths:
        after = _board_or_none(root / rel)
        before = _head_board(root, rel)
        summaries.append((Path(rel).stem, summarize(before, after)))
    if len(summaries) == 1:
        message = summaries[0][1]
    elif summaries:
        message = "; ".join(f"{name}: {text}" for name, text in summaries)
    else:
        message = "git settings for the boards (merge driver, ignored lock files)"
    # file names and board text are anyone's: `git log` must not replay escape sequences
    message = visible(message)
    git(root, "add", "-A", "--", *paths, *extra)
    _run_commit(root, "-m", message, "--", *paths, *extra)
    say(f"committed: {message}")


def _board_or_none(path: Path) -> Board | None:
    """The board at `path` if it exists; a bad or undecided board stops the sync."""
    if not path.exists():
        return None
    try:
        loaded = storage.load(path)
    except storage.BoardFileError as error:
        raise GitError(f"{error} (fix it, then sync again; nothing was committed)") from None
    problems = storage.conflict_problems(loaded.board, loaded.text)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GitError(
            f"{path}:{first.line}:{first.column}: {first.message}{more}; decide in the app "
            f"or with sprintboard resolve {path} --take ours|theirs, then sync again"
        )
    return loaded.board


def _head_board(root: Path, rel: str) -> Board | None:
    result = git(root, "show", f"HEAD:{rel}", check=False)
    if result.returncode != 0:
        return None
    try:
        return storage.parse(result.stdout.decode("utf-8"), Path(rel))
    except (storage.BoardFileError, UnicodeDecodeError):
        return None


def _run_commit(root: Path, *args: str) -> None:
    result = git(root, "commit", "-q", *args, check=False)
    if result.returncode == 0:
        return
    text = result.stderr.decode("utf-8", "replace")
    if "tell me who you are" in text or "user.email" in text:
        raise GitError(
            "git does not know your name yet: git config --global user.name 'Your Name' "
            "and git config --global user.email you@example.org, then sync again"
        )
    raise GitError(f"git could not commit: {_reason(result.stderr)}")


def _pull(
    root: Path, remote: str, branch: str, say: Callable[[str], None], asks: bool = True
) -> None:
    fetched = git(root, "fetch", "-q", remote, check=False, asks=asks)
    if fetched.returncode != 0:
        raise GitError(
            f"cannot reach the remote '{remote}': {_reason(fetched.stderr) or 'no message'}; "
            "your changes are committed here, sync again when it can be reached"
            + ("" if asks else _NO_PROMPT)
        )
    ref = f"refs/remotes/{remote}/{branch}"
    if git(root, "rev-parse", "-q", "--verify", ref, check=False).returncode != 0:
        return  # the branch is not there yet: the push creates it
    has_head = git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0
    if has_head:
        if git(root, "merge-base", "--is-ancestor", ref, "HEAD", check=False).returncode == 0:
            return  # nothing new there
        count = _out(git(root, "rev-list", "--count", f"HEAD..{ref}"))
    else:
        count = _out(git(root, "rev-list", "--count", ref))
    merged = git(
        root,
        "merge",
        "-q",
        "--no-edit",
        "-m",
        f"sync: merge {remote}/{branch}",
        ref,
        check=False,
    )
    if merged.returncode != 0:
        unmerged = _unmerged(root)
        if not unmerged:
            raise GitError(
                f"cannot merge the changes from {remote}/{branch}: {_reason(merged.stderr)}"
            )
        raise GitError(_conflict_message(root, unmerged, remote, branch))
    say(f"merged {_count(int(count or 0), 'change')} from {remote}/{branch}")


def _conflict_message(root: Path, unmerged: list[str], remote: str, branch: str) -> str:
    parts = []
    for rel in unmerged:
        try:
            board = storage.load(root / rel).board
        except storage.BoardFileError:
            parts.append(f"{rel} (merged as text: run sprintboard resolve {rel})")
            continue
        marks = [f"card {cid}: {f}" for cid, c in sorted(board.cards.items()) for f in c.conflicts]
        parts.append(f"{rel} ({', '.join(marks) or 'see the file'})")
    return (
        f"someone changed the same thing differently on {remote}/{branch}; decide in "
        + "; ".join(parts)
        + " — in the app, or with sprintboard resolve BOARD --take ours|theirs — "
        "then run sync again"
    )


def _push(
    root: Path,
    remote: str,
    branch: str,
    upstream: bool,
    say: Callable[[str], None],
    asks: bool = True,
) -> bool:
    """Push HEAD; False when the remote moved on meanwhile (merge again, then retry)."""
    if git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode != 0:
        say("nothing to sync yet: no board has been committed")
        return True
    ref = f"refs/remotes/{remote}/{branch}"
    there = _out(git(root, "rev-parse", "-q", "--verify", ref, check=False))
    if there and there == _out(git(root, "rev-parse", "HEAD")):
        say(f"up to date with {remote}/{branch}")
        return True
    args = ["push", "--porcelain", *([] if upstream else ["--set-upstream"])]
    pushed = git(root, *args, remote, f"HEAD:refs/heads/{branch}", check=False, asks=asks)
    if pushed.returncode == 0:
        say(f"pushed to {remote}/{branch}")
        return True
    report = pushed.stdout.decode("utf-8", "replace")
    rejected = [line for line in report.splitlines() if line.startswith("!")]
    reasons = " ".join(line.split("\t")[-1] for line in rejected)
    if "fetch first" in reasons or "non-fast-forward" in reasons:
        return False
    if rejected:
        raise GitError(
            f"the remote '{remote}' refused the push: {reasons.strip()}; your changes are "
            "committed here, nothing is lost: ask who runs the shared repository, then sync again"
        )
    raise GitError(
        f"cannot push to '{remote}': {_reason(pushed.stderr) or 'no message'}; your changes "
        "are committed here, sync again when the remote can be reached"
        + ("" if asks else _NO_PROMPT)
    )


_NO_PROMPT = (
    " (if it asks for a password, the app cannot: run sprintboard sync in a terminal, "
    "or use a credential helper or an ssh agent)"
)


# --- what changed, in words (pure) -------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summarize(before: Board | None, after: Board | None) -> str:
    """What changed on a board, in a few words: "3 cards moved to test, 2 ideas added"."""
    if after is None:
        return "board removed"
    if before is None:
        return f"new board with {_count(len(after.cards), 'card')}"
    counts: dict[tuple[str, str], int] = {}

    def count(kind: str, detail: str = "") -> None:
        counts[kind, detail] = counts.get((kind, detail), 0) + 1

    for cid in sorted(set(before.cards) | set(after.cards)):
        old, new = before.cards.get(cid), after.cards.get(cid)
        if old == new:
            continue
        if new is None:
            count("deleted")
            continue
        if old is None:
            count("added", new.stage.value)
            continue
        if new.stage != old.stage:
            count("moved", new.stage.value)
        elif new.rank != old.rank:
            count("reordered")
        if any(getattr(old, f) != getattr(new, f) for f in EDITED if f != "stage"):
            count("edited")
        if new.archived != old.archived:
            count("archived" if new.archived else "restored")
        if new.votes != old.votes:
            count("voted")
        decided = len(set(old.conflicts) - set(new.conflicts))
        for _ in range(decided):
            count("decided")
    for key in sorted(set(before.members) | set(after.members)):
        old_m, new_m = before.members.get(key), after.members.get(key)
        if old_m != new_m:
            count(
                "member "
                + ("added" if old_m is None else "removed" if new_m is None else "changed")
            )
    frame = ("title", "challenge", "goal", "sprint", "wip")
    if any(getattr(before, f) != getattr(after, f) for f in frame):
        count("details")

    phrases: list[str] = []
    stage_order = [s.value for s in Stage]
    for stage in stage_order:
        if ("moved", stage) in counts:
            phrases.append(f"{_count(counts['moved', stage], 'card')} moved to {stage}")
    for stage in stage_order:
        n = counts.get(("added", stage), 0)
        if n and stage == Stage.IDEA.value:
            phrases.append(f"{_count(n, 'idea')} added")
        elif n:
            phrases.append(f"{_count(n, 'card')} added to {stage}")
    for kind, text in (
        ("edited", "{} edited"),
        ("reordered", "{} reordered"),
        ("archived", "{} archived"),
        ("restored", "{} restored"),
        ("deleted", "{} deleted"),
        ("voted", "votes on {}"),
    ):
        if (kind, "") in counts:
            phrases.append(text.format(_count(counts[kind, ""], "card")))
    if ("decided", "") in counts:
        phrases.append(f"{_count(counts['decided', ''], 'conflict')} decided")
    for kind in ("added", "removed", "changed"):
        if (f"member {kind}", "") in counts:
            phrases.append(f"{_count(counts[f'member {kind}', ''], 'member')} {kind}")
    if ("details", "") in counts:
        phrases.append("board details edited")
    return ", ".join(phrases) if phrases else "board reformatted"
