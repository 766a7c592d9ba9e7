"""The app in a real terminal: time to the board drawn, key-to-screen latency, memory.

    python bench/tui.py [--sizes 100,1000,10000] [--repeat N] [--shape plain|sprint]
                        [--before EXECUTABLE] [--as-is] [--moves N (0: the start only)] [--smoke]

Everything runs as the user runs it: the `sprintboard` executable in a pseudo-terminal
of 120×40 (TERM=xterm-256color), reading what it writes.

- start → board drawn: from starting the process until the board is on screen — its
  title, the first card of the first column and the first card of the last column
  with cards (their titles' first words), so a frame without the cards does not
  count — for generated boards (`benchlib.board_data`; shape "plain", the default:
  a title, a body and one history entry per card, as the issue that set the targets
  measured; "sprint": cards as a real sprint fills them), against a minimal Textual
  app that shows "hello" (the floor). Runs are interleaved round by round, so that
  noise hits every variant alike; medians. `--before` times another build of
  sprintboard in the same rounds (e.g. the previous commit's, installed in its own
  virtual environment), for a before/after ratio on one machine at one time.
  Wall time is the figure; CPU time (user + system, from /proc) is shown too, being
  the steadier one on a busy machine.
- bytecode: every program runs with its bytecode cached (in a temporary
  ``PYTHONPYCACHEPREFIX``, filled by a warm-up round that is not counted), as an
  installed package runs — an editable install under ``PYTHONDONTWRITEBYTECODE``
  would otherwise compile the app's own modules at every start, which the floor,
  all of whose modules come compiled, never does. `--as-is` runs in the environment
  as given (the warm-up round still runs).
- peak memory: the process's peak resident set (VmHWM) once the board is shown.
- move: on the 1,000-card board, L and H alternately (a card on to the next stage
  and back); the time from writing the key to the column's new count on screen
  (key-to-screen), and to the board file replaced on disk (saved).

Targets: board drawn ≤ 1.2× the floor at 100 cards, ≤ 1.4× at 1,000, ≤ 2× at 10,000;
peak ≤ 70 MiB at 10,000; move ≤ 50 ms median key-to-screen on 1,000 cards, saved
within 100 ms. A script, not a test: `--smoke` runs a small board once so CI can
check that it still runs.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import SHAPES, machine, make_board, median_ms

from sprintboard import storage
from sprintboard.model import Stage

EXECUTABLE = Path(sys.executable).parent / "sprintboard"
SIZE = (120, 40)
HELLO = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Hello(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    "Hello().run()\n"
)
TARGETS = {100: 1.2, 1000: 1.4, 10000: 2.0}
MEMORY_TARGET_MIB = 70
MEMORY_SIZE = 10000


class Terminal:
    """A program in a pseudo-terminal; `output` is everything it wrote so far."""

    bytecode: Path | None = None
    """Where programs cache their bytecode (None: as the environment says)."""

    @classmethod
    def environment(cls, cwd: Path) -> dict[str, str]:
        """What a program measured here runs with (a command beside the apps too): no test or
        user settings, and bytecode cached in `bytecode` when it is set."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(cwd / "config"))
        if cls.bytecode is not None:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(cls.bytecode)
        env.setdefault("SPRINTBOARD_USER", "bench")
        return env

    def __init__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = SIZE,
    ) -> None:
        """`env` None: `environment(cwd)`."""
        env = self.environment(cwd) if env is None else env
        self.fd, child = pty.openpty()
        columns, rows = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd, start_new_session=True
        )
        os.close(child)
        self.output = bytearray()

    def read(self, timeout: float = 0.002) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):  # the program ended
                self.output += os.read(self.fd, 1 << 20)

    def wait_for(self, done: Callable[[], bool], seconds: float = 120) -> float:
        """Seconds (perf_counter) when `done()` first held."""
        deadline = time.perf_counter() + seconds
        while not done():
            ended = self.process.poll() is not None
            if ended and done():
                break
            if time.perf_counter() > deadline or ended:
                tail = bytes(self.output[-400:]).decode(errors="replace")
                raise RuntimeError(f"gave up waiting; the program wrote {tail!r}")
            self.read()
        return time.perf_counter()

    def cpu_seconds(self) -> float:
        """User + system CPU time the program used so far (steadier than wall time)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.fd)


def first_paint(args: list[str], markers: list[bytes], cwd: Path) -> tuple[float, float, float]:
    """Seconds from start to every one of `markers` on screen, CPU seconds used by then,
    peak MiB."""
    terminal = Terminal(args, cwd)
    try:
        painted = terminal.wait_for(lambda: all(m in terminal.output for m in markers))
        return painted - terminal.started, terminal.cpu_seconds(), terminal.peak_mib()
    finally:
        terminal.stop()


def drawn_markers(path: Path) -> list[bytes]:
    """What is on screen once the board is drawn: its title and the first words of the
    first card of the first and of the last stage that has cards (a card's title may
    wrap, and a card row is one piece of text in the terminal's output)."""
    board = storage.load(path).board
    markers = [board.title.encode()]
    columns = [column for stage in Stage if (column := board.column(stage))]
    for column in (columns[0], columns[-1]) if columns else ():
        words = column[0][1].title.split()[:2]
        markers.append(" ".join(words).encode())
    return markers


def measure_moves(path: Path, cwd: Path, moves: int) -> tuple[list[float], list[float]]:
    """Key-to-screen and key-to-disk seconds for `moves` alternating L / H presses."""
    board = storage.load(path).board
    ideas = len(board.column(Stage.IDEA))
    terminal = Terminal([str(EXECUTABLE), "open", str(path)], cwd)
    screen: list[float] = []
    disk: list[float] = []
    try:
        terminal.wait_for(lambda: board.title.encode() in terminal.output)
        time.sleep(1.0)  # let the first frame settle
        for number in range(moves):
            key, count = ("L", ideas - 1) if number % 2 == 0 else ("H", ideas)
            expected = f" idea {count} ".encode()
            before = os.stat(path).st_ino, os.stat(path).st_mtime_ns
            start = len(terminal.output)
            sent = time.perf_counter()
            os.write(terminal.fd, key.encode())
            shown = saved = 0.0
            deadline = sent + 10
            while not (shown and saved) and time.perf_counter() < deadline:
                terminal.read(0.0005)
                if not shown and expected in terminal.output[start:]:
                    shown = time.perf_counter()
                if not saved:
                    now = os.stat(path)
                    if (now.st_ino, now.st_mtime_ns) != before:
                        saved = time.perf_counter()
            if not (shown and saved):
                raise RuntimeError(f"move {number + 1}: no change seen ({key})")
            screen.append(shown - sent)
            disk.append(saved - sent)
            time.sleep(0.15)  # a person does not press faster; the next save must not overlap
        os.write(terminal.fd, b"q")
        terminal.wait_for(lambda: terminal.process.poll() is not None, 30)
    finally:
        terminal.stop()
    return screen, disk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shape", choices=SHAPES, default="plain")
    parser.add_argument("--before", type=Path, help="another sprintboard executable to time")
    parser.add_argument("--as-is", action="store_true", help="bytecode as the environment says")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="one small run, for CI")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    repeat, moves = args.repeat, args.moves
    if args.smoke:
        sizes, repeat, moves = [100], 1, 2
    builds = {"sprintboard": EXECUTABLE}
    if args.before:
        builds = {"before": args.before, **builds}
    for executable in builds.values():
        if not executable.exists():
            print(f"no {executable}: install the package first", file=sys.stderr)
            return 1

    print(machine())
    cache = "as the environment says" if args.as_is else "cached"
    print(
        f"terminal {SIZE[0]}×{SIZE[1]}, board shape {args.shape!r}, bytecode {cache}, "
        f"medians of {repeat} runs after a warm-up round\n"
    )
    folder = Path(tempfile.mkdtemp(prefix="sprintboard-bench-"))
    if not args.as_is:
        Terminal.bytecode = folder / "bytecode"
    try:
        paths = {}
        for size in sizes:
            paths[size] = folder / f"board-{size}.toml"
            storage.save(paths[size], make_board(size, shape=args.shape))
        variants: dict[tuple[str, int], tuple[list[str], list[bytes]]] = {
            ("floor", 0): ([sys.executable, "-c", HELLO], [b"hello"])
        }
        for size, path in paths.items():
            for build, executable in builds.items():
                variants[build, size] = ([str(executable), "open", str(path)], drawn_markers(path))
        times: dict[tuple[str, int], list[float]] = {name: [] for name in variants}
        cpus: dict[tuple[str, int], list[float]] = {name: [] for name in variants}
        peaks: dict[tuple[str, int], list[float]] = {name: [] for name in variants}
        for round_ in range(repeat + 1):
            for name, (command, markers) in variants.items():
                seconds, cpu, peak = first_paint(command, markers, folder)
                if round_ == 0:
                    continue  # the warm-up: bytecode written, files in the page cache
                times[name].append(seconds)
                cpus[name].append(cpu)
                peaks[name].append(peak)
        failed = print_table(sizes, builds, times, cpus, peaks)
        if moves <= 0:  # `--moves 0`: the start only
            return 0 if args.smoke or not failed else 1

        move_size = 1000 if 1000 in paths else sizes[0]
        screen, disk = measure_moves(paths[move_size], folder, moves)
        key_ms, disk_ms = median_ms(screen), median_ms(disk)
        ok = key_ms <= 50 and disk_ms <= 100
        failed |= not ok
        print(
            f"\nmove on {move_size:,} cards ({moves} presses of L/H): key to screen "
            f"{key_ms:.0f} ms median (max {max(screen) * 1000:.0f}), key to saved "
            f"{disk_ms:.0f} ms median (max {max(disk) * 1000:.0f})  "
            f"targets ≤50 / ≤100 ms  {'ok' if ok else 'MISSED'}"
        )
        return 0 if args.smoke or not failed else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_table(
    sizes: list[int],
    builds: dict[str, Path],
    times: dict[tuple[str, int], list[float]],
    cpus: dict[tuple[str, int], list[float]],
    peaks: dict[tuple[str, int], list[float]],
) -> bool:
    """The start table, wall time then CPU time, one row per build; whether a target
    was missed."""
    floor, floor_cpu = median_ms(times["floor", 0]), median_ms(cpus["floor", 0])
    memory = MEMORY_SIZE if MEMORY_SIZE in sizes else max(sizes)
    head = "".join(f"{f'{size:,} cards':>16}" for size in sizes)
    print(f"{'start → board drawn':<24}{head}{f'peak at {memory:,}':>16}")
    dashes = "".join(f"{'–':>16}" for _ in sizes[1:])
    floor_peak = max(peaks["floor", 0])
    print(f"{'Textual hello (floor)':<24}{f'{floor:.0f} ms':>16}{dashes}{floor_peak:>12.0f} MiB")
    failed = False
    for build in builds:
        cells = ""
        for size in sizes:
            ms = median_ms(times[build, size])
            cells += f"{f'{ms:.0f} ms ({ms / floor:.2f}×)':>16}"
            target = TARGETS.get(size)
            if build == "sprintboard" and target is not None:
                failed |= ms / floor > target
        peak = max(peaks[build, memory])
        if build == "sprintboard" and memory == MEMORY_SIZE:
            failed |= peak > MEMORY_TARGET_MIB
        print(f"{build:<24}{cells}{peak:>12.0f} MiB")
    goals = "".join(f"{f'≤ {TARGETS[s]:.1f}×' if s in TARGETS else '':>16}" for s in sizes)
    print(f"{'target':<24}{goals}{f'≤ {MEMORY_TARGET_MIB} MiB':>16}")
    print(f"\n{'cpu time (same runs)':<24}{f'{floor_cpu:.0f} ms':>16}  (floor)")
    for build in builds:
        cells = ""
        for size in sizes:
            cpu = median_ms(cpus[build, size])
            cells += f"{f'{cpu:.0f} ms ({cpu / floor_cpu:.2f}×)':>16}"
        print(f"{build:<24}{cells}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
