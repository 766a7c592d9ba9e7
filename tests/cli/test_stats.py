"""`sprintboard stats BOARD [--json]`: the real executable on hand-written and example boards.

The expected figures are worked out here by hand from the history each test writes,
or counted straight from the example board's TOML; "now" is fixed through
`SPRINTBOARD_NOW` and days are counted in the zone `TZ` names.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from .helpers import Job, assert_user_error, make_env, ok, run, run_many

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T12:00:00Z"
H = 3600

FLOW = """schema = 1
title = "Flow by hand"

[members.anna]
name = "Anna"
side = "external"

[members.nanna]
name = "Nanna"
side = "internal"

[cards.k1]
title = "Tea at the kiosk"
stage = "learned"
rank = "m"
created = 2026-11-23T09:00:00Z
updated = 2026-11-25T16:00:00Z
by = ["anna"]
decision = "pivot"
history = [
  { at = 2026-11-23T09:00:00Z, by = "nanna", stage = "idea" },
  { at = 2026-11-23T11:00:00Z, by = "nanna", stage = "prototype" },
  { at = 2026-11-24T09:00:00Z, by = "nanna", stage = "test" },
  { at = 2026-11-24T15:00:00Z, by = "nanna", stage = "prototype" },
  { at = 2026-11-25T10:00:00Z, by = "nanna", stage = "test" },
  { at = 2026-11-25T16:00:00Z, by = "nanna", stage = "learned" },
]

[cards.k2]
title = "Night walk"
stage = "prototype"
rank = "m"
created = 2026-11-23T15:00:00Z
updated = 2026-11-25T08:00:00Z
by = ["nanna"]
history = [
  { at = 2026-11-23T15:00:00Z, by = "nanna", stage = "idea" },
  { at = 2026-11-25T08:00:00Z, by = "nanna", stage = "prototype" },
]

[cards.k3]
title = "Football with the police"
stage = "idea"
rank = "m"
created = 2026-11-24T12:00:00Z
updated = 2026-11-24T12:00:00Z
history = [{ at = 2026-11-24T12:00:00Z, by = "nanna", stage = "idea" }]

[cards.k4]
title = "Archived test"
stage = "test"
rank = "m"
archived = true
created = 2026-11-23T09:00:00Z
updated = 2026-11-23T09:00:00Z
by = ["anna"]
decision = "stop"
"""


def write(root: Path, text: str, name: str = "flow") -> None:
    (root / "boards").mkdir(exist_ok=True)
    (root / "boards" / f"{name}.toml").write_text(text, encoding="utf-8")


def env(root: Path, now: str | None = NOW, tz: str = "UTC") -> dict[str, str]:
    return make_env(root, SPRINTBOARD_NOW=now, TZ=tz)


def stats(root: Path, board: str = "flow", **kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(root, "stats", board, "--json", env=env(root, **kwargs)))
    return data


def test_the_json_figures_worked_out_by_hand(tmp_path: Path) -> None:
    write(tmp_path, FLOW)
    data = stats(tmp_path)
    # k4 is archived: left out, counted in `archived`
    assert data["now"] == NOW and data["cards"] == 3 and data["archived"] == 1
    assert data["per_stage"] == {"idea": 1, "prototype": 1, "test": 0, "learned": 1}
    # external hands: k1 (anna) only; per stage idea k3 0/1, prototype k2 0/1, learned k1 1/1
    assert data["external_hands"] == {
        "cards": 1,
        "of": 3,
        "share": 1 / 3,
        "per_stage": {
            "idea": {"cards": 0, "of": 1, "share": 0.0},
            "prototype": {"cards": 0, "of": 1, "share": 0.0},
            "test": {"cards": 0, "of": 0, "share": None},
            "learned": {"cards": 1, "of": 1, "share": 1.0},
        },
    }
    # k1: idea 2 h (09-11), prototype 22 h + 19 h (23rd 11:00 -> 24th 09:00, 24th 15:00
    # -> 25th 10:00), test 6 h + 6 h, learned 25th 16:00 -> now 26th 12:00 = 20 h;
    # idea to learned = 2 + 41 + 12 = 55 h
    lead = (2 + 41 + 12) * H
    assert data["idea_to_learned"] == {
        "median_seconds": lead,
        "per_card": [
            {
                "id": "k1",
                "title": "Tea at the kiosk",
                "seconds": lead,
                "learned_at": "2026-11-25T16:00:00Z",
            }
        ],
    }
    # idea: k1 2 h, k2 23rd 15:00 -> 25th 08:00 = 41 h, k3 24th 12:00 -> now = 48 h: median 41 h
    # prototype: k1 41 h, k2 25th 08:00 -> now = 28 h: median (41 + 28) / 2 = 34.5 h
    assert data["time_in_stage"] == {
        "idea": {"median_seconds": 41 * H, "cards": 3},
        "prototype": {"median_seconds": 34 * H + H // 2, "cards": 2},
        "test": {"median_seconds": 12 * H, "cards": 1},
        "learned": {"median_seconds": 20 * H, "cards": 1},
    }
    assert data["reached_test"] == {"cards": 1, "of": 3, "share": 1 / 3}
    assert data["decisions"] == {
        "persevere": 0,
        "pivot": 1,
        "scale": 0,
        "stop": 0,  # k4's stop is archived
        "undecided": 0,
    }
    # k1 arrived in learned on Wednesday the 25th: week 48 (from Monday the 23rd)
    assert data["learnings_per_week"] == [
        {"week": "2026-W48", "monday": "2026-11-23", "learnings": 1}
    ]
    #   end of day   k1         k2         k3     -> idea prototype test learned
    #   23rd         prototype  idea       -         1    1         0    0
    #   24th         prototype  idea       idea      2    1         0    0
    #   25th         learned    prototype  idea      1    1         0    1
    #   26th (now)   learned    prototype  idea      1    1         0    1
    assert data["cumulative"] == [
        {"day": "2026-11-23", "idea": 1, "prototype": 1, "test": 0, "learned": 0},
        {"day": "2026-11-24", "idea": 2, "prototype": 1, "test": 0, "learned": 0},
        {"day": "2026-11-25", "idea": 1, "prototype": 1, "test": 0, "learned": 1},
        {"day": "2026-11-26", "idea": 1, "prototype": 1, "test": 0, "learned": 1},
    ]


def test_the_text_says_the_same_figures_aligned(tmp_path: Path) -> None:
    write(tmp_path, FLOW)
    out = ok(tmp_path, "stats", "flow", env=env(tmp_path))
    lines = out.splitlines()
    assert lines[0] == "Flow by hand"
    rows = lines[1:]
    # every figure on its own line, the values in one column
    starts = {len(row) - len(row.split("  ")[-1].lstrip()) for row in rows}
    assert len(starts) == 1, rows
    said = {row.split("  ")[1].strip(): row.rsplit("  ", 1)[1].strip() for row in rows}
    # the same figures as the JSON test, in words (34.5 h = 1 d 10 h 30 min: days and hours)
    assert said == {
        "Cards": "3 (1 archived, left out)",
        "Cards per stage": "idea 1 · prototype 1 · test 0 · learned 1",
        "Cards with external hands": "1 of 3, 33 %",
        "Median time from idea to learned": "2 d 7 h",
        "Median time in idea": "1 d 17 h",
        "Median time in prototype": "1 d 10 h",
        "Median time in test": "12 h 0 min",
        "Median time in learned": "20 h 0 min",
        "Ideas that reached test": "1 of 3, 33 %",
        "Decisions": "persevere 0 · pivot 1 · scale 0 · stop 0 · undecided 0",
        "Learnings per week": "2026-W48 1",
        "Cards with external hands in idea": "0 of 1, 0 %",
        "Cards with external hands in prototype": "0 of 1, 0 %",
        "Cards with external hands in test": "none yet",
        "Cards with external hands in learned": "1 of 1, 100 %",
    }
    assert list(said)[:3] == ["Cards", "Cards per stage", "Cards with external hands"]


def test_days_count_in_the_machines_zone(tmp_path: Path) -> None:
    # idea the 23rd 12:00 UTC, prototype the 23rd 23:30 UTC (the 24th 00:30 at UTC+01:00)
    write(
        tmp_path,
        'schema = 1\ntitle = "Zones"\n\n[cards.z1]\ntitle = "Late move"\nstage = "prototype"\n'
        'rank = "m"\ncreated = 2026-11-23T12:00:00Z\nupdated = 2026-11-23T23:30:00Z\n'
        'history = [\n  { at = 2026-11-23T12:00:00Z, by = "a", stage = "idea" },\n'
        '  { at = 2026-11-23T23:30:00Z, by = "a", stage = "prototype" },\n]\n',
        name="zones",
    )
    now = "2026-11-24T12:00:00Z"
    # Etc/GMT-1 is UTC+01:00 (POSIX signs are the other way round); SPRINTBOARD_NOW
    # may carry any offset: 13:00+01:00 is 12:00 UTC
    jobs = [
        Job(tmp_path, ("stats", "zones", "--json"), env(tmp_path, now=now, tz="UTC")),
        Job(tmp_path, ("stats", "zones", "--json"), env(tmp_path, now=now, tz="Etc/GMT-1")),
        Job(
            tmp_path,
            ("stats", "zones", "--json"),
            env(tmp_path, now="2026-11-24T13:00:00+01:00", tz="Etc/GMT-1"),
        ),
    ]
    utc, plus_one, offset_now = (json.loads(r.stdout) for r in run_many(jobs))
    day = [(d["day"], d["idea"], d["prototype"]) for d in utc["cumulative"]]
    assert day == [("2026-11-23", 0, 1), ("2026-11-24", 0, 1)]  # moved before midnight
    day = [(d["day"], d["idea"], d["prototype"]) for d in plus_one["cumulative"]]
    assert day == [("2026-11-23", 1, 0), ("2026-11-24", 0, 1)]  # the 23rd ended at 23:00 UTC
    assert offset_now["now"] == now and offset_now["cumulative"] == plus_one["cumulative"]


def test_now_is_this_moment_without_the_variable(tmp_path: Path) -> None:
    write(tmp_path, FLOW)
    before = datetime.now(UTC).replace(microsecond=0)
    data = stats(tmp_path, now=None)
    after = datetime.now(UTC) + timedelta(seconds=1)
    assert before <= datetime.fromisoformat(data["now"]) <= after


@pytest.mark.parametrize("board", ["family-culture", "safer-housing"])
def test_the_example_boards(tmp_path: Path, board: str) -> None:
    shutil.copytree(ROOT / "boards", tmp_path / "boards")
    raw = tomllib.loads((tmp_path / "boards" / f"{board}.toml").read_text("utf-8"))
    data = stats(tmp_path, board, now="2026-12-01T12:00:00Z")
    # counted straight from the file, card by card
    cards = {cid: c for cid, c in raw["cards"].items() if not c.get("archived")}
    outside = {k for k, m in raw["members"].items() if m["side"] == "external"}
    assert data["cards"] == len(cards)
    assert data["archived"] == len(raw["cards"]) - len(cards) >= 1
    for stage, count in data["per_stage"].items():
        assert count == sum(1 for c in cards.values() if c["stage"] == stage)
    external = [c for c in cards.values() if outside & set(c.get("by", []))]
    assert data["external_hands"]["cards"] == len(external)
    for decision in ("persevere", "pivot", "scale", "stop"):
        assert data["decisions"][decision] == sum(
            1 for c in cards.values() if c.get("decision") == decision
        )
    learned = [c for c in cards.values() if c["stage"] == "learned"]
    assert data["decisions"]["undecided"] == sum(1 for c in learned if "decision" not in c)
    # each learned card's lead time: its last arrival in learned minus its first entry
    for entry in data["idea_to_learned"]["per_card"]:
        history = sorted(cards[entry["id"]]["history"], key=lambda h: h["at"])
        arrived = history[-1]["at"]
        assert history[-1]["stage"] == "learned"
        assert entry["seconds"] == (arrived - history[0]["at"]).total_seconds()
        assert entry["learned_at"] == arrived.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(data["idea_to_learned"]["per_card"]) == len(learned)
    assert sum(w["learnings"] for w in data["learnings_per_week"]) == len(learned)
    last = data["cumulative"][-1]
    assert last["day"] == "2026-12-01"
    assert {s: last[s] for s in data["per_stage"]} == data["per_stage"]
    # the text shows the same counts
    said = ok(tmp_path, "stats", board, env=env(tmp_path, now="2026-12-01T12:00:00Z"))
    assert f"{len(cards)} ({data['archived']} archived, left out)" in said.splitlines()[1]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('schema = 1\ntitle = "Empty"\n', id="no cards, no members, no dates"),
        pytest.param(
            'schema = 1\ntitle = "No history"\n\n[cards.c1]\ntitle = "Old"\nstage = "learned"\n'
            'rank = "m"\ncreated = 2026-11-20T10:00:00Z\nupdated = 2026-11-20T10:00:00Z\n',
            id="no history",
        ),
    ],
)
def test_boards_with_nothing_to_measure(tmp_path: Path, text: str) -> None:
    write(tmp_path, text)
    data = stats(tmp_path)
    assert data["idea_to_learned"] == {"median_seconds": None, "per_card": []}
    assert data["external_hands"]["cards"] == 0  # no members: nobody from outside
    said = ok(tmp_path, "stats", "flow", env=env(tmp_path))
    values = {row.split("  ")[1].strip(): row.rsplit("  ", 1)[1] for row in said.splitlines()[1:]}
    assert values["Median time from idea to learned"] == "none yet"
    if data["cards"] == 0:
        assert data["cumulative"] == [] and data["learnings_per_week"] == []
        assert data["reached_test"] == {"cards": 0, "of": 0, "share": None}
        assert all(v["median_seconds"] is None for v in data["time_in_stage"].values())
        # every figure but the counts and the decisions: external hands (1 + 4 stages),
        # idea to learned, 4 stages' medians, reached test, learnings per week
        assert said.count("none yet") == 12
    else:
        # no history: in learned since it was created (the 20th 10:00), 6 d 2 h to now
        assert data["time_in_stage"]["learned"] == {"median_seconds": (6 * 24 + 2) * H, "cards": 1}
        assert data["learnings_per_week"][0] == {
            "week": "2026-W47",
            "monday": "2026-11-16",
            "learnings": 1,
        }


def test_user_text_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    write(
        tmp_path,
        'schema = 1\ntitle = "Red \\u202e alert \\u0085"\n\n[cards.c1]\n'
        'title = "Line \\u2028 and \\u202e"\nstage = "learned"\nrank = "m"\n'
        "created = 2026-11-20T10:00:00Z\nupdated = 2026-11-21T10:00:00Z\n"
        'history = [\n  { at = 2026-11-20T10:00:00Z, by = "a", stage = "idea" },\n'
        '  { at = 2026-11-21T10:00:00Z, by = "a", stage = "learned" },\n]\n',
    )
    for args in (("stats", "flow"), ("stats", "flow", "--json")):
        out = ok(tmp_path, *args, env=env(tmp_path))
        assert not any(ch in out for ch in "\x85\u2028\u202e"), out
    data = stats(tmp_path)
    assert data["idea_to_learned"]["per_card"][0]["title"] == "Line \u2028 and \u202e"


def test_bad_boards_and_bad_now_are_one_line_exit_1(tmp_path: Path) -> None:
    write(tmp_path, 'schema = 1\ntitle = "x"\n\n[cards.c1]\ntitle = 3\n', name="bad")
    write(tmp_path, FLOW)
    jobs = [
        Job(tmp_path, ("stats", "bad"), env(tmp_path)),
        Job(tmp_path, ("stats", "bad", "--json"), env(tmp_path)),
        Job(tmp_path, ("stats", "missing"), env(tmp_path)),
        Job(tmp_path, ("stats", "flow"), env(tmp_path, now="yesterday")),
        Job(tmp_path, ("stats", "flow"), env(tmp_path, now="0001-01-01T00:00:00+01:00")),
        Job(tmp_path, ("stats", "flow", "--json"), env(tmp_path, now="9999-12-31T23:59:59Z")),
    ]
    bad, bad_json, missing, words, early, late = run_many(jobs)
    assert_user_error(bad, r"boards/bad\.toml:5:1: card c1: title must be a string")
    assert_user_error(bad_json, r"boards/bad\.toml:5:1: ")
    assert bad.stdout == bad_json.stdout == ""
    assert_user_error(missing, r"boards/missing\.toml: ")
    assert_user_error(words, r"sprintboard: SPRINTBOARD_NOW='yesterday' is not a time ")
    assert_user_error(early, r"sprintboard: SPRINTBOARD_NOW='0001-01-01T00:00:00\+01:00' ")
    # the last second there is: every card's clock runs to it, the series stays bounded
    assert late.returncode == 0, late.stderr
    data = json.loads(late.stdout)
    assert len(data["cumulative"]) == 1000 and data["cumulative"][-1]["day"] == "9999-12-31"
    assert run(tmp_path, "stats").returncode == 2  # usage: no board given


def test_hostile_files_and_dates(tmp_path: Path) -> None:
    boards = tmp_path / "boards"
    boards.mkdir()
    (boards / "folder.toml").mkdir()
    os.mkfifo(boards / "fifo.toml")
    (boards / "zero.toml").symlink_to("/dev/zero")
    (boards / "conflict.toml").write_text('schema = 1\ntitle = "x"\n<<<<<<< ours\n', "utf-8")
    # history from year 1 to year 9999, out of order, in a zone at UTC+14 (whose day
    # for 9999-12-31T23:59:59Z would be past the calendar's end)
    write(
        tmp_path,
        'schema = 1\ntitle = "Old"\n\n[cards.c1]\ntitle = "Ancient"\nstage = "test"\n'
        'rank = "m"\ncreated = 0001-01-01T00:00:00Z\nupdated = 9999-12-31T23:59:59Z\n'
        'history = [{ at = 9999-12-31T23:59:59Z, by = "a", stage = "test" },'
        ' { at = 0001-01-01T00:00:00Z, by = "a", stage = "idea" }]\n',
        name="old",
    )
    far = env(tmp_path, tz="Pacific/Kiritimati")
    jobs = [Job(tmp_path, ("stats", name), far) for name in ("folder", "fifo", "zero")]
    jobs += [
        Job(tmp_path, ("stats", "conflict"), far),
        Job(tmp_path, ("stats", "old", "--json"), far),
    ]
    folder, fifo, zero, conflict, old = run_many(jobs)
    assert_user_error(folder, r"boards/folder\.toml: is a directory")
    assert_user_error(fifo, r"boards/fifo\.toml: is a named pipe")
    assert_user_error(zero, r"boards/zero\.toml: is a symbolic link")
    assert_user_error(conflict, r"boards/conflict\.toml:3:1: ")
    assert old.returncode == 0, old.stderr
    data = json.loads(old.stdout)
    # an idea from year 1 to its test entry (clamped to now, 26 Nov 2026 12:00 UTC, which
    # is the 27th 02:00 at UTC+14): the series is the last 1,000 days, to that day
    assert len(data["cumulative"]) == 1000 and data["cumulative"][-1]["day"] == "2026-11-27"
    year_one = datetime(1, 1, 1, tzinfo=UTC)
    idea = datetime.fromisoformat(NOW) - year_one
    assert data["time_in_stage"]["idea"]["median_seconds"] == int(idea.total_seconds())
    assert data["time_in_stage"]["test"]["median_seconds"] == 0
