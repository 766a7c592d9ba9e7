"""Git from the board screen: the offer to set up the merge driver, and sync.

Both run git (`sprintboard.git`) in thread workers of the live board (`LiveBoard`, the
widget that owns the board's session) and come back to the UI thread with
`call_from_thread`. Neither changes the board itself: a sync ends by calling
`look` — the live board looking at the file again, as for any outside change — so
the merged board shows like someone else's edit would. Nothing here knows the
screen: the live board hands over its session, itself to run the workers on, and
the callback.

- The offer: when the first change a person makes to a board is saved, and the board
  is inside a git repository whose board files do not go to the merge driver, ask
  once — "once" is remembered in the clone's own git config
  (`git.setup.SETUP_OFFERED`), whatever the answer, so it is not asked again there. Not
  when the board is only opened: looking at a board (the project's own example, say)
  must not ask to change git settings. Never for example boards (a boards folder
  holding `git.setup.EXAMPLES_MARKER`), outside a repository, or without git. `S` needs
  no offer: sync sets the driver up itself.
- Sync: changes still pending are saved first (a save that fails stops the sync with
  why); then the board file's lock is held while git commits, merges and pushes, so
  no save of this app lands in the middle of a merge — a change made meanwhile waits
  and is written onto the merged board. Each step git reports is a notification; the
  end is one too, or the one-line `GitError` when a person has to act. Git may not ask
  for a password here (`asks=False`): the terminal is the app's, and a fetch waiting
  for an answer nobody sees would hold the board's lock for good.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget

from ..i18n import _, ngettext

if TYPE_CHECKING:
    from ..session import BoardSession

# Git and storage are imported by the workers that use them (`_check_offer`, `_set_up`,
# `_sync`): the board screen imports this module before its first frame, which must not
# wait for them (README, "The terminal app").


class GitTasks:
    """The git side of one open board."""

    def __init__(self, host: Widget, session: BoardSession, look: Callable[[], None]) -> None:
        self.host = host
        """The widget whose workers run git (they end when it goes), and which notifies."""
        self.session = session
        """The open board file that is synced."""
        self.look = look
        """Called once a sync ends: look at the file again, to show what it brought."""
        self.syncing = False
        """A sync is running (a second one is refused until it ends)."""
        self._offer_checked = False

    # --- on the UI thread ---------------------------------------------------------------

    def tell(
        self,
        text: str,
        *,
        title: str | None = None,
        severity: SeverityLevel = "information",
        timeout: float = 5,
    ) -> None:
        title = _("Sync") if title is None else title
        self.host.notify(text, title=title, severity=severity, timeout=timeout, markup=False)

    def offer_setup(self) -> None:
        """Look (in a worker) whether to offer the merge driver's setup; once per open board.

        Called when a change was saved; a sync running meanwhile sets it up itself.
        """
        if self._offer_checked:
            return
        self._offer_checked = True
        self.host.run_worker(self._check_offer, thread=True, group="git-offer")

    class SetupOffered(Message):
        """Ask the person whether to set the merge driver up in `root`; call `answer`.

        A message rather than a dialog opened here: the dialog is a screen, and screens
        sit above this module (the board screen opens it).
        """

        def __init__(self, root: Path, answer: Callable[[bool | None], None]) -> None:
            super().__init__()
            self.root = root
            self.answer = answer

    def _ask(self, root: Path) -> None:
        if self.syncing:
            return  # the sync sets the driver up: nothing to ask
        self.host.post_message(self.SetupOffered(root, partial(self._answered, root)))

    def _answered(self, root: Path, accept: bool | None) -> None:
        work = partial(self._set_up, root, bool(accept))
        self.host.run_worker(work, thread=True, group="git-offer")

    def sync(self) -> None:
        """Save what is pending, commit the board, merge the team's changes, push."""
        session = self.session
        if self.syncing:
            self.tell(_("A sync is running already"), timeout=3)
            return
        if session.board is None:
            self.tell(_("Nothing to sync: the board is not open"), severity="warning")
            return
        if session.pending and session.error is not None:
            count = session.pending
            text = ngettext(
                "{n} change not saved yet ({error}); sync once they are",
                "{n} changes not saved yet ({error}); sync once they are",
                count,
            )
            self.tell(
                text.format(n=count, error=session.error),
                title=_("Not synced"),
                severity="error",
                timeout=10,
            )
            return
        self.syncing = True
        self.tell(_("Syncing with the team: commit, merge, push …"), timeout=3)
        self.host.run_worker(self._sync, thread=True, group="git-sync")

    def _synced(self, error: str | None) -> None:
        self.syncing = False
        if error is None:
            self.tell(_("Synced with the team"), timeout=4)
        else:
            self.tell(error, title=_("Not synced"), severity="error", timeout=20)
        self.look()  # show what the merge brought, like any outside change

    # --- in worker threads ----------------------------------------------------------------

    def _later(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run `callback(*args)` on the UI thread (nothing if the app has closed)."""
        with suppress(RuntimeError):  # the app is gone: nobody to tell
            self.host.app.call_from_thread(callback, *args)

    def _check_offer(self) -> None:
        from ..git import setup as git_setup
        from ..git.runner import GitError

        try:
            root = git_setup.setup_offer_due(self.session.path)
        except GitError:
            return  # git misbehaving is not worth a question after a save
        if root is not None:
            self._later(self._ask, root)

    def _set_up(self, root: Path, accept: bool) -> None:
        from ..git import setup as git_setup
        from ..git.runner import GitError

        try:
            if accept:
                git_setup.setup(root)
            git_setup.remember_setup_offer(root)
        except GitError as error:
            tell = partial(self.tell, title=_("Merge driver not set up"), severity="error")
            self._later(partial(tell, str(error), timeout=15))
            return
        if accept:
            text = _(
                "Board files in {root} now merge card by card. Commit .gitattributes "
                "for the others (sync does)."
            )
            self._later(partial(self.tell, title=_("Merge driver set up")), text.format(root=root))

    def _sync(self) -> None:
        from .. import storage
        from ..git import sync as git_sync
        from ..git.runner import GitError

        session = self.session
        path = session.path
        say = partial(self._later, self.tell)
        try:
            if session.pending:
                outcome = session.flush()
                if outcome.error is not None:
                    why = _("your changes could not be saved first: {error}")
                    raise GitError(why.format(error=outcome.error))
            with storage.locked(path):  # our saves wait: none lands in the middle of a merge
                git_sync.sync(path, say, cwd=path.parent, asks=False)
        except (GitError, storage.BoardFileError) as error:
            self._later(self._synced, str(error))
        else:
            self._later(self._synced, None)
