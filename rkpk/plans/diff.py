"""Comparison of two submitted versions of a plan, read from their frozen snapshots.

Rows are matched by id first, then by code, then by name (an edit that deleted and
re-created a row, as an import may, still pairs up with its old self). Each difference
is reported as added / removed / changed, with the old and new value of each field as
people read them (targets by their display text, money in rupiah, choices by label).
"""

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core.formatting import format_number
from rkpk.plans.models import ActingKind, Activity, Goal, Indicator, Submission

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KIND_LABELS = {
    ADDED: gettext_lazy("added"),
    REMOVED: gettext_lazy("removed"),
    CHANGED: gettext_lazy("changed"),
}
SECTION_TITLES = {
    "plan": gettext_lazy("Plan"),
    "parties": gettext_lazy("PK parties"),
    "goals": gettext_lazy("Goals"),
    "indicators": gettext_lazy("Indicators"),
    "activities": gettext_lazy("Programs and activities"),
    "outputs": gettext_lazy("Output indicators of activities"),
}
# Fields long enough to be compared word by word.
LONG_TEXT = 60


@dataclass(frozen=True)
class Segment:
    """A run of words in a word-level comparison: unchanged, removed or inserted."""

    op: str  # "equal" | "delete" | "insert"
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def is_long(self) -> bool:
        return bool(self.old and self.new) and max(len(self.old), len(self.new)) > LONG_TEXT

    @cached_property
    def segments(self) -> list[Segment]:
        return word_diff(self.old, self.new)

    @property
    def old_segments(self) -> list[Segment]:
        """The old text with the removed words marked."""
        return [s for s in self.segments if s.op != "insert"]

    @property
    def new_segments(self) -> list[Segment]:
        """The new text with the inserted words marked."""
        return [s for s in self.segments if s.op != "delete"]


@dataclass
class Change:
    section: str
    kind: str
    label: str
    context: str = ""
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class PlanDiff:
    old_number: int | None
    new_number: int | None
    sections: dict[str, list[Change]]

    @property
    def changes(self) -> list[Change]:
        return [change for changes in self.sections.values() for change in changes]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in (ADDED, REMOVED, CHANGED)}

    def titled_sections(self) -> list[tuple[str, str, list[Change]]]:
        """(key, title, changes) of the sections that have changes, in reading order."""
        return [
            (key, str(SECTION_TITLES[key]), changes)
            for key, changes in self.sections.items()
            if changes
        ]


# --- Word-level comparison of long texts ----------------------------------------------------


def word_diff(old: str, new: str) -> list[Segment]:
    """The two texts as runs of equal, deleted and inserted words (whitespace kept)."""
    a, b = re.findall(r"\S+\s*", old or ""), re.findall(r"\S+\s*", new or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


# --- Matching rows of two versions ----------------------------------------------------------


def normal(text: str | None) -> str:
    """A name for matching: lower case, punctuation and repeated spaces dropped."""
    return re.sub(r"\W+", " ", (text or "").lower()).strip()


Key = Callable[[dict], object]


def match(old: list[dict], new: list[dict], keys: Iterable[Key]):
    """Pair rows of two lists: by the first key, then the next key among rows still unpaired.

    Returns (pairs in the new list's order, removed rows, added rows). A key returning
    None or "" never matches.
    """
    pairs: dict[int, tuple[dict, dict]] = {}
    old_left = list(range(len(old)))
    new_left = list(range(len(new)))
    for key in keys:
        index: dict[object, list[int]] = {}
        for j in new_left:
            value = key(new[j])
            if value not in (None, ""):
                index.setdefault(value, []).append(j)
        still_old = []
        for i in old_left:
            value = key(old[i])
            candidates = index.get(value) if value not in (None, "") else None
            if candidates:
                j = candidates.pop(0)
                pairs[j] = (old[i], new[j])
            else:
                still_old.append(i)
        old_left = still_old
        new_left = [j for j in new_left if j not in pairs]
    ordered = [pairs[j] for j in sorted(pairs)]
    return ordered, [old[i] for i in old_left], [new[j] for j in new_left]


def by_id(row: dict):
    return row.get("id")


def by_code(row: dict):
    return row.get("code") or None


def by_name(row: dict):
    return normal(row.get("name") if "name" in row else row.get("text")) or None


ROW_KEYS = (by_id, by_code, by_name)


# --- Readable field values -----------------------------------------------------------------


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _number(value) -> str:
    return format_number(value) if value not in (None, "") else ""


def _target(row: dict) -> str:
    return (row.get("target") or {}).get("display", "")


def _label(row: dict) -> str:
    code = row.get("code") or ""
    name = row.get("name") if "name" in row else row.get("text", "")
    name = " ".join((name or "").split())
    if len(name) > 120:
        name = name[:117] + "…"
    return f"{code} {name}".strip()


def goal_fields(goal: dict) -> list[tuple[str, str, str]]:
    return [
        ("code", _("Code"), goal.get("code", "")),
        ("text", _("Goal"), goal.get("text", "")),
        ("level", _("Level"), _choice(Goal.Level.choices, goal.get("level"))),
    ]


def indicator_fields(indicator: dict, goal_label: str) -> list[tuple[str, str, str]]:
    quarters = list(indicator.get("quarters") or [None] * 4) + [None] * 4
    return [
        ("goal", _("Goal"), goal_label),
        ("code", _("Code"), indicator.get("code", "")),
        ("name", _("Indicator"), indicator.get("name", "")),
        ("definition", _("Operational definition"), indicator.get("definition", "")),
        ("formula", _("Formula"), indicator.get("formula", "")),
        ("measure", _("Unit of measure"), indicator.get("measure", "")),
        ("polarity", _("Polarity"), _choice(Indicator.Polarity.choices, indicator.get("polarity"))),
        ("data_source", _("Data source"), indicator.get("data_source", "")),
        ("type", _("Type"), _choice(Indicator.Type.choices, indicator.get("type"))),
        ("target", _("Annual target"), _target(indicator)),
        *[(f"q{n}", _("Q%(n)s target") % {"n": n}, _number(quarters[n - 1])) for n in range(1, 5)],
        ("in_pk", _("In the PK"), _yes_no(indicator.get("in_pk"))),
    ]


def _output_text(output: dict) -> str:
    target = _target(output)
    measure = output.get("measure", "")
    return f"{output.get('name', '')}: {target} {measure}".strip()


def _rolled_up_unit(activity: dict) -> str:
    unit = activity.get("rolls_up") or {}  # absent from snapshots made before roll-ups
    return f"{unit.get('code', '')} {unit.get('name', '')}".strip() if unit else ""


def activity_fields(activity: dict) -> list[tuple[str, str, str]]:
    return [
        ("kind", _("Kind"), _choice(Activity.Kind.choices, activity.get("kind"))),
        ("code", _("Code"), activity.get("code", "")),
        ("name", _("Program/activity"), activity.get("name", "")),
        ("budget", _("Budget"), activity.get("budget_display", "")),
        ("notes", _("Remarks"), activity.get("notes", "")),
        ("rolls_up", _("Rolls up the plan of"), _rolled_up_unit(activity)),
    ]


def output_fields(output: dict) -> list[tuple[str, str, str]]:
    return [
        ("name", _("Output indicator"), output.get("name", "")),
        ("measure", _("Unit of measure"), output.get("measure", "")),
        ("target", _("Target"), _target(output)),
    ]


def party_fields(party: dict | None) -> list[tuple[str, str, str]]:
    party = party or {}
    return [
        ("name", _("Name"), party.get("name", "")),
        ("nip", _("NIP"), party.get("nip", "")),
        ("position", _("Position"), party.get("position", "")),
        ("rank", _("Rank/grade"), party.get("rank", "")),
        ("acting", _("Acting"), _choice(ActingKind.choices, party.get("acting", ""))),
    ]


def _changed(old_fields, new_fields) -> list[FieldChange]:
    return [
        FieldChange(name, label, old_value, new_value)
        for (name, label, old_value), (_n, _l, new_value) in zip(
            old_fields, new_fields, strict=True
        )
        if (old_value or "") != (new_value or "")
    ]


def _whole(fields, *, added: bool) -> list[FieldChange]:
    """The non-empty fields of an added (old blank) or removed (new blank) row."""
    return [
        FieldChange(name, label, "" if added else value, value if added else "")
        for name, label, value in fields
        if value not in ("", None)
    ]


def _rows(section, pairs, removed, added, fields_of, label_of, context_of=None) -> list[Change]:
    """Changes of one kind of row, in reading order: changed and added (new order), removed.

    `fields_of(row, side)` gives the (name, label, value) triples of a row, side being
    "old" or "new".
    """

    def context(row, side):
        return context_of(row, side) if context_of else ""

    changes = []
    for old_row, new_row in pairs:
        fields = _changed(fields_of(old_row, "old"), fields_of(new_row, "new"))
        if fields:
            changes.append(
                Change(section, CHANGED, label_of(new_row), context(new_row, "new"), fields)
            )
    for row in added:
        fields = _whole(fields_of(row, "new"), added=True)
        changes.append(Change(section, ADDED, label_of(row), context(row, "new"), fields))
    for row in removed:
        fields = _whole(fields_of(row, "old"), added=False)
        changes.append(Change(section, REMOVED, label_of(row), context(row, "old"), fields))
    return changes


def _flat_indicators(snapshot: dict) -> list[tuple[dict, dict]]:
    """Every indicator of a snapshot with its goal, in reading order."""
    return [
        (indicator, goal)
        for goal in snapshot.get("goals", [])
        for indicator in goal.get("indicators", [])
    ]


def _party_changes(old: dict, new: dict) -> list[Change]:
    changes = []
    for slot, title in (("first", _("First party")), ("second", _("Second party"))):
        before, after = old.get(slot), new.get(slot)
        if before is None and after is None:
            continue
        if before is None:
            kind, fields = ADDED, _whole(party_fields(after), added=True)
        elif after is None:
            kind, fields = REMOVED, _whole(party_fields(before), added=False)
        else:
            kind, fields = CHANGED, _changed(party_fields(before), party_fields(after))
        if fields:
            changes.append(Change("parties", kind, str(title), fields=fields))
    return changes


def _indicator_changes(old: dict, new: dict, goal_pairs) -> list[Change]:
    """Indicators matched across the whole plan: a move to another goal is a change of goal.

    The goal counts as changed only when the indicator now sits under a goal that is not
    the counterpart of its old one (renaming a goal is a change of the goal, not of its
    indicators).
    """
    counterpart = {id(before): id(after) for before, after in goal_pairs}
    old_rows, new_rows = _flat_indicators(old), _flat_indicators(new)
    goal_of = {id(ind): goal for ind, goal in old_rows + new_rows}

    def fields(row, side):
        return indicator_fields(row, _label(goal_of[id(row)]))

    pairs, removed, added = match(
        [ind for ind, _g in old_rows], [ind for ind, _g in new_rows], ROW_KEYS
    )
    changes = []
    for before, after in pairs:
        changed = _changed(fields(before, "old"), fields(after, "new"))
        moved = counterpart.get(id(goal_of[id(before)])) != id(goal_of[id(after)])
        changed = [c for c in changed if c.name != "goal" or moved]
        if changed:
            changes.append(
                Change("indicators", CHANGED, _label(after), _label(goal_of[id(after)]), changed)
            )
    return changes + _rows(
        "indicators", [], removed, added, fields, _label, lambda row, side: _label(goal_of[id(row)])
    )


def _activity_changes(old: dict, new: dict) -> tuple[list[Change], list[Change]]:
    """Changes of programs/activities and, inside paired activities, of their outputs."""
    pairs, removed, added = match(old.get("activities", []), new.get("activities", []), ROW_KEYS)

    def with_outputs(row, side):
        outputs = "; ".join(_output_text(o) for o in row.get("indicators", []))
        return [*activity_fields(row), ("outputs", _("Output indicators"), outputs)]

    activities = _rows(
        "activities", pairs, [], [], lambda row, side: activity_fields(row), _label
    ) + _rows("activities", [], removed, added, with_outputs, _label)
    outputs = []
    for before, after in pairs:
        output_pairs, output_removed, output_added = match(
            before.get("indicators", []), after.get("indicators", []), (by_id, by_name)
        )
        outputs += _rows(
            "outputs",
            output_pairs,
            output_removed,
            output_added,
            lambda row, side: output_fields(row),
            _label,
            lambda row, side, activity=after: _label(activity),
        )
    return activities, outputs


def compare_snapshots(
    old: dict, new: dict, *, old_number: int | None = None, new_number: int | None = None
) -> PlanDiff:
    """What changed from one snapshot of a plan to another."""
    sections: dict[str, list[Change]] = {key: [] for key in SECTION_TITLES}
    total_old, total_new = old.get("budget_total_display", ""), new.get("budget_total_display", "")
    if total_old != total_new:
        sections["plan"] = [
            Change(
                "plan",
                CHANGED,
                _("Total budget"),
                fields=[FieldChange("budget_total", _("Total budget"), total_old, total_new)],
            )
        ]
    sections["parties"] = _party_changes(old.get("parties") or {}, new.get("parties") or {})
    goal_pairs, goals_removed, goals_added = match(
        old.get("goals", []), new.get("goals", []), ROW_KEYS
    )
    sections["goals"] = _rows(
        "goals", goal_pairs, goals_removed, goals_added, lambda row, side: goal_fields(row), _label
    )
    sections["indicators"] = _indicator_changes(old, new, goal_pairs)
    sections["activities"], sections["outputs"] = _activity_changes(old, new)
    return PlanDiff(old_number, new_number, sections)


def compare_submissions(old: Submission, new: Submission) -> PlanDiff:
    return compare_snapshots(
        old.snapshot, new.snapshot, old_number=old.number, new_number=new.number
    )


def diff_as_text(diff: PlanDiff, *, title: str = "") -> str:
    """The comparison as plain text, one change per paragraph, for e-mail or a file."""
    marks = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
    lines = []
    if title:
        lines += [title, "=" * len(title), ""]
    lines.append(
        _(
            "Changes from version %(a)s to version %(b)s: %(added)s added, %(removed)s removed, "
            "%(changed)s changed."
        )
        % {"a": diff.old_number, "b": diff.new_number, **diff.counts}
    )
    if diff.is_empty:
        lines += ["", _("The two versions have the same content.")]
    for _key, section_title, changes in diff.titled_sections():
        lines += ["", section_title, "-" * len(section_title)]
        for change in changes:
            where = f" ({change.context})" if change.context else ""
            lines.append(f"{marks[change.kind]} [{change.kind_label}] {change.label}{where}")
            for item in change.fields:
                if change.kind == ADDED:
                    lines.append(f"    {item.label}: {item.new}")
                elif change.kind == REMOVED:
                    lines.append(f"    {item.label}: {item.old}")
                else:
                    lines.append(f"    {item.label}: {item.old or '—'} → {item.new or '—'}")
    return "\n".join(lines) + "\n"
