"""Shared by the bench scripts: generated boards, the machine line, medians.

Generated boards are deterministic for a given seed and size.

Not a test fixture. Two shapes (`SHAPES`):

- "sprint": a board shaped like one a real sprint grows into. Members from both
  sides, cards spread over the four stages with fractional ranks, tags and
  co-creators on most cards, experiment text on cards past the idea stage, learning
  text and a decision on learned cards, dot votes, a history entry per stage
  entered, a few archived cards, some non-ASCII text and the odd quote or backslash.
- "plain": the shape start-up was first measured on, against other boards' tools:
  every card a title, a body and one history entry, spread over the four stages.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sprintboard import rank
from sprintboard.model import ID_ALPHABET, Board, Stage

_VOCABULARY = (
    "family library workshop saturday art culture music children parents volunteer "
    "museum theatre dance story reading community school neighbourhood invitation "
    "ticket free bus transport weekend evening afternoon meal together trust "
    "social worker partner municipality citizen newcomer language translation "
    "poster flyer sms newsletter app calendar reminder friend mentor guide "
    "café kulturhus børn forældre fællesskab biblioteket"
)
WORDS = tuple(_VOCABULARY.split())

FIRST = ("Anna", "Nanna", "Jonas", "Sofie", "Mads", "Ida", "Ahmed", "Fatima", "Lars", "Mette")
ROLES = ("facilitator", "frontline", "citizen", "partner", "expert", "customer", None)
TAGS = (
    "culture",
    "outreach",
    "transport",
    "language",
    "kids",
    "low-cost",
    "digital",
    "partner",
    "quick-win",
)


def _sentence(rnd: random.Random, low: int = 4, high: int = 14) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(low, high))]
    text = " ".join(words)
    roll = rnd.random()
    if roll < 0.04:
        text += ' ("quoted")'
    elif roll < 0.05:
        text += " C:\\temp"
    return text[0].upper() + text[1:] + "."


def _paragraph(rnd: random.Random, lines: int) -> str:
    return "\n".join(_sentence(rnd) for _ in range(lines))


def _ids(rnd: random.Random, count: int) -> list[str]:
    taken: set[str] = set()
    while len(taken) < count:
        taken.add("".join(rnd.choice(ID_ALPHABET) for _ in range(8)))
    ids = sorted(taken)  # not set order: that changes with the hash seed
    rnd.shuffle(ids)
    return ids


SHAPES = ("sprint", "plain")


def board_data(cards: int, seed: int = 1, shape: str = "sprint") -> dict[str, Any]:
    """A board of `cards` cards as the TOML document data (plain dicts, as tomli gives)."""
    if shape not in SHAPES:
        raise ValueError(f"no board shape {shape!r}: one of {', '.join(SHAPES)}")
    rnd = random.Random(seed * 1_000_003 + cards)
    member_count = max(4, min(40, cards // 25))
    members: dict[str, Any] = {}
    for i in range(member_count):
        key = f"{FIRST[i % len(FIRST)].lower()}{i // len(FIRST) or ''}"
        member: dict[str, Any] = {
            "name": f"{FIRST[i % len(FIRST)]} {chr(65 + i % 26)}.",
            "side": "internal" if i % 3 else "external",
        }
        role = ROLES[i % len(ROLES)]
        if role:
            member["role"] = role
        members[key] = member
    keys = list(members)
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

    stages = list(Stage)
    weights = (45, 25, 15, 15)
    assigned = rnd.choices(stages, weights=weights, k=cards)
    per_stage = {s: assigned.count(s) for s in stages}
    ranks = {s: iter(rank.spread(per_stage[s])) for s in stages if per_stage[s]}

    data_cards: dict[str, Any] = {}
    for cid, stage in zip(_ids(rnd, cards), assigned, strict=True):
        created = start + timedelta(minutes=rnd.randint(0, 60 * 24 * 10))
        if shape == "plain":
            data_cards[cid] = {
                "title": _sentence(rnd, 3, 8)[:-1],
                "stage": stage.value,
                "rank": next(ranks[stage]),
                "created": created,
                "updated": created,
                "body": _sentence(rnd, 8, 20),
                "history": [{"at": created, "by": rnd.choice(keys), "stage": stage.value}],
            }
            continue
        depth = stages.index(stage)
        history: list[dict[str, Any]] = []
        moment = created
        for s in stages[: depth + 1]:
            history.append({"at": moment, "by": rnd.choice(keys), "stage": s.value})
            moment += timedelta(minutes=rnd.randint(5, 60 * 24))
        card: dict[str, Any] = {
            "title": _sentence(rnd, 3, 8)[:-1],
            "stage": stage.value,
            "rank": next(ranks[stage]),
            "created": created,
            "updated": history[-1]["at"] + timedelta(minutes=rnd.randint(0, 90)),
        }
        if rnd.random() < 0.05:
            card["archived"] = True
        card["by"] = sorted(rnd.sample(keys, rnd.randint(1, 3)))
        tags = sorted(rnd.sample(TAGS, rnd.randint(0, 3)))
        if tags:
            card["tags"] = tags
        if rnd.random() < 0.6:
            card["body"] = _paragraph(rnd, rnd.randint(1, 3))
        if depth >= 1 or rnd.random() < 0.15:
            card["hypothesis"] = _sentence(rnd, 8, 20)
            card["test"] = _paragraph(rnd, rnd.randint(1, 2))
            card["metric"] = _sentence(rnd, 4, 10)
            card["criterion"] = _sentence(rnd, 4, 10)
        if stage is Stage.LEARNED:
            card["observed"] = _paragraph(rnd, rnd.randint(1, 3))
            card["learned"] = _paragraph(rnd, rnd.randint(1, 2))
            card["next"] = _sentence(rnd)
            card["decision"] = rnd.choice(("persevere", "pivot", "scale", "stop"))
        voters = rnd.sample(keys, rnd.randint(0, min(5, len(keys))))
        if voters:
            card["votes"] = {k: rnd.randint(1, 3) for k in sorted(voters)}
        card["history"] = history
        data_cards[cid] = card

    return {
        "schema": 1,
        "title": f"Families, art and culture ({cards} cards)",
        "challenge": "How might we help vulnerable families through art and culture?",
        "goal": "Three tested experiments the libraries can keep running.\nOne partner signed up.",
        "sprint": {
            "start": date(2026, 11, 2),
            "end": date(2026, 11, 13),
            "facilitators": keys[:2],
        },
        "wip": {"prototype": 5, "test": 3},
        "members": members,
        "cards": data_cards,
    }


def make_board(cards: int, seed: int = 1, shape: str = "sprint") -> Board:
    """The generated board, validated."""
    return Board.model_validate(board_data(cards, seed, shape))


# --- the machine and the timing helpers ------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line naming the machine and the versions the figures depend on."""
    versions = []
    for package in ("tomli", "tomli-w", "pydantic", "pydantic-core"):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} ?")
    try:
        load = "load avg {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = "load avg ?"
    return (
        f"{cpu_model()}, {os.cpu_count()} cores ({load}); "
        f"{platform.python_implementation()} {platform.python_version()} on {platform.system()}; "
        + ", ".join(versions)
    )


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class ServerProcess:
    """A server command of sprintboard's (`serve-ssh`, `serve-web`) in its own process,
    until `stop`: `found` is where it said it listens (`pattern` matched in its output)."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], pattern: str) -> None:
        self.process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.search(pattern, line)
            if found:
                self.found = found
                break
        else:
            raise RuntimeError(f"{args[1]} ended before it said where it listens")

    def apps(self) -> list[int]:
        """The pids of the guests' apps: the server's child processes."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(stat[1]) == self.process.pid:
                        found.append(int(entry.name))
        return found

    def wait_for_apps(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while len(self.apps()) != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server has {len(self.apps())} apps, not {count}")
            time.sleep(0.02)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
