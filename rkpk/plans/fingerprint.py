"""What a workbook carries of the plan, as a hash: a workbook made from older content is
recognised when it is uploaded over newer edits."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    UnitPlan,
)

# --- Content fingerprint (stale workbook detection) -----------------------------------------


def _n(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _fingerprint(goals, indicators, activities, activity_indicators) -> str:
    canonical = json.dumps(
        [goals, indicators, activities, activity_indicators],
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


TARGET_FIELDS = ("target_kind", "target_value", "target_min", "target_max", "target_text")


def content_fingerprint(plan: UnitPlan) -> str:
    """A hash of what the workbook carries of the plan, in a fixed number of queries."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("position", "id")
        .values_list("id", "code", "text", "level")
    )
    goal_order = {g[0]: i for i, g in enumerate(goals)}
    indicator_rows = Indicator.objects.filter(plan=plan).values_list(
        "goal_id",
        "position",
        "id",
        "code",
        "name",
        "definition",
        "formula",
        "measure",
        "polarity",
        "data_source",
        "indicator_type",
        *TARGET_FIELDS,
        "q1",
        "q2",
        "q3",
        "q4",
        "in_pk",
    )
    indicators = [
        [goal_order.get(r[0]), *r[3:11], r[11], *(_n(v) for v in r[12:15]), r[15]]
        + [_n(v) for v in r[16:20]]
        + [r[20]]
        for r in sorted(indicator_rows, key=lambda r: (goal_order.get(r[0], 0), r[1], r[2]))
    ]
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("position", "id")
        .values_list("id", "kind", "code", "name", "budget", "notes", "rolls_up_id")
    )
    activity_order = {a[0]: i for i, a in enumerate(activities)}
    ai_rows = ActivityIndicator.objects.filter(activity__plan=plan).values_list(
        "activity_id", "position", "id", "name", "measure", *TARGET_FIELDS
    )
    activity_indicators = [
        [activity_order.get(r[0]), r[3], r[4], r[5], *(_n(v) for v in r[6:9]), r[9]]
        for r in sorted(ai_rows, key=lambda r: (activity_order.get(r[0], 0), r[1], r[2]))
    ]
    return _fingerprint(
        [list(g[1:]) for g in goals],
        indicators,
        # A roll-up mark is appended only when set: fingerprints of plans without roll-ups,
        # and so the workbooks downloaded before the column existed, stay as they were.
        [[a[1], a[2], a[3], _n(a[4]), a[5], *([a[6]] if a[6] else [])] for a in activities],
        activity_indicators,
    )
