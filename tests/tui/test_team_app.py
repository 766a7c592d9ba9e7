"""The sprint frame and the team in the app: settings, the team screen, guests, the figure.

Each test drives the real app with Pilot and asserts the board file on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select

from sprintboard import ops, storage
from sprintboard.co_creation import Involvement
from sprintboard.i18n.language import within
from sprintboard.model import Side, Stage
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.discard import DiscardChanges
from sprintboard.tui.screens.member_form import MemberForm
from sprintboard.tui.screens.new_card import guests_line
from sprintboard.tui.screens.remove_member import RemoveMemberQuestion, question
from sprintboard.tui.screens.settings import SprintSettings
from sprintboard.tui.screens.team import TeamScreen
from sprintboard.tui.widgets.hands import HandsPanel
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, fixture_board, settle, steady_app

SIZE = (100, 30)
WIDE = (200, 30)  # room for every key in the key bar


def notes(app: Any) -> list[str]:
    return [str(note.message) for note in app._notifications]


def bar(app: Any) -> str:
    return str(app.screen.query_one(KeyBar).render())


def load(path: Path) -> Any:
    return storage.load(path).board


# --- sprint settings -------------------------------------------------------------------


async def test_settings_typed_right_after_s_are_saved_in_one_step_and_undone(
    board_file: Path,
) -> None:
    before = load(board_file)
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", *" II", "ctrl+s")  # a burst: lands in the title
        await settle(pilot)
        assert load(board_file).title == "Families, art and culture II"
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SprintSettings)
        screen.query_one("#wip-idea", Input).focus()
        await pilot.press(*"5", "tab", "ctrl+u", "ctrl+s")  # idea 5, prototype: no limit
        await settle(pilot)
        after = load(board_file)
        assert after.wip == {Stage.IDEA: 5, Stage.TEST: 3}
        await pilot.press("u")
        await settle(pilot)
        assert load(board_file).wip == before.wip
        await pilot.press("u")
        await settle(pilot)
        assert load(board_file) == before


async def _settings_refuse(pilot: Any, field: str, text: str, sentence: str) -> None:
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, SprintSettings)
    screen.query_one(f"#{field}", Input).focus()
    await pilot.press("ctrl+u", *text, "ctrl+s")
    await settle(pilot)
    assert app.screen is screen, "a bad value must keep the screen open"
    error = str(screen.query_one("#error").render())
    assert error == sentence
    assert screen.query_one(f"#{field}", Input).value == text  # nothing typed lost


async def test_bad_settings_are_refused_with_one_sentence_and_kept(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        refusals = [
            ("start", "soon", "The start date 'soon' is not a date like 2026-12-01."),
            ("start", "2026-11-23", ""),  # as it was
            ("end", "2026-13-01", "The end date '2026-13-01' is not a date like 2026-12-01."),
            (
                "end",
                "2026-11-01",
                "The sprint cannot end (2026-11-01) before it starts (2026-11-23).",
            ),
            ("end", "2026-12-04", ""),  # put right again, for the next
            (
                "wip-test",
                "0",
                "The WIP limit of test must be a whole number of at least 1, "
                "not '0' (empty: no limit).",
            ),
            (
                "wip-test",
                "two",
                "The WIP limit of test must be a whole number of at least 1, "
                "not 'two' (empty: no limit).",
            ),
            ("wip-test", "3", ""),
            (
                "facilitators",
                "nanna, ghost",
                "'ghost' is not a member of this board, so cannot "
                "facilitate (members: ahmed, birthe, nanna, omar).",
            ),
        ]
        for field, text, sentence in refusals:
            if sentence:
                await _settings_refuse(pilot, field, text, sentence)
            else:
                app.screen.query_one(f"#{field}", Input).focus()
                await pilot.press("ctrl+u", *text)
        assert board_file.read_bytes() == before
        # escape with changes asks; escape again keeps editing, with the text kept
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SprintSettings)
        assert app.screen.query_one("#facilitators", Input).value == "nanna, ghost"
        await pilot.press("escape", "d")
        await settle(pilot)
        assert not isinstance(app.screen, (SprintSettings, DiscardChanges))
        assert board_file.read_bytes() == before


async def test_facilitators_by_name_and_an_unchanged_escape(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "escape")  # nothing changed: closes at once
        await settle(pilot)
        assert not isinstance(app.screen, SprintSettings)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#facilitators", Input).focus()
        await pilot.press(*", Omar S.", "ctrl+s")
        await settle(pilot)
        assert load(board_file).sprint.facilitators == ["nanna", "omar"]


# --- who may -----------------------------------------------------------------------------


async def test_someone_who_is_no_facilitator_is_refused_and_not_shown_the_keys(
    board_file: Path,
) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file, actor="omar")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "Team" in bar(app) and "Settings" not in bar(app)
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, SprintSettings)
        refusal = "Only a facilitator (nanna) can change the sprint settings"
        assert notes(app) == [refusal]
        app.clear_notifications()
        # from the palette: listed, and refused with the same sentence
        await pilot.press("ctrl+p", *"Sprint settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert notes(app) == [refusal]
        assert not isinstance(app.screen, SprintSettings)
        app.clear_notifications()
        # the team: anyone may look, not change
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        shown = bar(app)
        assert "Close" in shown and "Add" not in shown and "Remove" not in shown
        await pilot.press("a", "d")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert notes(app) == ["Only a facilitator (nanna) can change the team"] * 2
    assert board_file.read_bytes() == before


async def test_a_facilitator_sees_the_keys(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "s Settings" in bar(app) and "M Team" in bar(app)
        await pilot.press("M")
        await settle(pilot)
        assert "a Add" in bar(app) and "Remove" in bar(app)


# --- the team ------------------------------------------------------------------------------


async def _choose_side(pilot: Any, side: Side) -> None:
    select = pilot.app.screen.query_one("#side", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    # the overlay lists the prompt, internal, external, and starts on the current value
    where = 0 if select.value is Select.NULL else list(Side).index(select.value) + 1
    steps = list(Side).index(side) + 1 - where
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()


async def test_adding_editing_and_removing_a_member_nobody_names(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M", "a", *"Jonas Berg")
        await settle(pilot)
        assert isinstance(app.screen, MemberForm)
        await pilot.press("enter")  # no side yet: says so
        await settle(pilot)
        assert str(app.screen.query_one("#error").render()) == (
            "Choose whether Jonas Berg is internal or external."
        )
        await _choose_side(pilot, Side.EXTERNAL)
        app.screen.query_one("#role", Input).focus()
        await pilot.press(*"cit", "right", "ctrl+s")  # the suggestion taken with →
        await settle(pilot)
        jonas = load(board_file).members["jonas"]
        assert (jonas.name, jonas.side, jonas.role) == ("Jonas Berg", Side.EXTERNAL, "citizen")
        team = app.screen
        assert isinstance(team, TeamScreen) and team.selected() == "jonas"
        await pilot.press("enter")  # on the row: edits it, as e does
        await settle(pilot)
        app.screen.query_one("#role", Input).focus()
        await pilot.press("ctrl+u", *"expert", "enter")
        await settle(pilot)
        assert load(board_file).members["jonas"].role == "expert"
        await pilot.press("d")  # named nowhere: removed without a question
        await settle(pilot)
        assert "jonas" not in load(board_file).members
        assert "Removed Jonas Berg from the team · u undoes" in notes(app)
        await pilot.press("u")
        await settle(pilot)
        assert load(board_file).members["jonas"].role == "expert"


async def test_removing_a_member_who_co_created_and_voted_asks_and_undo_restores_all(
    board_file: Path,
) -> None:
    before = load(board_file)
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M", "down", "down", "down")  # ahmed, birthe, nanna, omar
        await settle(pilot)
        team = app.screen
        assert isinstance(team, TeamScreen) and team.selected() == "omar"
        await pilot.press("d")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, RemoveMemberQuestion)
        assert question.text == (
            "Omar S. co-created 3 cards and would be removed from them. "
            "Omar S. gave 5 dots, which would be taken back. Remove Omar S. from the team?"
        )
        await pilot.press("n")  # kept
        await settle(pilot)
        assert "omar" in load(board_file).members
        await pilot.press("d", "y")
        await settle(pilot)
        after = load(board_file)
        assert "omar" not in after.members
        assert all("omar" not in c.by and "omar" not in c.votes for c in after.cards.values())
        await pilot.press("u")
        await settle(pilot)
        assert load(board_file) == before


def test_the_removal_question_counts_cards_and_dots_each_in_its_own_form() -> None:
    once = question("Omar", Involvement(cards=1, dots=1, facilitator=False))
    assert once == (
        "Omar co-created 1 card and would be removed from it. "
        "Omar gave 1 dot, which would be taken back. Remove Omar from the team?"
    )
    assert question("Omar", Involvement(cards=0, dots=2, facilitator=False)) == (
        "Omar gave 2 dots, which would be taken back. Remove Omar from the team?"
    )
    assert question("Omar", Involvement(cards=0, dots=0, facilitator=False)) == (
        "Remove Omar from the team?"
    )
    with within("da"):  # Danish tells one dot from several where English does too
        one = question("Omar", Involvement(cards=0, dots=1, facilitator=False))
        two = question("Omar", Involvement(cards=0, dots=2, facilitator=False))
    assert "1 prik," in one and "2 prikker," in two


def test_the_guests_line_speaks_of_one_guest_or_several() -> None:
    omar = ops.SetMember("omar2", "Omar Haddad", "external", "guest")
    lina = ops.SetMember("lina", "Lina K.", "internal", "guest")
    assert guests_line([]) == ""
    assert guests_line([omar]) == "with guest Omar Haddad (external)"
    assert guests_line([omar, lina]) == "with guests Omar Haddad (external), Lina K. (internal)"


async def test_removing_a_facilitator_says_they_leave_the_facilitators(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M", "down", "down", "d")
        await settle(pilot)
        assert isinstance(app.screen, RemoveMemberQuestion)
        assert app.screen.text.endswith("Nanna Holm leaves the facilitators too.")
        await pilot.press("y")
        await settle(pilot)
        assert load(board_file).sprint.facilitators == []


# --- guests ---------------------------------------------------------------------------------


async def test_a_guest_joins_from_the_new_card_prompt_in_one_step(board_file: Path) -> None:
    before = load(board_file)
    app = steady_app(board_file, actor="omar")  # no facilitator: anyone may add a guest
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "^g Guest" in bar(app)
        await pilot.press("ctrl+g", *"Omar Haddad", "enter", *"Tea with the neighbours", "enter")
        await settle(pilot)
        board = load(board_file)
        guest = board.members["omar2"]  # omar is taken: the key is made unique
        assert (guest.name, guest.side, guest.role) == ("Omar Haddad", Side.EXTERNAL, "guest")
        (card,) = [c for c in board.cards.values() if c.title == "Tea with the neighbours"]
        assert card.by == ["omar", "omar2"]
        await pilot.press("u")  # one undo: the card and the guest
        await settle(pilot)
        assert load(board_file) == before


async def test_a_guest_joins_from_the_card_editor(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+g", *"Sofie Lund")
        await settle(pilot)
        await _choose_side(pilot, Side.INTERNAL)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CardEditor)
        await pilot.press("ctrl+s")
        await settle(pilot)
        board = load(board_file)
        assert board.members["sofie"].side is Side.INTERNAL
        assert board.cards["aaaa0001"].by == ["birthe", "nanna", "sofie"]  # in team order


# --- the co-creation figure -------------------------------------------------------------------


async def test_the_header_and_panel_follow_another_process_changing_a_cards_co_creators(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#hands")
        assert str(header.render()) == "external hands: 5 of 8 cards"
        await pilot.press("X")
        await settle(pilot)
        panel = app.screen.query_one(HandsPanel)
        assert str(panel.render()) == (
            "per stage: idea 1 of 3 · prototype 2 of 3 · test 1 of 1 · learned 1 of 1"
        )
        edit = [sys.executable, "-m", "sprintboard", "edit", str(board_file), "aaaa0002"]
        done = subprocess.run(
            [*edit, "--set", "by=omar", "--as", "nanna"], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        board_screen(app).live.check_file()
        await settle(pilot)
        assert str(header.render()) == "external hands: 6 of 8 cards"
        assert "idea 2 of 3" in str(panel.render())
        await pilot.press("X")
        await pilot.pause()
        assert not panel.display
    assert fixture_board().title  # the fixture itself is untouched


# --- bursts -----------------------------------------------------------------------------------


async def test_bursts_that_open_settings_team_and_guest_forms_act_in_order(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_key_bursts import NAMED, burst

    monkeypatch.setitem(NAMED, "ctrl+g", ("ctrl+g", None))  # a control key: no character
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "s", *" II", "ctrl+s")  # all queued before the screen is there
        await settle(pilot)
        assert load(board_file).title == "Families, art and culture II"
        burst(app, "n", "ctrl+g", *"Ida", "enter", *"Quick one", "enter")
        await settle(pilot)
        board = load(board_file)
        assert board.members["ida"].side is Side.EXTERNAL
        (card,) = [c for c in board.cards.values() if c.title == "Quick one"]
        assert card.by == ["nanna", "ida"]
        burst(app, "M", "escape", "s", "escape", "X")  # in and out: nothing breaks
        await settle(pilot)
        assert app.screen is board_screen(app)
        assert app.screen.query_one(HandsPanel).display


async def test_the_team_screen_follows_a_member_added_by_another_process(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        team = app.screen
        assert isinstance(team, TeamScreen)
        member = [sys.executable, "-m", "sprintboard", "member", str(board_file), "zoe"]
        done = subprocess.run(
            [*member, "--name", "Zoë", "--side", "external", "--as", "nanna"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        board_screen(app).live.check_file()
        table = team.query_one("#members", DataTable)
        for _ in range(50):  # the screen looks twice a second: wait, with a deadline
            await pilot.pause(0.1)
            if "zoe" in [key.value for key in table.rows]:
                break
        assert [key.value for key in table.rows] == ["ahmed", "birthe", "nanna", "omar", "zoe"]
