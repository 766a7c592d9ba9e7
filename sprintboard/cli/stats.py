"""`sprintboard stats BOARD [--json]`: the sprint's figures (`flow`, `report.figures`).

The text is `report.figures.summary` (the wording every report and the app use), one
figure a line, then the co-creation figure stage by stage. `--json` is the stable
shape of README "JSON output" (`stats_json`): English keys, times in whole seconds and
moments in UTC ISO, null where there is nothing to measure. "Now" and the zone days
count in are `common.now_for_reports`'s, as for `export` (`SPRINTBOARD_NOW` when set,
so that the figures of a moment can be made again). The report modules are imported
when the command runs (the parser imports this module for `register`).
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .common import AddCommand, board_path, load, now_for_reports
from .output import dump_json, iso, say

if TYPE_CHECKING:
    from ..co_creation import Hands
    from ..flow import Flow
    from ..model import Board


def cmd_stats(args: argparse.Namespace) -> int:
    from ..report.content import build
    from ..report.figures import hands_per_stage, summary

    board = load(board_path(args.board))
    now, zone = now_for_reports()
    report = build(board, now, zone)
    if args.json:
        say(dump_json(stats_json(board, report.flow, report.hands)), lines=True)
        return 0
    figures = [*summary(report), *hands_per_stage(report.hands)]
    width = max(len(f.label) for f in figures)
    say(board.title)
    for figure in figures:
        say(f"  {figure.label:<{width}}  {figure.value}")
    return 0


# --- the JSON shape ----------------------------------------------------------------


def seconds(span: timedelta | None) -> int | None:
    """A time span in whole seconds (rounded down); None stays None."""
    # integer division of timedeltas: exact over centuries, where float seconds are not
    return None if span is None else span // timedelta(seconds=1)


def _part(part: int, whole: int) -> dict[str, Any]:
    return {"cards": part, "of": whole, "share": part / whole if whole else None}


def stats_json(board: Board, flow: Flow, hands: Hands) -> dict[str, Any]:
    """The figures as the stable JSON object of `stats --json` (README, "JSON output")."""
    from ..report.figures import week_label
    from ..vocabulary import Stage

    per_card = [
        {
            "id": card.card_id,
            "title": board.cards[card.card_id].title,
            "seconds": seconds(card.lead_time),
            "learned_at": iso(card.learned_at),
        }
        for card in flow.cards
        if card.lead_time is not None and card.learned_at is not None
    ]
    return {
        "now": iso(flow.now),
        "cards": flow.total,
        "archived": flow.archived,
        "per_stage": {stage.value: flow.per_stage[stage] for stage in Stage},
        "external_hands": {
            **_part(hands.external, hands.total),
            "per_stage": {s.value: _part(*hands.per_stage[s]) for s in Stage},
        },
        "idea_to_learned": {
            "median_seconds": seconds(flow.median_lead_time),
            "per_card": per_card,
        },
        "time_in_stage": {
            stage.value: {
                "median_seconds": seconds(flow.median_in_stage[stage]),
                "cards": sum(1 for card in flow.cards if card.was_in(stage)),
            }
            for stage in Stage
        },
        "reached_test": _part(flow.reached_test, flow.total),
        "decisions": {
            **{decision.value: n for decision, n in flow.decisions.items()},
            "undecided": flow.undecided,
        },
        "learnings_per_week": [
            {"week": week_label(w.monday), "monday": w.monday.isoformat(), "learnings": w.learnings}
            for w in flow.weeks
        ],
        "cumulative": [
            {"day": day.day.isoformat(), **{s.value: day.counts[s] for s in Stage}}
            for day in flow.cumulative
        ],
    }


def register(command: AddCommand) -> None:
    """Add `stats` to the parser."""
    p = command(
        "stats",
        cmd_stats,
        _("the sprint's figures: flow through the stages, external hands, learnings"),
    )
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--json", action="store_true", help=_("the figures as JSON (README)"))
