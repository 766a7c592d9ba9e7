"""Start-up time of the command line, against the interpreter importing the TOML parser.

    python bench/cli_startup.py [--runs 20] [--smoke]

Times whole processes, interleaved run by run (median wall time of each):

  ``python -c pass``                        the interpreter alone (the floor)
  ``python -c "import tomli"``              the bare TOML parser
  ``python -c "from pydantic import BaseModel; import tomli"``
                                            the baseline of issue 11: the libraries
                                            every command that reads a board needs
  ``sprintboard list BOARD``                the installed script, on an example board

and prints them in ms and as ratios to both; the ratio of ``list`` to the baseline
(target: at most 1.5) is printed on a line of its own. With bytecode cached, also
``from pydantic import BaseModel, ...`` (pydantic imported, no model defined),
``import sprintboard.model`` and ``import sprintboard.cli`` as processes of their
own, which splits the start-up into its steps, and ``sprintboard list`` with
``PYDANTIC_DISABLE_PLUGINS=1`` (what pydantic's scan of installed packages for
plugins costs). Then ``python -X importtime``
of ``sprintboard.cli`` (median over a few runs) shows where start-up goes: the ten
costliest modules and the cost per top-level package. It also checks that
``sprintboard.cli`` does not import Textual.

The example board is the first ``boards/*.toml`` of the project when there is one,
else a generated board of 40 cards in a temporary folder. Every timing runs twice:
once in the environment as given, and once with bytecode cached in a temporary
``PYTHONPYCACHEPREFIX`` (as an installed package runs; the difference is what it
costs when ``PYTHONDONTWRITEBYTECODE`` is set and the sources have no ``__pycache__``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchlib import board_data, machine

from sprintboard import storage
from sprintboard.model import Board

PROJECT = Path(__file__).resolve().parent.parent
# `import pydantic` alone is lazy; this imports what the models need, no model defined
PYDANTIC_IMPORT = "from pydantic import BaseModel, Field, TypeAdapter, ValidationError"
PYDANTIC = 'python -c "from pydantic import ..."'
TOMLI = 'python -c "import tomli"'
BASELINE = 'python -c "from pydantic import BaseModel; import tomli"'
BASELINE_CODE = "from pydantic import BaseModel; import tomli"
MODEL = 'python -c "import sprintboard.model"'
CLI = 'python -c "import sprintboard.cli"'
LIST = "sprintboard list BOARD"
PYTHON = sys.executable


def script() -> Path:
    """The installed `sprintboard` script of this interpreter's environment."""
    candidate = Path(PYTHON).parent / "sprintboard"
    if not candidate.exists():
        raise SystemExit(f"no installed sprintboard script next to {PYTHON}")
    return candidate


def example_board(folder: Path) -> tuple[Path, str]:
    boards = sorted((PROJECT / "boards").glob("*.toml"))
    for path in boards:
        try:
            board = storage.load(path).board
        except storage.BoardFileError:
            continue
        return path, f"{path.relative_to(PROJECT)} ({len(board.cards)} cards)"
    path = folder / "example.toml"
    storage.save(path, Board.model_validate(board_data(40)))
    return path, f"generated example, 40 cards (no valid boards/*.toml yet): {path}"


def run_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


Key = tuple[str, str]


def timings(commands: dict[Key, tuple[list[str], dict[str, str]]], runs: int) -> dict[Key, float]:
    """Median wall ms per command; every round runs each once, after two warm-up rounds."""
    samples: dict[Key, list[float]] = {key: [] for key in commands}
    for round_ in range(runs + 2):
        for key, (command, env) in commands.items():
            elapsed = run_once(command, env)
            if round_ >= 2:
                samples[key].append(elapsed)
    return {key: statistics.median(values) * 1000 for key, values in samples.items()}


def import_times(env: dict[str, str], runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median self and cumulative µs per module of `import sprintboard.cli`."""
    selfs: dict[str, list[int]] = defaultdict(list)
    cumulative: dict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-X", "importtime", "-c", "import sprintboard.cli"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = line.removeprefix("import time:").split("|", 2)
            selfs[name.strip()].append(int(own))
            cumulative[name.strip()].append(int(total))
    return (
        {name: statistics.median(values) for name, values in selfs.items()},
        {name: statistics.median(values) for name, values in cumulative.items()},
    )


def report_imports(env: dict[str, str], runs: int) -> None:
    own, total = import_times(env, runs)
    everything = sum(own.values())
    print(f"\nimport sprintboard.cli: {everything / 1000:.1f} ms of imports (median of {runs})")
    print(f"  {'module':<44}{'self ms':>9}{'cumul. ms':>11}")
    for name in sorted(own, key=own.__getitem__, reverse=True)[:10]:
        print(f"  {name:<44}{own[name] / 1000:>9.2f}{total[name] / 1000:>11.2f}")
    packages: dict[str, float] = defaultdict(float)
    for name, value in own.items():
        packages[name.split(".")[0]] += value
    print("  by top-level package (self time summed; sprintboard.model's own time is")
    print("  mostly pydantic building the models' validators as the classes are defined):")
    for name, value in sorted(packages.items(), key=lambda item: -item[1])[:8]:
        print(f"    {name:<42}{value / 1000:>9.2f} ms  {100 * value / everything:4.0f} %")
    textual = [name for name in own if name == "textual" or name.startswith("textual.")]
    print(f"  textual imported by sprintboard.cli: {'YES: ' + textual[0] if textual else 'no'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument("--smoke", action="store_true", help="three runs, one import profile")
    args = parser.parse_args(argv)
    runs, profiles = (3, 1) if args.smoke else (max(1, args.runs), 5)

    print("sprintboard CLI start-up bench")
    print("machine:", machine())
    with tempfile.TemporaryDirectory(prefix="sprintboard-cli-bench-") as tmp:
        folder = Path(tmp)
        board, about = example_board(folder)
        print(f"board: {about}")
        interpreter = [PYTHON, "-c", "pass"]
        tomli = [PYTHON, "-c", "import tomli"]
        baseline = [PYTHON, "-c", BASELINE_CODE]
        listing = [str(script()), "list", str(board)]
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        no_plugins = {**cached, "PYDANTIC_DISABLE_PLUGINS": "1"}
        given = dict(os.environ)
        as_given = "as given"
        if given.get("PYTHONDONTWRITEBYTECODE"):
            as_given += " (PYTHONDONTWRITEBYTECODE set: uncached sources compile each run)"
        ready = "bytecode cached"
        commands: dict[Key, tuple[list[str], dict[str, str]]] = {
            # with bytecode cached, where the start-up goes, process by process
            (ready, "python -c pass"): (interpreter, cached),
            (ready, TOMLI): (tomli, cached),
            (ready, BASELINE): (baseline, cached),
            (ready, PYDANTIC): ([PYTHON, "-c", PYDANTIC_IMPORT], cached),
            (ready, MODEL): ([PYTHON, "-c", "import sprintboard.model"], cached),
            (ready, CLI): ([PYTHON, "-c", "import sprintboard.cli"], cached),
            (ready, LIST): (listing, cached),
            (ready, LIST + ", PYDANTIC_DISABLE_PLUGINS=1"): (listing, no_plugins),
            (as_given, "python -c pass"): (interpreter, given),
            (as_given, TOMLI): (tomli, given),
            (as_given, BASELINE): (baseline, given),
            (as_given, LIST): (listing, given),
        }
        medians = timings(commands, runs)
        for group in (ready, as_given):
            base = medians[(group, TOMLI)]
            floor = medians[(group, BASELINE)]
            print(f"\n{group}; median wall time of {runs} runs, all interleaved")
            print(f"  {'':<60}{'ms':>8}{'x tomli':>9}{'x baseline':>12}")
            for (where, label), ms in medians.items():
                if where == group:
                    print(f"  {label:<60}{ms:>8.1f}{ms / base:>9.2f}{ms / floor:>12.2f}")
            ratio = medians[(group, LIST)] / floor
            print(f"  {LIST}: {ratio:.2f}x {BASELINE} (target: at most 1.5x)")
        floor = medians[(ready, "python -c pass")]
        pydantic = medians[(ready, PYDANTIC)] - floor
        models = medians[(ready, MODEL)] - medians[(ready, PYDANTIC)]
        total = medians[(ready, LIST)] - floor
        print(
            f"\n  sprintboard list adds {total:.0f} ms to the bare interpreter; of that, "
            f"importing pydantic {pydantic:.0f} ms ({100 * pydantic / total:.0f} %) and "
            f"defining the models, which is pydantic building their validators, {models:.0f} ms "
            f"({100 * models / total:.0f} %)"
        )
        report_imports(cached, profiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
