"""Git in the app: cards a merge left undecided, the driver's setup offer, and sync.

Conflicted boards are made the way a merge leaves them (a `conflicts` table on a
card). Git runs for real, in repositories under tmp_path with their own HOME and
global config (`isolate_git`), like the domain's git tests.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from integration.git_repo import Repo, isolate_git
from textual.widgets import Input, Static

from sprintboard import storage
from sprintboard.git import setup as git_setup
from sprintboard.git import sync as git_sync
from sprintboard.git.runner import git
from sprintboard.i18n.language import within
from sprintboard.model import Conflict, Stage
from sprintboard.tui.board_view import StageView, column_subtitle, decisions_text, stage_views
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.card_view import CardView, shown_side, side_text
from sprintboard.tui.screens.git_setup import GitSetupOffer
from sprintboard.tui.screens.nudge import NudgeDialog
from sprintboard.tui.widgets.column import CONFLICT_MARK, Column

from .helpers import FIXTURES, board_screen, fixture_board, settle, steady_app

SIZE = (100, 30)
CARD = "aaaa0001"
"""The idea card "Saturday art workshop at the library" of the fixture board."""
THEIRS = "Saturday art club for families"


def write_conflicted(path: Path, **conflicts: Conflict) -> None:
    """The fixture board with `conflicts` on card `CARD` (default: its title)."""
    board = fixture_board()
    card = board.cards[CARD]
    marks = conflicts or {"title": Conflict(ours=card.title, theirs=THEIRS)}
    cards = {**board.cards, CARD: card.model_copy(update={"conflicts": marks})}
    path.parent.mkdir(parents=True, exist_ok=True)
    storage.save(path, board.model_copy(update={"cards": cards}))


def column_text(column: Column) -> str:
    """What the column draws, row by row."""
    height = column.scrollable_content_region.height
    return "\n".join(column.render_line(y).text for y in range(height))


def notes(app: Any) -> list[tuple[str, str]]:
    """The notifications on screen now: (message, severity)."""
    return [(note.message, note.severity) for note in app._notifications]


# --- the parts, without the app -------------------------------------------------------


def test_sides_and_counts_in_words() -> None:
    board = fixture_board()
    card = board.cards[CARD]
    title = Conflict(ours=card.title, theirs=THEIRS)
    assert shown_side(card, "title", title) == "ours"
    assert shown_side(card, "title", Conflict(ours="a", theirs=card.title)) == "theirs"
    assert shown_side(card, "stage", Conflict(ours="test", theirs="idea")) == "theirs"
    assert shown_side(card, "deleted", Conflict(ours=True, theirs=False)) == "theirs"
    assert side_text("decision", None) == "no decision"
    assert side_text("body", "") == "(empty)"
    assert side_text("archived", True) == "archived the card"
    assert decisions_text(0) == ""
    assert decisions_text(1).startswith("! 1 card needs a decision after a merge")
    assert decisions_text(3).startswith("! 3 cards need a decision")

    marked = card.model_copy(update={"conflicts": {"title": title}})
    views = stage_views(
        board.model_copy(update={"cards": {**board.cards, CARD: marked}}),
        set(Stage),
        None,
        archived=False,
    )
    assert views[Stage.IDEA].conflicted == 1 and views[Stage.TEST].conflicted == 0
    assert column_subtitle(views[Stage.IDEA], show_archived=False) == "1 to decide"
    with within("da"):  # a count's word takes its number's form where a language has one
        assert column_subtitle(views[Stage.IDEA], show_archived=False) == "1 skal afgøres"
        archived = StageView([], 0, 2, 0)
        assert column_subtitle(archived, show_archived=True) == "2 arkiverede"
        archived = StageView([], 0, 1, 3)
        assert column_subtitle(archived, show_archived=True) == "1 arkiveret · 3 skal afgøres"


def test_repo_root_and_the_setup_offer_in_the_domain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(tmp_path / "home", monkeypatch)
    outside = tmp_path / "loose" / "boards" / "b.toml"
    write_conflicted(outside)
    assert git_setup.repo_root(outside) is None
    assert git_setup.setup_offer_due(outside) is None
    repo = Repo.init(tmp_path / "repo")
    board = repo.path / "boards" / "b.toml"
    write_conflicted(board)
    assert git_setup.repo_root(board) == repo.path.resolve()
    assert git_setup.setup_offer_due(board) == repo.path.resolve()
    git_setup.remember_setup_offer(repo.path)
    assert git_setup.setup_offer_due(board) is None
    assert repo.git("config", "--local", git_setup.SETUP_OFFERED).stdout.strip() == "true"


def test_git_for_the_app_never_asks_on_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(tmp_path / "home", monkeypatch)
    monkeypatch.delenv("GIT_TERMINAL_PROMPT")
    repo = Repo.init(tmp_path / "repo")
    show = (
        "alias.show-env=!echo prompt=${GIT_TERMINAL_PROMPT-unset} "
        "tty=$( (exec </dev/tty) 2>/dev/null && echo yes || echo no)"
    )
    asking = git(repo.path, "-c", show, "show-env").stdout.decode()
    quiet = git(repo.path, "-c", show, "show-env", asks=False).stdout.decode()
    assert asking.startswith("prompt=unset")
    assert quiet.strip() == "prompt=0 tty=no"  # no terminal to ask on: fails, not waits


# --- deciding in the app ---------------------------------------------------------------


async def test_a_conflicted_card_is_marked_and_taking_theirs_decides_it(board_file: Path) -> None:
    write_conflicted(board_file)
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        idea = screen.column(Stage.IDEA)
        assert CONFLICT_MARK in column_text(idea)
        assert CONFLICT_MARK not in column_text(screen.column(Stage.TEST))
        assert idea.border_subtitle == "1 to decide"
        line = screen.query_one("#decisions", Static)
        assert line.display and "1 card needs a decision" in str(line.render())

        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, CardView)
        assert "this copy" in str(
            view.query_one("#conflict-title").query_one(".-shown").border_title
        )
        await pilot.press("2")  # take the merged-in title
        await settle(pilot)

        text = board_file.read_text()
        assert f'title = "{THEIRS}"' in text and "conflicts" not in text
        assert view.card.title == THEIRS and not view.card.conflicts
        assert view.note == ""  # our own decision, not "changed by someone else"
        assert not view.query("#conflicts")  # nothing left to decide in the view
        await pilot.press("escape")
        await pilot.pause()
        assert CONFLICT_MARK not in column_text(idea)
        assert not line.display and idea.border_subtitle == ""

        await pilot.press("u")  # undo brings the conflict back, in the file too
        await settle(pilot)
        text = board_file.read_text()
        assert f"[cards.{CARD}.conflicts.title]" in text and f'theirs = "{THEIRS}"' in text
        assert CONFLICT_MARK in column_text(idea) and line.display


async def test_keeping_this_copy_of_one_field_leaves_the_other_to_decide(
    board_file: Path,
) -> None:
    title = "Saturday art workshop at the library"
    write_conflicted(
        board_file,
        title=Conflict(ours=title, theirs=THEIRS),
        body=Conflict(ours="", theirs="Bring aprons"),
    )
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, CardView)
        await pilot.press("1")  # the first field (the title): keep this copy's
        await settle(pilot)
        card = storage.load(board_file).board.cards[CARD]
        assert card.title == title and list(card.conflicts) == ["body"]
        assert view.query("#conflict-body") and not view.query("#conflict-title")
        await pilot.click("#conflict-body .choice.-theirs")
        await settle(pilot)
        card = storage.load(board_file).board.cards[CARD]
        assert card.body == "Bring aprons" and not card.conflicts


async def test_deciding_by_editing_clears_the_conflict(board_file: Path) -> None:
    write_conflicted(board_file)
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3")  # edit the field instead
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardEditor) and editor.decide == "title"
        field = editor.query_one("#title", Input)
        assert app.focused is field
        field.value = "Saturday art club at the library"
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = board_file.read_text()
        assert 'title = "Saturday art club at the library"' in text
        assert "conflicts" not in text
        assert CONFLICT_MARK not in column_text(board_screen(app).column(Stage.IDEA))


async def test_saving_the_editor_unchanged_keeps_the_value_shown_and_decides(
    board_file: Path,
) -> None:
    write_conflicted(board_file, body=Conflict(ours="", theirs="Bring aprons"))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#conflict-body .choice.-edit")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        await pilot.press("ctrl+s")
        await settle(pilot)
        card = storage.load(board_file).board.cards[CARD]
        assert card.body == "" and not card.conflicts


async def test_taking_a_stage_moves_the_card_there(board_file: Path) -> None:
    write_conflicted(board_file, stage=Conflict(ours="idea", theirs="test"))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CardView)  # still open: the card, decided
        await pilot.press("escape")
        await pilot.pause()
        card = storage.load(board_file).board.cards[CARD]
        assert card.stage is Stage.TEST and not card.conflicts
        screen = board_screen(app)
        assert screen.current_column.stage is Stage.TEST
        assert screen.current_column.card_id == CARD


async def test_taking_the_side_that_deleted_the_card_deletes_it(board_file: Path) -> None:
    write_conflicted(board_file, deleted=Conflict(ours=False, theirs=True))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardView)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)  # the card is gone: the view closed
        assert CARD not in storage.load(board_file).board.cards
        await pilot.press("u")
        await settle(pilot)
        card = storage.load(board_file).board.cards[CARD]
        assert card.conflicts == {"deleted": Conflict(ours=False, theirs=True)}


# --- the setup offer -------------------------------------------------------------------


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(tmp_path / "home", monkeypatch)
    return tmp_path / "home"


def driver_of(repo: Repo) -> str:
    return repo.git("config", "--local", "merge.sprintboard.driver", check=False).stdout.strip()


async def change_and_settle(path: Path) -> type:
    """Open the app on `path`, move a card (a first change), and say which screen is on top.

    Opening alone never asks: the question comes after a saved change.
    """
    app = steady_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("l", "L")
        await settle(pilot)
        if isinstance(app.screen, NudgeDialog):  # a card moved into test with no experiment
            await pilot.press("escape")  # skipped: only an offer over it would stay on top
            await settle(pilot)
        return type(app.screen)


async def test_the_setup_offer_accepted_sets_up_the_driver_once(
    tmp_path: Path, git_home: Path
) -> None:
    repo = Repo.init(tmp_path / "repo")
    board = repo.path / "boards" / "b.toml"
    write_conflicted(board)
    app = steady_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)  # opening it asks nothing
        await pilot.press("l", "L")  # a first change, saved: now it asks
        await settle(pilot)
        assert isinstance(app.screen, GitSetupOffer)
        await pilot.press("enter")  # "Set up" has the focus
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert any("now merge card by card" in text for text, _ in notes(app))
    assert driver_of(repo).endswith("merge-driver %O %A %B %P")
    assert git_setup.ATTRIBUTE in (repo.path / ".gitattributes").read_text().splitlines()
    assert await change_and_settle(board) is BoardScreen  # not asked again


async def test_the_setup_offer_declined_is_not_made_again(tmp_path: Path, git_home: Path) -> None:
    repo = Repo.init(tmp_path / "repo")
    board = repo.path / "boards" / "b.toml"
    write_conflicted(board)
    assert await change_and_settle(board) is GitSetupOffer
    app = steady_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "L")  # bbbb0002 on into test: its experiment's nudge first
        await settle(pilot)
        assert isinstance(app.screen, NudgeDialog)  # the offer waits: typing must not answer it
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GitSetupOffer)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert driver_of(repo) == "" and not (repo.path / ".gitattributes").exists()
    assert repo.git("config", "--local", git_setup.SETUP_OFFERED).stdout.strip() == "true"
    assert await change_and_settle(board) is BoardScreen


async def test_no_setup_offer_outside_a_git_repository(tmp_path: Path, git_home: Path) -> None:
    board = tmp_path / "loose" / "boards" / "b.toml"
    write_conflicted(board)
    assert await change_and_settle(board) is BoardScreen


async def test_no_setup_offer_for_example_boards_even_after_a_change(
    tmp_path: Path, git_home: Path
) -> None:
    repo = Repo.init(tmp_path / "repo")
    board = repo.path / "boards" / "b.toml"
    write_conflicted(board)
    (board.parent / git_setup.EXAMPLES_MARKER).write_text("examples\n")
    before = board.read_bytes()
    assert await change_and_settle(board) is BoardScreen
    assert board.read_bytes() != before  # the change was saved; nothing was asked
    assert git_setup.setup_offer_due(board) is None
    config = repo.git("config", "--local", "--list").stdout
    assert "sprintboard" not in config  # the clone's git settings are untouched


def test_this_projects_own_boards_are_marked_as_examples() -> None:
    boards = Path(__file__).parents[2] / "boards"
    assert any(boards.glob("*.toml"))
    assert (boards / git_setup.EXAMPLES_MARKER).is_file()


# --- sync ------------------------------------------------------------------------------


def clone_with_board(tmp_path: Path) -> tuple[Path, Repo]:
    """A bare shared repository, and a clone that has pushed the fixture board to it."""
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(
        ["git", "clone", "-q", str(bare), str(tmp_path / "anna")], check=True, capture_output=True
    )
    repo = Repo(tmp_path / "anna")
    repo.git("config", "user.name", "Anna")
    repo.git("config", "user.email", "anna@example.org")
    repo.board_path.parent.mkdir()
    repo.board_path.write_bytes((FIXTURES / "board.toml").read_bytes())
    git_sync.sync(repo.board_path, lambda line: None, cwd=repo.path)
    return bare, repo


def remote_git(bare: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "--git-dir", str(bare), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


async def test_sync_from_the_app_commits_merges_and_pushes(tmp_path: Path, git_home: Path) -> None:
    bare, repo = clone_with_board(tmp_path)
    app = steady_app(repo.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)  # sync set the driver up: no offer
        await pilot.press("L")  # the first idea on to prototype
        await pilot.press("S")
        await settle(pilot)
        said = [text for text, _ in notes(app)]
        assert "committed: 1 card moved to prototype" in said
        assert "pushed to origin/main" in said and "Synced with the team" in said
    assert remote_git(bare, "log", "-1", "--format=%s", "main").strip() == (
        "1 card moved to prototype"
    )
    shared = storage.parse(remote_git(bare, "show", "main:boards/x.toml"), Path("x.toml"))
    assert shared.cards[CARD].stage is Stage.PROTOTYPE


async def test_sync_brings_the_teams_changes_onto_the_board(tmp_path: Path, git_home: Path) -> None:
    bare, repo = clone_with_board(tmp_path)
    bo = second_clone(bare, tmp_path / "bo")
    text = bo.board_path.read_text().replace("Museum tickets on the library card", "Free museum")
    bo.board_path.write_text(text)
    git_sync.sync(bo.board_path, lambda line: None, cwd=bo.path)

    app = steady_app(repo.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert "merged 1 change from origin/main" in [text for text, _ in notes(app)]
        screen = board_screen(app)
        assert screen.live.session.board is not None
        assert screen.live.session.board.cards["aaaa0002"].title == "Free museum"
        assert "Free museum" in column_text(screen.column(Stage.IDEA))


def second_clone(bare: Path, folder: Path) -> Repo:
    subprocess.run(["git", "clone", "-q", str(bare), str(folder)], check=True, capture_output=True)
    repo = Repo(folder)
    repo.git("config", "user.name", "Bo")
    repo.git("config", "user.email", "bo@example.org")
    return repo


async def test_a_sync_that_needs_a_decision_finishes_once_it_is_taken(
    tmp_path: Path, git_home: Path
) -> None:
    bare, anna = clone_with_board(tmp_path)
    bo = second_clone(bare, tmp_path / "bo")
    old = "Museum tickets on the library card"
    bo.board_path.write_text(bo.board_path.read_text().replace(old, "Free museum"))
    git_sync.sync(bo.board_path, lambda line: None, cwd=bo.path)
    anna.board_path.write_text(anna.board_path.read_text().replace(old, "Museum for all"))

    app = steady_app(anna.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        errors = [text for text, severity in notes(app) if severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("someone changed the same thing")
        screen = board_screen(app)
        idea = screen.column(Stage.IDEA)
        assert CONFLICT_MARK in column_text(idea)  # the merged board, with the mark
        assert screen.query_one("#decisions", Static).display

        await pilot.press("down", "enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, CardView) and view.card_id == "aaaa0002"
        await pilot.press("2", "escape")  # the merged-in title (Bo's)
        await settle(pilot)
        assert CONFLICT_MARK not in column_text(idea)
        await pilot.press("S")
        await settle(pilot)
        said = [text for text, _ in notes(app)]
        assert "finished the merge of the remote's changes" in said
        assert "pushed to origin/main" in said
    shared = storage.parse(remote_git(bare, "show", "main:boards/x.toml"), Path("x.toml"))
    assert shared.cards["aaaa0002"].title == "Free museum"
    assert not shared.cards["aaaa0002"].conflicts


async def test_sync_without_a_remote_says_so(tmp_path: Path, git_home: Path) -> None:
    repo = Repo.init(tmp_path / "repo")
    repo.board_path.parent.mkdir()
    repo.board_path.write_bytes((FIXTURES / "board.toml").read_bytes())
    git_setup.remember_setup_offer(repo.path)
    app = steady_app(repo.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        errors = [text for text, severity in notes(app) if severity == "error"]
        assert len(errors) == 1
        assert errors[0].startswith("this repository has no remote to sync with")
        assert board_screen(app).live.git.syncing is False


# --- snapshots -------------------------------------------------------------------------


def write_two_conflicted(path: Path) -> None:
    """Card `CARD` with its title and notes to decide, the museum card with its stage."""
    write_conflicted(
        path,
        title=Conflict(ours="Saturday art workshop at the library", theirs=THEIRS),
        body=Conflict(ours="", theirs="Bring aprons.\nTen places, first come."),
    )
    board = storage.load(path).board
    museum = board.cards["aaaa0002"]
    marks = {"stage": Conflict(ours="idea", theirs="test")}
    cards = {**board.cards, "aaaa0002": museum.model_copy(update={"conflicts": marks})}
    storage.save(path, board.model_copy(update={"cards": cards}))


async def _settled(pilot: Any) -> None:
    await settle(pilot)


def test_snapshot_a_board_with_cards_to_decide(snap_compare: Any, board_file: Path) -> None:
    write_two_conflicted(board_file)
    app = steady_app(board_file)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_snapshot_cards_to_decide_without_colour(
    snap_compare: Any, board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    write_two_conflicted(board_file)
    app = steady_app(board_file)
    assert snap_compare(app, press=["down"], terminal_size=(80, 24), run_before=_settled)


def test_snapshot_a_card_to_decide_opened(snap_compare: Any, board_file: Path) -> None:
    write_two_conflicted(board_file)
    app = steady_app(board_file)
    assert snap_compare(app, press=["enter"], terminal_size=SIZE, run_before=_settled)


async def test_sync_waits_for_changes_that_cannot_be_saved(tmp_path: Path, git_home: Path) -> None:
    bare, repo = clone_with_board(tmp_path)
    head = repo.git("rev-parse", "HEAD").stdout
    app = steady_app(repo.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        repo.board_path.chmod(0o444)  # no write bits: read-only, even for root
        await pilot.press("L")
        await settle(pilot)
        assert board_screen(app).live.session.pending == 1
        await pilot.press("S")
        await settle(pilot)
        errors = [text for text, severity in notes(app) if severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("1 change not saved yet")
        repo.board_path.chmod(0o644)
    assert repo.git("rev-parse", "HEAD").stdout == head  # nothing committed
    assert remote_git(bare, "rev-parse", "main") == head
