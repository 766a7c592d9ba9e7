"""The card's fields, described once: what each is, who may change it, how it merges.

`FIELDS` holds one `FieldSpec` per field of `model.Card`; every list of field names
elsewhere (what `EditCard` may set, what the merge driver marks as a conflict, what
an overwrite report watches, the editor's groups, the command line's `--set`) is
derived from it here. Adding a card field touches `model.Card`, this table and the
tests (README, "Adding a card field").

Pure: imports only the standard library and `i18n` (labels are marked with `N_` and
translated where shown, through `labels.field_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from .i18n import N_

FieldName = Literal[
    "title",
    "stage",
    "tags",
    "by",
    "body",
    "hypothesis",
    "test",
    "metric",
    "criterion",
    "observed",
    "learned",
    "next",
    "decision",
    "archived",
    "rank",
    "created",
    "updated",
    "votes",
    "history",
    "conflicts",
]
"""A card field's name: a typo is a type error."""

Group = Literal["card", "experiment", "learning", "state"]
"""Where a field belongs: the editor's and the card view's groups; `state` is what the
board keeps about a card (its place, times, dots), set by moving, voting, merging."""


class Kind(StrEnum):
    """What a field's value is, which says how it is typed, shown and written out."""

    LINE = "line"
    """One line of text."""
    TEXT = "text"
    """Free text of several lines (edited in a text area, or in $EDITOR)."""
    NAMES = "names"
    """A list of names: tags, member keys (comma-separated on the command line)."""
    CHOICE = "choice"
    """One of an enum's values, or none."""
    FLAG = "flag"
    """True or false."""
    RANK = "rank"
    """An ordering key (`rank`)."""
    TIME = "time"
    """A moment, written in UTC."""
    VOTES = "votes"
    """Dots by member key."""
    HISTORY = "history"
    """Entries of the card entering stages."""
    MARKS = "marks"
    """What a git merge left undecided, by field name."""


@dataclass(frozen=True)
class FieldSpec:
    """One card field: its place, its kind, and the rules that name it."""

    name: FieldName
    group: Group
    kind: Kind
    label: str
    """Its display name (English, marked with `N_`; `labels.field_label` translates it).
    The experiment and learning fields read as sentences: "We believe …"."""
    editable: bool = False
    """Set directly by `ops.EditCard` (the editor, `edit --set`)."""
    counts_as_edit: bool = False
    """Changing it is *editing* the card for the merge driver: it keeps a card the other
    side archived or deleted (votes, reordering and archiving do not)."""
    conflicting: bool = False
    """Two different changes on two sides are a conflict a person decides (a mark in
    `Card.conflicts`), not something the merge driver settles by a rule."""
    watched: bool = False
    """Its loss a person would notice: an overwrite of it is reported (`session`)."""


def _written(
    name: FieldName, group: Group, kind: Kind, label: str, *, conflicting: bool = True
) -> FieldSpec:
    """A field a person writes: edited directly, an edit for the merge, watched."""
    return FieldSpec(
        name,
        group,
        kind,
        label,
        editable=True,
        counts_as_edit=True,
        conflicting=conflicting,
        watched=True,
    )


FIELDS: dict[FieldName, FieldSpec] = {
    each.name: each
    for each in (
        # the order is the order a person reads them: the editor's, `--set`'s help,
        # conflicts in the card view; the key order of the file is `model.Card`'s
        _written("title", "card", Kind.LINE, N_("Title")),
        FieldSpec(
            "stage",
            "state",
            Kind.CHOICE,
            N_("Stage"),
            counts_as_edit=True,
            conflicting=True,
            watched=True,
        ),
        # lists merge as sets, item by item: never a conflict
        _written("tags", "card", Kind.NAMES, N_("Tags"), conflicting=False),
        _written("by", "card", Kind.NAMES, N_("Co-created by"), conflicting=False),
        _written("body", "card", Kind.TEXT, N_("Notes")),
        _written("hypothesis", "experiment", Kind.TEXT, N_("We believe")),
        _written("test", "experiment", Kind.TEXT, N_("To verify that, we will")),
        _written("metric", "experiment", Kind.TEXT, N_("and measure")),
        _written("criterion", "experiment", Kind.TEXT, N_("We are right if")),
        _written("observed", "learning", Kind.TEXT, N_("We observed")),
        _written("learned", "learning", Kind.TEXT, N_("We learned")),
        _written("next", "learning", Kind.TEXT, N_("Therefore we will")),
        _written("decision", "learning", Kind.CHOICE, N_("Decision")),
        FieldSpec("archived", "state", Kind.FLAG, N_("Archived"), watched=True),
        FieldSpec("rank", "state", Kind.RANK, N_("Place")),
        FieldSpec("created", "state", Kind.TIME, N_("Created")),
        FieldSpec("updated", "state", Kind.TIME, N_("Updated")),
        FieldSpec("votes", "state", Kind.VOTES, N_("Dots")),
        FieldSpec("history", "state", Kind.HISTORY, N_("History")),
        FieldSpec("conflicts", "state", Kind.MARKS, N_("To decide")),
    )
}
"""Every card field, in the order a person reads them."""

_BY_NAME: dict[str, FieldSpec] = {str(name): s for name, s in FIELDS.items()}


def spec(name: str) -> FieldSpec | None:
    """The field called `name`, or None when a card has no such field."""
    return _BY_NAME.get(name)


def in_group(group: Group) -> tuple[FieldName, ...]:
    """The fields of `group`, in table order."""
    return tuple(name for name, s in FIELDS.items() if s.group == group)


def of_kind(kind: Kind) -> tuple[FieldName, ...]:
    """The fields of `kind`, in table order."""
    return tuple(name for name, s in FIELDS.items() if s.kind is kind)


EDITABLE: tuple[FieldName, ...] = tuple(n for n, s in FIELDS.items() if s.editable)
"""Fields a person edits directly (stage and rank change by moving)."""
EDITS: tuple[FieldName, ...] = tuple(n for n, s in FIELDS.items() if s.counts_as_edit)
"""Fields whose change counts as editing a card, for the merge driver."""
CONFLICTING: tuple[FieldName, ...] = tuple(n for n, s in FIELDS.items() if s.conflicting)
"""Fields two different changes to which are a conflict to decide."""
WATCHED: tuple[FieldName, ...] = tuple(n for n, s in FIELDS.items() if s.watched)
"""Fields whose overwrite is reported."""
TEXT: tuple[FieldName, ...] = of_kind(Kind.TEXT)
"""Fields of free text."""

CONFLICT_MARKS: tuple[str, ...] = (*CONFLICTING, "archived", "deleted")
"""What `Card.conflicts` may name: the conflicting fields, and the card's fate
(`archived`, `deleted`: one side archived or deleted the card, the other edited it)."""

JSON_KEYS: tuple[FieldName, ...] = (
    "title",
    "stage",
    "rank",
    "archived",
    "created",
    "updated",
    "by",
    "tags",
    "body",
    "hypothesis",
    "test",
    "metric",
    "criterion",
    "observed",
    "learned",
    "next",
    "decision",
    "votes",
    "history",
)
"""A card's keys in `list --json` and `show --json` after its id, in their published
order (README, "JSON output"): a contract of their own, so a new field joins at the
end rather than where the table has it. `conflicts` is left out (`show` lists them)."""
