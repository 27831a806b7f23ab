"""Roll-up lines: a parent unit's activity that stands for a child unit's whole plan.

Real Eselon I plans list one activity per unit below them whose budget is that unit's plan
total (DESIGN.md §5 "Roll-ups"). Such a line is marked with `Activity.rolls_up`; it is
printed in the parent's documents (remark "Rekapitulasi <unit>") and counts in the
parent's own document total, but the ministry compilation never adds it: each rupiah is
counted once, from the units' own activities, and the line is reconciled against the
child's plan instead.

This module holds the rules shared by the editor, the API, the workbook and the
compilation: which units a plan may roll up, whether an activity's name names a unit, and
the plan totals a roll-up line is compared with.
"""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rkpk.organisation.models import Unit

ROLLUP_REMARK = "Rekapitulasi %(unit)s"


def remark(unit_name: str) -> str:
    """The remark the documents print beside a roll-up line (the documents are Indonesian)."""
    return ROLLUP_REMARK % {"unit": unit_name}


def parents_map() -> dict[int, int | None]:
    """{unit id: parent id} of every unit, in one query."""
    return dict(Unit.objects.values_list("id", "parent_id"))


def ancestors(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    """The ids above a unit, nearest first (guarded against a cycle in bad data)."""
    found: list[int] = []
    node = parents.get(unit_id)
    while node is not None and node not in found and node != unit_id:
        found.append(node)
        node = parents.get(node)
    return found


def descendant_ids(unit_id: int, parents: dict[int, int | None] | None = None) -> set[int]:
    """The ids of every unit below `unit_id` (children, their children, …)."""
    parents = parents_map() if parents is None else parents
    return {uid for uid in parents if unit_id in ancestors(uid, parents)}


def units_below(unit: Unit):
    """The units a plan of `unit` may roll up: every unit below it, in tree order."""
    return Unit.objects.filter(pk__in=descendant_ids(unit.pk)).order_by("sort_order", "code")


def validate_rolls_up(*, plan, rolls_up: Unit | None, kind: str) -> None:
    """A roll-up line is an activity (not a program) that names a unit below the plan's unit."""
    if rolls_up is None:
        return
    if kind == "program":
        raise ValidationError(
            {
                "rolls_up": _(
                    "Only an activity can roll up a unit's plan, not a program: change the "
                    "kind to activity or leave this field empty."
                )
            }
        )
    if rolls_up.pk not in descendant_ids(plan.unit_id):
        raise ValidationError(
            {
                "rolls_up": _(
                    "%(unit)s is not below %(plan_unit)s: a line can only roll up the plan of "
                    "a unit below the plan's unit."
                )
                % {"unit": f"{rolls_up.code} {rolls_up.name}", "plan_unit": plan.unit.name}
            }
        )


def _words(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces, padded with spaces."""
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " " + " ".join(re.sub(r"[^\w]+", " ", text).split()) + " "


def names_unit(activity_name: str, unit) -> bool:
    """Whether an activity's name names a unit: its code, its name or its short name, as
    whole words, whatever the case and punctuation ("Dukungan Biro Umum" names "Biro Umum").

    `unit` is a Unit or a dict with "code", "name" and "short_name"."""
    get = unit.get if isinstance(unit, dict) else (lambda k: getattr(unit, k, ""))
    haystack = _words(activity_name)
    for label in (get("code"), get("name"), get("short_name")):
        needle = _words(label or "").strip()
        if len(needle) >= 2 and f" {needle} " in haystack:
            return True
    return False


def plan_totals(unit_ids, year: int) -> dict[int, Decimal]:
    """{unit id: total of its plan of `year`} as its documents print it (roll-up lines
    included), whatever the plan's state, in two queries."""
    from rkpk.plans.models import Activity
    from rkpk.plans.snapshot import total_budget

    rows: dict[int, list[dict]] = {}
    for unit_id, kind, budget in (
        Activity.objects.filter(plan__unit_id__in=list(unit_ids), plan__year=year)
        .order_by("plan_id", "position", "id")
        .values_list("plan__unit_id", "kind", "budget")
    ):
        rows.setdefault(unit_id, []).append({"kind": kind, "budget": budget})
    return {uid: total_budget(acts) for uid, acts in rows.items()}
