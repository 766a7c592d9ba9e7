"""The CSV export read back with Python's `csv` module and compared, field by field, with
the board it came from: the documented joining and the formula guard undone here."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sprintboard import fields
from sprintboard.model import Board, Card
from sprintboard.report import content, table
from sprintboard.vocabulary import Stage

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)

TRICKY = [
    "Børn, forældre og bedsteforældre: æøå ÆØÅ",
    'He said "hello", then left',
    '=HYPERLINK("http://evil.example","click")',
    "+1 555 0100",
    "-5 degrees, and still out",
    "@SUM(A1:A9)",
    "'=already quoted",
    "''+twice",
    "; a semicolon; and a \\ backslash",
    "emoji 🎨 and ❤️ \u00a0 nbsp",
]


def _board() -> Board:
    cards: dict[str, Any] = {}
    for i, title in enumerate(TRICKY):
        cards[f"c{i:07d}"] = {
            "title": title,
            "stage": ["idea", "prototype", "test", "learned"][i % 4],
            "rank": "m",
            "created": T0,
            "updated": T0 + timedelta(hours=i),
            "archived": i == 3,
            "by": ["anna", "omar"] if i % 2 else ["anna"],
            "tags": [title, "culture; art", "plain"],
            "body": f"line one of {title}\nline two, with a comma\n\n=and a formula line",
            "hypothesis": "\t" + title,
            "decision": "pivot" if i % 4 == 3 else None,
            "votes": {"anna": 2, "omar": 1} if i % 2 else {},
            "history": [
                {"at": T0, "by": "anna", "stage": "idea"},
                {"at": T0 + timedelta(days=1), "by": "Omar; the guest \\ x", "stage": "test"},
            ],
        }
    cards["c0000000"]["conflicts"] = {"title": {"ours": "One", "theirs": 'Two, "quoted"'}}
    return Board.model_validate(
        {
            "schema": 1,
            "title": "Spreadsheet",
            "members": {
                "anna": {"name": "Anna", "side": "internal"},
                "omar": {"name": "Omar", "side": "external"},
            },
            "cards": cards,
        }
    )


def undefused(cell: str) -> str:
    """The documented guard undone: one `'` off a cell that starts with `'`s and then a
    character a spreadsheet reads as a formula."""
    return cell[1:] if re.match(r"'+[=+\-@\t\r]", cell) else cell


def split_items(cell: str) -> list[str]:
    """Items joined with "; ", `;` and `\\` inside an item escaped with `\\`."""
    if cell == "":
        return []
    items, current, chars = [], "", iter(cell)
    for char in chars:
        if char == "\\":
            current += next(chars)
        elif char == ";":
            items.append(current)
            current = ""
            assert next(chars) == " "
        else:
            current += char
    return [*items, current]


def zulu(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected(cid: str, card: Card) -> dict[str, Any]:
    """What each cell must read back as, straight from the card."""
    return {
        "id": cid,
        "title": card.title,
        "stage": card.stage.value,
        "tags": list(card.tags),
        "by": list(card.by),
        "body": card.body,
        "hypothesis": card.hypothesis,
        "test": card.test,
        "metric": card.metric,
        "criterion": card.criterion,
        "observed": card.observed,
        "learned": card.learned,
        "next": card.next,
        "decision": card.decision.value if card.decision else "",
        "archived": "true" if card.archived else "false",
        "rank": card.rank,
        "created": zulu(card.created),
        "updated": zulu(card.updated),
        "votes": [f"{k}={n}" for k, n in card.votes.items()],
        "history": [(zulu(h.at), h.stage.value, h.by) for h in card.history],
        "conflicts": {n: {"ours": c.ours, "theirs": c.theirs} for n, c in card.conflicts.items()},
    }


def read_back(data: bytes) -> list[dict[str, Any]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    head, body = rows[0], rows[1:]
    got = []
    for cells in body:
        row: dict[str, Any] = {n: undefused(c) for n, c in zip(head, cells, strict=True)}
        for name in ("tags", "by", "votes"):
            row[name] = split_items(row[name])
        history = []
        for entry in split_items(row["history"]):
            at, stage, by = entry.split(" ", 2)
            history.append((at, stage, by))
        row["history"] = history
        row["conflicts"] = json.loads(row["conflicts"]) if row["conflicts"] else {}
        got.append(row)
    return got


def test_every_card_reads_back_field_by_field() -> None:
    board = _board()
    data = table.render(content.build(board, NOW)).encode("utf-8")
    rows = read_back(data)
    stages = list(Stage)

    def place(cid: str) -> tuple[int, str, str]:
        return stages.index(board.cards[cid].stage), board.cards[cid].rank, cid

    assert [r["id"] for r in rows] == sorted(board.cards, key=place)  # board order
    assert len(rows) == len(board.cards)  # archived ones too
    for row in rows:
        assert row == expected(row["id"], board.cards[row["id"]]), row["id"]


def test_the_header_names_the_id_and_every_field() -> None:
    data = table.render(content.build(_board(), NOW))
    first = data.split("\r\n", 1)[0]
    assert first == "\ufeff" + ",".join(["id", *fields.FIELDS])
    assert tuple(fields.FIELDS) == (
        "title", "stage", "tags", "by", "body", "hypothesis", "test", "metric", "criterion",
        "observed", "learned", "next", "decision", "archived", "rank", "created", "updated",
        "votes", "history", "conflicts",
    )  # fmt: skip


def test_a_spreadsheet_gets_a_byte_order_mark_crlf_rows_and_no_formula() -> None:
    data = table.render(content.build(_board(), NOW)).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    # every row ends in CRLF; the newlines inside a quoted cell stay LF
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data.count(b"\r\n") == len(rows)
    for cells in rows:
        for cell in cells:
            assert not re.match(r"[=+\-@\t\r]", cell), cell
    title = {r[0]: r[1] for r in rows[1:]}
    assert title["c0000002"] == '\'=HYPERLINK("http://evil.example","click")'
    assert title["c0000006"] == "''=already quoted"
    assert title["c0000000"] == TRICKY[0]


def test_an_empty_board_is_a_header() -> None:
    empty = Board.model_validate({"schema": 1, "title": "Empty"})
    data = table.render(content.build(empty, NOW))
    assert data == "\ufeff" + ",".join(table.COLUMNS) + "\r\n"
