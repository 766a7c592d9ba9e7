"""The live commands: `timer …` and `present`, their bad input, and two starts at once."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from sprintboard import live_state

from .helpers import SPRINTBOARD, Demo, assert_user_error, make_env, ok, run


def _status(root: Path, board: str = "demo") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(root, "timer", "status", board, "--json"))
    return data


def _timer_file(root: Path, board: str = "demo") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        live_state.timer_path(root / "boards" / f"{board}.toml").read_text()
    )
    return data


def test_start_pause_resume_extend_stop(demo: Demo) -> None:
    root = demo.root
    assert _status(root) == {
        "state": "none",
        "label": None,
        "remaining": 0,
        "ends": None,
        "by": None,
    }
    before = time.time()
    assert ok(root, "timer", "start", "demo", "10m", "--label", "Ideation") == ""
    held = _timer_file(root)
    assert held["label"] == "Ideation" and held["state"] == "running" and held["by"] == "tester"
    assert before + 600 <= held["ends"] <= time.time() + 600  # an absolute end time
    status = _status(root)
    assert status["state"] == "running" and status["label"] == "Ideation"
    assert 590 <= status["remaining"] <= 600 and status["ends"].endswith("Z")

    ok(root, "timer", "pause", "demo")
    held = _timer_file(root)
    assert held["state"] == "paused" and held["ends"] is None and 590 <= held["left"] <= 600
    assert _status(root)["state"] == "paused" and _status(root)["ends"] is None

    ok(root, "timer", "resume", "demo")
    ok(root, "timer", "extend", "demo", "2m")
    held = _timer_file(root)
    assert held["state"] == "running" and held["duration"] == 720
    assert 700 <= _status(root)["remaining"] <= 720
    assert "Ideation: 1" in ok(root, "timer", "status", "demo")

    ok(root, "timer", "stop", "demo")
    assert not live_state.timer_path(root / "boards" / "demo.toml").exists()
    assert _status(root)["state"] == "none"


def test_a_done_timer_stays_until_stopped(demo: Demo) -> None:
    root = demo.root
    ok(root, "timer", "start", "demo", "1s", "--label", "Quick")
    path = root / "boards" / "demo.toml"
    timer = live_state.read_timer(path).value
    assert timer is not None and timer.ends is not None
    live_state.write_timer(path, live_state.Timer.start("Quick", 1, "tester", time.time() - 5))
    status = _status(root)
    assert status["state"] == "done" and status["remaining"] == 0
    assert_user_error(run(root, "timer", "extend", "demo", "1m"), ".*no running or paused timer")
    assert_user_error(run(root, "timer", "pause", "demo"), ".*no running or paused timer")
    ok(root, "timer", "stop", "demo")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("timer", "pause", "demo"), ".*no running or paused timer to pause"),
        (("timer", "resume", "demo"), ".*no running or paused timer to resume"),
        (("timer", "extend", "demo", "1m"), ".*no running or paused timer to extend"),
        (("timer", "stop", "demo"), ".*no timer to stop"),
        (("timer", "start", "demo", "0m"), ".*longer than zero"),
        (("timer", "start", "demo", "--", "-5m"), ".*negative"),
        (("timer", "start", "demo", "30h"), ".*longer than 24 hours"),
        (("timer", "start", "demo", "soon"), ".*not a duration"),
        (("timer", "start", "nosuch", "5m"), ".*no such board file"),
        (("timer", "status", "nosuch"), ".*no such board file"),
        (("present", "demo", "zzzzzz"), ".*zzzzzz"),
        (("present", "demo"), ".*give a card ID"),
    ],
)
def test_bad_input_is_one_sentence(demo: Demo, args: tuple[str, ...], says: str) -> None:
    assert_user_error(run(demo.root, *args), says)


def test_resume_a_running_timer_and_pause_a_paused_one(demo: Demo) -> None:
    root = demo.root
    ok(root, "timer", "start", "demo", "5m")
    assert_user_error(run(root, "timer", "resume", "demo"), ".*not paused")
    ok(root, "timer", "pause", "demo")
    assert_user_error(run(root, "timer", "pause", "demo"), ".*already paused")


def test_usage_errors_exit_2_and_each_action_has_its_help(demo: Demo) -> None:
    root = demo.root
    assert run(root, "timer", "fly", "demo").returncode == 2
    assert run(root, "timer", "start", "demo").returncode == 2  # no duration
    assert run(root, "timer", "start", "demo", "5m", "--colour", "red").returncode == 2
    helped = run(root, "timer", "start", "--help")
    assert helped.returncode == 0
    assert "usage: sprintboard timer start" in helped.stdout and "--label" in helped.stdout
    assert "--json" in ok(root, "timer", "status", "--help")
    assert "--stop" in ok(root, "present", "--help")


def test_only_a_facilitator_may_run_the_timer_or_present(tmp_path: Path) -> None:
    ok(tmp_path, "new", "led", "--title", "Led", "--facilitator", "nanna")
    ok(tmp_path, "--as", "nanna", "add", "led", "An idea")
    cid = json.loads(ok(tmp_path, "list", "led", "--json"))[0]["id"]
    refused = run(tmp_path, "--as", "omar", "timer", "start", "led", "5m")
    assert_user_error(refused, r".*Only a facilitator \(nanna\) can run the timer")
    refused = run(tmp_path, "timer", "start", "led", "5m", "--as", "omar")
    assert_user_error(refused, r".*Only a facilitator \(nanna\) can run the timer")
    assert_user_error(run(tmp_path, "--as", "omar", "present", "led", cid), ".*present a card")
    assert not live_state.presenting_path(tmp_path / "boards" / "led.toml").parent.exists()
    ok(tmp_path, "--as", "nanna", "timer", "start", "led", "5m")
    assert_user_error(run(tmp_path, "--as", "omar", "timer", "stop", "led"), ".*run the timer")
    assert (
        json.loads(ok(tmp_path, "--as", "omar", "timer", "status", "led", "--json"))["by"]
        == "nanna"
    )


def test_present_and_stop(demo: Demo) -> None:
    root = demo.root
    ok(root, "present", "demo", demo.workshop[:6])
    path = root / "boards" / "demo.toml"
    presenting = live_state.read_presenting(path).value
    assert presenting is not None and presenting.card == demo.workshop
    assert presenting.by == "tester"
    ok(root, "present", "demo", "--stop")
    assert live_state.read_presenting(path).value is None


def test_an_archived_card_is_not_presented(demo: Demo) -> None:
    ok(demo.root, "--as", "anna", "archive", "demo", demo.walk)
    assert_user_error(run(demo.root, "present", "demo", demo.walk), ".*archived")
    assert not live_state.presenting_path(demo.root / "boards" / "demo.toml").exists()


def test_an_ignored_file_is_said_on_stderr_and_is_no_timer(demo: Demo) -> None:
    root = demo.root
    ok(root, "timer", "start", "demo", "5m")
    path = live_state.timer_path(root / "boards" / "demo.toml")
    path.write_text(json.dumps({"version": 99, "state": "warp"}))
    result = run(root, "timer", "status", "demo", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["state"] == "none"
    assert "newer sprintboard (version 99)" in result.stderr and "ignored" in result.stderr
    path.write_text("garbage")
    result = run(root, "timer", "start", "demo", "5m", "--label", "Again")
    assert result.returncode == 0 and "ignored" in result.stderr
    assert _timer_file(root)["label"] == "Again"  # a start replaces the bad file


def test_two_facilitators_starting_at_once_see_the_same_timer(demo: Demo) -> None:
    root = demo.root
    env = make_env(root)
    starts = [
        subprocess.Popen(
            [SPRINTBOARD, "timer", "start", "demo", "10m", "--label", label],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("Ideation", "Prototyping")
    ]
    for process in starts:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and "Traceback" not in err, err
    # one rename came last: the file is whole, and both (any) readers see that one
    held = _timer_file(root)
    assert held["label"] in ("Ideation", "Prototyping")
    for _ in range(2):
        assert _status(root)["label"] == held["label"]
