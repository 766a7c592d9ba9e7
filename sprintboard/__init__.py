"""sprintboard: a terminal sprint board for co-creation sprints."""

__version__ = "0.1.0"
