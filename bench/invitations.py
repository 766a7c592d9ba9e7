"""What a typed invitation code costs: one scrypt hash, whatever the number of invitations;
and what a link's token costs the web entry.

    python bench/invitations.py [--sizes 1,100,1000] [--repeat N] [--smoke]

For each size, a store (`sprintboard.invitations.Invitations`) in a temporary state
folder holds that many code invitations; then, each round:

- hash: one scrypt hash of a code with the store's parameters (the floor of a login);
- match: `match_code` of the right code (read the file, hash once, compare with every
  invitation's hash), and of a wrong one (the same work: nothing says which came close);
- use: `use` of the matched invitation (lock, read, write the file), what a server does
  when a guest gets in.

Then a store of that many link invitations, each round:

- open: `open_link` of a link not opened yet (lock, read, write), what `/join/TOKEN` does;
- changed: `match_link` of a right token just after that change (the file parsed again);
- link: `match_link` of it again (one SHA-256, compared with every link's hash);
- wrong: `match_link` of a token of the right shape that no link has (the same work).

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


def link_figures(size: int, repeat: int) -> dict[str, list[float]]:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = Invitations(Path(folder))
        links = [
            store.add_link(
                Path("/boards/b.toml"), f"m{n}", expires=now + timedelta(days=1), by="b", now=now
            )
            for n in range(max(size, repeat))
        ]
        token = links[-1][1]
        wrong = "A" * 43 if token != "A" * 43 else "Q" * 43
        samples: dict[str, list[float]] = {"open": [], "changed": [], "link": [], "wrong": []}
        for turn in range(repeat):
            which = links[turn][0].id
            samples["open"].append(timed(lambda which=which: store.open_link(which, now)))
            samples["changed"].append(timed(lambda: store.match_link(token)))
            samples["link"].append(timed(lambda: store.match_link(token)))
            samples["wrong"].append(timed(lambda: store.match_link(wrong)))
        assert store.match_link(token) is not None and store.match_link(wrong) is None
        assert all(store.get(i.id).opened is not None for i, _ in links[:repeat])  # type: ignore[union-attr]
        return samples


def table(sizes: list[int], repeat: int, measure: object, columns: dict[str, str]) -> None:
    head = "  ".join(f"{title:>13}" for title in columns.values())
    print(f"{'invitations':>11}  {head}")
    for size in sizes:
        found = measure(size, repeat)  # type: ignore[operator]
        cells = [f"{median(found[k]) * 1000:6.1f} / {max(found[k]) * 1000:4.0f}" for k in columns]
        print(f"{size:>11}  " + "  ".join(f"{c:>13}" for c in cells))


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
    codes = {"hash": "hash", "match": "match", "wrong": "wrong code", "use": "use"}
    table(sizes, repeat, figures, codes)
    print("target: one typed code <= 60 ms (hash and match)")
    print("links (the store holds that many link invitations)")
    table(
        sizes,
        repeat,
        link_figures,
        {
            "open": "open_link",
            "changed": "after a write",
            "link": "match_link",
            "wrong": "wrong token",
        },
    )


if __name__ == "__main__":
    main()
