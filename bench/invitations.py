"""What a typed invitation code costs: one scrypt hash, whatever the number of invitations.

    python bench/invitations.py [--sizes 1,100,1000] [--repeat N] [--smoke]

For each size, a store (`sprintboard.invitations.Invitations`) in a temporary state
folder holds that many code invitations; then, each round:

- hash: one scrypt hash of a code with the store's parameters (the floor of a login);
- match: `match_code` of the right code (read the file, hash once, compare with every
  invitation's hash), and of a wrong one (the same work: nothing says which came close);
- use: `use` of the matched invitation (lock, read, write the file), what a server does
  when a guest gets in.

Medians and the max over the rounds, in ms. `--smoke` runs one small store, twice.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

from benchlib import machine

from sprintboard.invitations import Invitations
from sprintboard.invitations.codes import Hashing


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def figures(size: int, repeat: int) -> dict[str, list[float]]:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = Invitations(Path(folder))
        codes = [
            store.add_code(
                Path("/boards/b.toml"),
                f"m{n}",
                expires=now + timedelta(days=1),
                once=False,
                by="bench",
                now=now,
            )
            for n in range(size)
        ]
        first, code = codes[-1]
        wrong = "000-000-000" if code != "000-000-000" else "111-111-111"
        hashing = Hashing(b"\x00" * 16)
        samples: dict[str, list[float]] = {"hash": [], "match": [], "wrong": [], "use": []}
        for _round in range(repeat):
            samples["hash"].append(timed(lambda: hashing.hash("7KQM2X9TD")))
            samples["match"].append(timed(lambda: store.match_code(code, now)))
            samples["wrong"].append(timed(lambda: store.match_code(wrong, now)))
            samples["use"].append(timed(lambda: store.use(first.id, now)))
        assert store.match_code(code, now) is not None
        return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    sizes = [3] if args.smoke else [int(s) for s in args.sizes.split(",")]
    repeat = 2 if args.smoke else args.repeat
    print(machine())
    print(f"{repeat} rounds; median / max in ms")
    print(f"{'invitations':>11}  {'hash':>13}  {'match':>13}  {'wrong code':>13}  {'use':>13}")
    for size in sizes:
        found = figures(size, repeat)
        cells = [
            f"{median(found[k]) * 1000:6.1f} / {max(found[k]) * 1000:4.0f}"
            for k in ("hash", "match", "wrong", "use")
        ]
        print(f"{size:>11}  " + "  ".join(f"{c:>13}" for c in cells))
    print("target: one typed code <= 60 ms (hash and match)")


if __name__ == "__main__":
    main()
