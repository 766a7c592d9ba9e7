"""`sync`: commit the boards' changes, merge the remote's (with the driver), push.

For people who would rather not learn git: every step is told in a line, and every
stop is one `GitError` sentence saying what to do next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .. import storage
from ..i18n import _, ngettext
from ..model import Board, Card
from ..safe_text import visible
from .runner import GitError, git, out, reason, relative, toplevel
from .setup import is_set_up, setup
from .summary import summarize

PUSH_ATTEMPTS = 3
"""How many times `sync` merges again when someone pushed between its fetch and push."""


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
        raise GitError(_("{path}: no such board file").format(path=board))
    root = toplevel(here)
    _check_no_rebase(root)
    _finish_merge(root, say)
    if not is_set_up(root):
        setup(here)
        say(_("set up the board merge driver for this clone (sprintboard git-setup)"))
    branch = _branch(root)
    remote, upstream = _remote(root, branch)
    folder = board.parent if board is not None else here / "boards"
    pathspec = relative(root, board) if board is not None else relative(root, folder)
    _commit(root, pathspec, relative(root, folder / ".gitignore"), say)
    for _attempt in range(PUSH_ATTEMPTS):
        _pull(root, remote, branch, say, asks)
        if _push(root, remote, branch, upstream, say, asks):
            return
        upstream = True  # the branch exists there now: someone else pushed first
    raise GitError(
        _(
            "others kept pushing to {remote}/{branch} while we synced; your changes are "
            "committed here, nothing is lost: run sync again in a moment"
        ).format(remote=remote, branch=branch)
    )


def _check_no_rebase(root: Path) -> None:
    for name in ("rebase-merge", "rebase-apply"):
        where = Path(out(git(root, "rev-parse", "--git-path", name)))
        if not where.is_absolute():
            where = root / where
        if where.exists():
            raise GitError(
                _(
                    "a git rebase is in progress here; finish it (git rebase --continue) "
                    "or abort it (git rebase --abort), then sync again"
                )
            )


def _marks(cards: Iterable[tuple[str, Card]]) -> list[str]:
    """ "card ID: FIELD" for each conflict still to decide on `cards`."""
    return [
        _("card {card}: {field}").format(card=cid, field=field)
        for cid, card in cards
        for field in card.conflicts
    ]


def _finish_merge(root: Path, say: Callable[[str], None]) -> None:
    """Conclude a merge a previous sync stopped in, once its boards are decided."""
    if git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode != 0:
        return
    unmerged = _unmerged(root)
    waiting: list[str] = []
    for rel in unmerged:
        if not rel.endswith(".toml"):
            waiting.append(_("{path} (not a board: resolve it with git)").format(path=rel))
            continue
        try:
            loaded = storage.load(root / rel)
        except storage.BoardFileError as error:
            waiting.append(
                _("{path} ({error}; run: sprintboard resolve {path})").format(path=rel, error=error)
            )
            continue
        marks = _marks(loaded.board.cards.items())
        if marks:
            waiting.append(f"{rel} ({', '.join(marks)})")
    if waiting:
        raise GitError(
            _(
                "the last sync's merge still needs a decision in {boards}; decide in the app "
                "or with sprintboard resolve BOARD --take ours|theirs, then sync again"
            ).format(boards="; ".join(waiting))
        )
    if unmerged:
        git(root, "add", "--", *unmerged)
    _run_commit(root, "--no-edit")
    say(_("finished the merge of the remote's changes"))


def _unmerged(root: Path) -> list[str]:
    result = git(root, "diff", "--name-only", "-z", "--diff-filter=U")
    return sorted({p for p in result.stdout.decode("utf-8", "replace").split("\0") if p})


def _branch(root: Path) -> str:
    result = git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    if result.returncode != 0:
        raise GitError(_("no branch is checked out (detached HEAD): git switch BRANCH, then sync"))
    return out(result)


def _remote(root: Path, branch: str) -> tuple[str, bool]:
    """The remote to sync with, and whether `branch` already tracks a branch there."""
    configured = out(git(root, "config", "--get", f"branch.{branch}.remote", check=False))
    merge_ref = out(git(root, "config", "--get", f"branch.{branch}.merge", check=False))
    if configured and configured != "." and merge_ref == f"refs/heads/{branch}":
        return configured, True
    remotes = out(git(root, "remote")).split()
    if not remotes:
        raise GitError(
            _(
                "this repository has no remote to sync with: ask for the shared repository's "
                "address and add it with: git remote add origin URL"
            )
        )
    if len(remotes) > 1 and "origin" not in remotes:
        raise GitError(
            _(
                "several remotes ({remotes}) and none is set for branch {branch}: "
                "push once with: git push -u REMOTE {branch}"
            ).format(remotes=", ".join(remotes), branch=branch)
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
        message = _("git settings for the boards (merge driver, ignored lock files)")
    # file names and board text are anyone's: `git log` must not replay escape sequences
    message = visible(message)
    git(root, "add", "-A", "--", *paths, *extra)
    _run_commit(root, "-m", message, "--", *paths, *extra)
    say(_("committed: {message}").format(message=message))


def _board_or_none(path: Path) -> Board | None:
    """The board at `path` if it exists; a bad or undecided board stops the sync."""
    if not path.exists():
        return None
    try:
        loaded = storage.load(path)
    except storage.BoardFileError as error:
        raise GitError(
            _("{error} (fix it, then sync again; nothing was committed)").format(error=error)
        ) from None
    problems = storage.conflict_problems(loaded.board, loaded.text)
    if problems:
        first = problems[0]
        more = len(problems) - 1
        also = ngettext(" (and {n} more)", " (and {n} more)", more).format(n=more) if more else ""
        raise GitError(
            _(
                "{path}:{line}:{column}: {problem}{also}; decide in the app "
                "or with sprintboard resolve {path} --take ours|theirs, then sync again"
            ).format(
                path=path, line=first.line, column=first.column, problem=first.message, also=also
            )
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
            _(
                "git does not know your name yet: git config --global user.name 'Your Name' "
                "and git config --global user.email you@example.org, then sync again"
            )
        )
    raise GitError(_("git could not commit: {reason}").format(reason=reason(result.stderr)))


def _no_prompt(asks: bool) -> str:
    """What to add to "cannot reach" when git was not allowed to ask for a password."""
    if asks:
        return ""
    return _(
        " (if it asks for a password, the app cannot: run sprintboard sync in a terminal, "
        "or use a credential helper or an ssh agent)"
    )


def _pull(
    root: Path, remote: str, branch: str, say: Callable[[str], None], asks: bool = True
) -> None:
    fetched = git(root, "fetch", "-q", remote, check=False, asks=asks)
    if fetched.returncode != 0:
        raise GitError(
            _(
                "cannot reach the remote '{remote}': {reason}; "
                "your changes are committed here, sync again when it can be reached"
            ).format(remote=remote, reason=reason(fetched.stderr) or _("no message"))
            + _no_prompt(asks)
        )
    ref = f"refs/remotes/{remote}/{branch}"
    if git(root, "rev-parse", "-q", "--verify", ref, check=False).returncode != 0:
        return  # the branch is not there yet: the push creates it
    has_head = git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0
    if has_head:
        if git(root, "merge-base", "--is-ancestor", ref, "HEAD", check=False).returncode == 0:
            return  # nothing new there
        count = out(git(root, "rev-list", "--count", f"HEAD..{ref}"))
    else:
        count = out(git(root, "rev-list", "--count", ref))
    merged = git(
        root,
        "merge",
        "-q",
        "--no-edit",
        "-m",
        _("sync: merge {remote}/{branch}").format(remote=remote, branch=branch),
        ref,
        check=False,
    )
    if merged.returncode != 0:
        unmerged = _unmerged(root)
        if not unmerged:
            raise GitError(
                _("cannot merge the changes from {remote}/{branch}: {reason}").format(
                    remote=remote, branch=branch, reason=reason(merged.stderr)
                )
            )
        raise GitError(_conflict_message(root, unmerged, remote, branch))
    n = int(count or 0)
    say(
        ngettext(
            "merged {n} change from {remote}/{branch}",
            "merged {n} changes from {remote}/{branch}",
            n,
        ).format(n=n, remote=remote, branch=branch)
    )


def _conflict_message(root: Path, unmerged: list[str], remote: str, branch: str) -> str:
    parts = []
    for rel in unmerged:
        try:
            board = storage.load(root / rel).board
        except storage.BoardFileError:
            parts.append(
                _("{path} (merged as text: run sprintboard resolve {path})").format(path=rel)
            )
            continue
        marks = _marks(sorted(board.cards.items()))
        parts.append(f"{rel} ({', '.join(marks) or _('see the file')})")
    return _(
        "someone changed the same thing differently on {remote}/{branch}; decide in "
        "{boards} — in the app, or with sprintboard resolve BOARD --take ours|theirs — "
        "then run sync again"
    ).format(remote=remote, branch=branch, boards="; ".join(parts))


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
        say(_("nothing to sync yet: no board has been committed"))
        return True
    ref = f"refs/remotes/{remote}/{branch}"
    there = out(git(root, "rev-parse", "-q", "--verify", ref, check=False))
    if there and there == out(git(root, "rev-parse", "HEAD")):
        say(_("up to date with {remote}/{branch}").format(remote=remote, branch=branch))
        return True
    args = ["push", "--porcelain", *([] if upstream else ["--set-upstream"])]
    pushed = git(root, *args, remote, f"HEAD:refs/heads/{branch}", check=False, asks=asks)
    if pushed.returncode == 0:
        say(_("pushed to {remote}/{branch}").format(remote=remote, branch=branch))
        return True
    report = pushed.stdout.decode("utf-8", "replace")
    rejected = [line for line in report.splitlines() if line.startswith("!")]
    reasons = " ".join(line.split("\t")[-1] for line in rejected)
    if "fetch first" in reasons or "non-fast-forward" in reasons:
        return False
    if rejected:
        raise GitError(
            _(
                "the remote '{remote}' refused the push: {reasons}; your changes are "
                "committed here, nothing is lost: ask who runs the shared repository, "
                "then sync again"
            ).format(remote=remote, reasons=reasons.strip())
        )
    raise GitError(
        _(
            "cannot push to '{remote}': {reason}; your changes "
            "are committed here, sync again when the remote can be reached"
        ).format(remote=remote, reason=reason(pushed.stderr) or _("no message"))
        + _no_prompt(asks)
    )
