"""The board screen's actions, put together: the cards' keys and the sprint's.

`BoardScreen` builds on `SprintActions`; each family of the sprint's keys is a base
class of its own module (on `Roles`, so it can ask who may facilitate), listed here,
so the board screen's module does not grow with every feature.
"""

from __future__ import annotations

from .live_actions import LiveActions
from .nudge_actions import NudgeActions
from .report_actions import ReportActions
from .team_actions import TeamActions
from .vote_actions import VoteActions


class SprintActions(VoteActions, LiveActions, TeamActions, NudgeActions, ReportActions):
    """Every action of the board screen (the families are this class's bases)."""
