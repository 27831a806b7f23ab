"""Step 4: compile the ministry RK-PK of a year from the units' accepted plans.

`build_data()` reads the live rows of every ACCEPTED plan of the year (accepted plans are
locked, so their rows are what was accepted) in a fixed number of bulk queries, whatever
the number of units:

- the Renstra period covering the year, its strategic goals, their ministry indicators and
  the ministry targets of the year;
- the accepted plans (with the time each was accepted), their indicators with the goal
  mapping, and their programs/activities;
- the expected units (`rkpk.plans.monitoring.units_expected`).

`rkpk.analysis.services.compile_year` stores the consolidated content as a new numbered
`Compilation` (earlier versions are kept). Units still missing are allowed: they are listed
in `missing_units` and a warning says so.

Aggregation of a ministry indicator over the numeric targets of the unit indicators mapped
to it: sum, average, weighted average (weights: the units' total budgets), minimum,
maximum, latest (the target in the most recently accepted plan), or the figure entered by
hand (`MinistryTarget.manual_value`). Qualitative targets take no part; a range counts as
its midpoint.

Each rupiah and each unit indicator is counted once (DESIGN.md §5 "Roll-ups"):

- Budgets add the units' OWN activities (`rkpk.plans.snapshot.own_budget`): a parent's
  roll-up line (`Activity.rolls_up`, standing for a child unit's whole plan) is never added.
  Per parent unit, `reconciliation` compares its roll-up lines with the plan totals of the
  units they roll up and flags differences; an unmarked line that names a unit below and
  carries exactly that unit's plan total is flagged as probable double counting.
- Unit indicators: when a unit and one of its descendants both contribute an indicator to
  the same ministry indicator, the ancestor's figure is taken as a repetition of its
  descendants' and set aside, whatever the aggregation (a sum would count it twice; an
  average, minimum, maximum or latest figure would mix a total with its parts). The
  figures set aside are listed on the ministry indicator (`repeated`).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.analysis import selectors
from rkpk.analysis.goals import format_target as format_ministry_target
from rkpk.analysis.judgement import judge
from rkpk.analysis.models import (
    MinistryIndicator,
    MinistryTarget,
    StrategicGoal,
)
from rkpk.core.formatting import format_number, format_rupiah
from rkpk.organisation.models import Unit
from rkpk.plans import rollups
from rkpk.plans.models import Activity, Indicator, Submission, TargetKind, UnitPlan
from rkpk.plans.monitoring import units_expected
from rkpk.plans.snapshot import format_target, own_budget, total_budget

NO_PROGRAM = "—"
Agg = MinistryIndicator.Aggregation


def _num(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def numeric_target(kind: str, value, low, high) -> Decimal | None:
    """The number a target stands for: its value, a range's midpoint, nothing if qualitative."""
    if kind == TargetKind.QUALITATIVE:
        return None
    if kind == TargetKind.RANGE:
        if low is not None and high is not None:
            return (Decimal(low) + Decimal(high)) / 2
        return Decimal(low if low is not None else high) if (low or high) is not None else None
    return None if value is None else Decimal(value)


def aggregate(rule: str, items: list[dict], manual=None) -> tuple[Decimal | None, str]:
    """(value, note) of a ministry indicator. `items`: {"value": Decimal, "weight": Decimal,
    "accepted_at": str} per mapped unit indicator with a numeric target."""
    if rule == Agg.MANUAL:
        return (None if manual is None else Decimal(manual)), (
            "" if manual is not None else _("No figure entered by hand yet.")
        )
    values = [i["value"] for i in items if i["value"] is not None]
    if not values:
        return None, _("No mapped unit indicator with a numeric target.")
    if rule == Agg.SUM:
        return sum(values, Decimal(0)), ""
    if rule == Agg.AVERAGE:
        return sum(values, Decimal(0)) / len(values), ""
    if rule == Agg.MINIMUM:
        return min(values), ""
    if rule == Agg.MAXIMUM:
        return max(values), ""
    if rule == Agg.LATEST:
        latest = max(
            (i for i in items if i["value"] is not None),
            key=lambda i: (i.get("accepted_at") or "", i.get("id") or 0),
        )
        return latest["value"], ""
    if rule == Agg.WEIGHTED:
        pairs = [
            (i["value"], Decimal(i.get("weight") or 0)) for i in items if i["value"] is not None
        ]
        weight = sum((w for _v, w in pairs), Decimal(0))
        if not weight:
            return sum(values, Decimal(0)) / len(values), _(
                "The units have no budget: plain average."
            )
        return sum((v * w for v, w in pairs), Decimal(0)) / weight, ""
    raise ValueError(f"unknown aggregation {rule!r}")


def judge_target(mi: MinistryIndicator, target, value, contributors: int):
    """The verdict on a ministry indicator's compiled figure (rkpk.analysis.judgement)."""
    return judge(
        polarity=mi.polarity,
        figure=value,
        value=target.value if target else None,
        min_value=target.min_value if target else None,
        max_value=target.max_value if target else None,
        text=target.text if target else "",
        has_target=target is not None,
        contributors=None if mi.aggregation == Agg.MANUAL else contributors,
    )


def _display(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_number(value.quantize(Decimal("0.01")) if value != value.to_integral() else value)


def build_data(year: int) -> tuple[dict, list[dict], list[str]]:
    """(data, missing units, warnings) of the year: the content of a compilation."""
    warnings: list[str] = []
    period, goals, ministry_indicators, targets = _goals_of_year(year, warnings)
    plans, activities_by_plan = _accepted_plans(year)
    units, program_totals = _unit_budgets(plans, activities_by_plan)
    tree = {
        u["id"]: u for u in Unit.objects.values("id", "parent_id", "code", "name", "short_name")
    }
    parents = {uid: u["parent_id"] for uid, u in tree.items()}
    reconciliation = _reconcile(plans, units, activities_by_plan, tree, parents)
    _warn_reconciliation(reconciliation, warnings)
    by_goal, by_mi, unmapped = _unit_indicators(units, goals, ministry_indicators, warnings)
    goal_rows = _goal_rows(goals, ministry_indicators, targets, by_goal, by_mi, parents)
    missing = _missing_units(year, units, warnings)
    data = _content(
        year=year,
        period=period,
        units=units,
        reconciliation=reconciliation,
        goal_rows=goal_rows,
        unmapped=unmapped,
        program_totals=program_totals,
        missing=missing,
    )
    return data, missing, warnings


def _goals_of_year(year: int, warnings: list[str]):
    """(period, its goals, their ministry indicators, the year's targets by indicator)."""
    period = selectors.period_for_year(year)
    goals = (
        list(StrategicGoal.objects.filter(period=period).order_by("sort_order", "code"))
        if (period)
        else []
    )
    ministry_indicators = list(
        MinistryIndicator.objects.filter(goal__in=goals).order_by("goal", "sort_order", "code")
    )
    targets = {
        t.indicator_id: t
        for t in MinistryTarget.objects.filter(indicator__in=ministry_indicators, year=year)
    }
    if period is None:
        warnings.append(_("No strategic-plan period covers %(year)s.") % {"year": year})

    return period, goals, ministry_indicators, targets


def _accepted_plans(year: int) -> tuple[list[dict], dict[int, list[dict]]]:
    """The year's accepted plans (with when each was accepted) and their activities."""
    accepted_at = (
        Submission.objects.filter(plan=OuterRef("pk"), decision=Submission.Decision.ACCEPTED)
        .order_by()
        .values("plan")
        .annotate(at=Max("decided_at"))
        .values("at")
    )
    plans = list(
        UnitPlan.objects.filter(year=year, status=UnitPlan.Status.ACCEPTED)
        .annotate(accepted_at=Subquery(accepted_at))
        .order_by("unit__sort_order", "unit__code")
        .values("id", "unit_id", "unit__code", "unit__name", "unit__sort_order", "accepted_at")
    )
    plan_ids = [p["id"] for p in plans]
    activities_by_plan: dict[int, list[dict]] = defaultdict(list)
    for row in (
        Activity.objects.filter(plan_id__in=plan_ids)
        .order_by("plan_id", "position", "id")
        .values_list("plan_id", "kind", "name", "budget", "rolls_up_id")
    ):
        activities_by_plan[row[0]].append(
            {"kind": row[1], "name": row[2], "budget": row[3], "rolls_up": row[4]}
        )

    return plans, activities_by_plan


def _unit_budgets(plans, activities_by_plan) -> tuple[dict, dict[str, Decimal]]:
    """(each plan's unit with its own budget and plan total, budget per program)."""
    units = {}
    program_totals: dict[str, Decimal] = defaultdict(Decimal)
    for plan in plans:
        activities = activities_by_plan.get(plan["id"], [])
        budget = own_budget(activities)  # the unit's own money: roll-up lines left out
        for name, amount in _program_budgets(activities):
            program_totals[name] += amount
        units[plan["id"]] = {
            "id": plan["unit_id"],
            "code": plan["unit__code"],
            "name": plan["unit__name"],
            "plan_id": plan["id"],
            "accepted_at": plan["accepted_at"].isoformat() if plan["accepted_at"] else "",
            "budget": budget,
            "plan_total": total_budget(activities),
        }
    return units, program_totals


def _warn_reconciliation(reconciliation: list[dict], warnings: list[str]) -> None:
    for rec in reconciliation:
        if rec["differences"]:
            warnings.append(
                _(
                    "%(unit)s: %(n)s roll-up lines differ from the plans they roll up, or "
                    "those plans are not accepted yet (see the reconciliation)."
                )
                % {"unit": rec["code"], "n": rec["differences"]}
            )
        if rec["suspects"]:
            warnings.append(
                _(
                    "%(unit)s: %(n)s lines name a unit below and carry exactly its plan total "
                    "(%(amount)s) but are not marked as roll-ups: probable double counting. "
                    "Mark them in the plan as rolling up that unit."
                )
                % {
                    "unit": rec["code"],
                    "n": rec["suspects"],
                    "amount": rec["suspect_total_display"],
                }
            )


def _unit_indicators(units: dict, goals, ministry_indicators, warnings: list[str]):
    """(unit indicators by goal, numeric figures by ministry indicator, unmapped ones)."""
    plan_ids = list(units)
    goal_ids = {g.pk for g in goals}
    mi_ids = {m.pk for m in ministry_indicators}
    by_goal: dict[int, list[dict]] = defaultdict(list)
    by_mi: dict[int, list[dict]] = defaultdict(list)
    unmapped: list[dict] = []
    other_period = 0
    rows = (
        Indicator.objects.filter(plan_id__in=plan_ids)
        .order_by("plan__unit__sort_order", "plan__unit__code", "goal__position", "position", "id")
        .values_list(
            "id", "plan_id", "code", "name", "measure", "polarity", "in_pk",
            "target_kind", "target_value", "target_min", "target_max", "target_text",
            "goal__text", "previous__target_kind", "previous__target_value",
            "previous__target_min", "previous__target_max", "previous__target_text",
            "mapping__goal_id", "mapping__ministry_indicator_id",
        )
    )  # fmt: skip
    for (
        ind_id, plan_id, code, name, measure, polarity, in_pk, kind, value, low, high, text,
        unit_goal, p_kind, p_value, p_low, p_high, p_text, goal_id, mi_id,
    ) in rows:  # fmt: skip
        unit = units[plan_id]
        number = numeric_target(kind, value, low, high)
        entry = _unit_entry(
            unit, ind_id, code, name, measure, polarity, in_pk, unit_goal,
            {"kind": kind, "value": value, "min": low, "max": high, "text": text},
            {"kind": p_kind, "value": p_value, "min": p_low, "max": p_high, "text": p_text},
            mi_id if mi_id in mi_ids else None,
        )  # fmt: skip
        if goal_id is None:
            unmapped.append(entry)
            continue
        if goal_id not in goal_ids:
            other_period += 1
            unmapped.append(entry)
            continue
        by_goal[goal_id].append(entry)
        if entry["ministry_indicator_id"]:
            by_mi[mi_id].append(
                {
                    "id": ind_id,
                    "value": number,
                    # The unit's plan as a whole (roll-up lines included) weighs its figure:
                    # a parent whose money sits in its units' plans still has weight.
                    "weight": unit["plan_total"],
                    "accepted_at": unit["accepted_at"],
                    "unit_id": unit["id"],
                    "unit_code": unit["code"],
                }
            )
    if other_period:
        warnings.append(
            _(
                "%(n)s unit indicators are mapped to a goal of another strategic-plan period "
                "and are listed as unmapped."
            )
            % {"n": other_period}
        )
    if unmapped:
        warnings.append(
            _("%(n)s unit indicators serve no strategic goal yet.") % {"n": len(unmapped)}
        )

    return by_goal, by_mi, unmapped


def _unit_entry(
    unit, ind_id, code, name, measure, polarity, in_pk, unit_goal, target, previous, mi_id
) -> dict:
    """A unit indicator as the compilation lists it, with its target and last year's."""
    number = numeric_target(target["kind"], target["value"], target["min"], target["max"])
    before = (
        numeric_target(previous["kind"], previous["value"], previous["min"], previous["max"])
        if previous["kind"] is not None
        else None
    )
    return {
        "id": ind_id,
        "unit_id": unit["id"],
        "unit_code": unit["code"],
        "unit_name": unit["name"],
        "code": code,
        "name": name,
        "unit_goal": unit_goal,
        "measure": measure,
        "polarity": polarity,
        "in_pk": in_pk,
        "target": format_target(target),
        "value": _num(number),
        "previous": format_target(previous) if previous["kind"] is not None else "",
        "previous_value": _num(before),
        "ministry_indicator_id": mi_id,
    }


def _goal_rows(goals, ministry_indicators, targets, by_goal, by_mi, parents) -> list[dict]:
    """Each goal with its ministry indicators (aggregated and judged) and unit indicators."""
    goal_rows = []
    for goal in goals:
        indicators = []
        for mi in (m for m in ministry_indicators if m.goal_id == goal.pk):
            target = targets.get(mi.pk)
            counted, repeated = once_per_unit_line(by_mi.get(mi.pk, []), parents)
            value, note = aggregate(
                mi.aggregation, counted, target.manual_value if target else None
            )
            indicators.append(
                {
                    "id": mi.pk,
                    "code": mi.code,
                    "name": mi.name,
                    "measure": mi.measure,
                    "aggregation": mi.aggregation,
                    "aggregation_label": str(Agg(mi.aggregation).label),
                    "target": format_ministry_target(target),
                    "target_value": _num(target.value) if target else None,
                    "target_min": _num(target.min_value) if target else None,
                    "target_max": _num(target.max_value) if target else None,
                    "polarity": mi.polarity,
                    "polarity_label": str(MinistryIndicator.Polarity(mi.polarity).label),
                    "perspective": mi.perspective,
                    "verdict": judge_target(mi, target, value, len(counted)).as_dict(),
                    "value": _num(value),
                    "value_display": _display(value),
                    "count": len(counted),
                    "repeated": sorted({i["unit_code"] for i in repeated}),
                    "repeated_count": len(repeated),
                    "note": note,
                }
            )
        goal_rows.append(
            {
                "id": goal.pk,
                "code": goal.code,
                "text": goal.text,
                "ministry_indicators": indicators,
                "unit_indicators": by_goal.get(goal.pk, []),
            }
        )

    return goal_rows


def _missing_units(year: int, units: dict, warnings: list[str]) -> list[dict]:
    plan_unit_ids = {u["id"] for u in units.values()}
    missing = [
        {"id": u.pk, "code": u.code, "name": u.name}
        for u in units_expected(year).order_by("sort_order", "code")
        if u.pk not in plan_unit_ids
    ]
    if missing:
        warnings.insert(
            0,
            _("%(n)s expected units have no accepted plan yet: %(codes)s.")
            % {"n": len(missing), "codes": ", ".join(u["code"] for u in missing)},
        )
    return missing


def _content(
    *, year, period, units, reconciliation, goal_rows, unmapped, program_totals, missing
) -> dict:
    grand_total = sum((u["budget"] for u in units.values()), Decimal(0))
    rolled_up = sum((r["rollup_total"] for r in reconciliation), Decimal(0))
    data = {
        "year": year,
        "period": (
            {
                "id": period.pk,
                "name": period.name,
                "start": period.start_year,
                "end": period.end_year,
            }
            if period
            else None
        ),  # fmt: skip
        "compiled_at": timezone.now().isoformat(),
        "units": [
            {
                **u,
                "budget": _num(u["budget"]),
                "budget_display": format_rupiah(u["budget"]),
                "plan_total": _num(u["plan_total"]),
                "plan_total_display": format_rupiah(u["plan_total"]),
            }
            for u in units.values()
        ],
        "reconciliation": [_rec_json(r) for r in reconciliation],
        "rolled_up_total": _num(rolled_up),
        "rolled_up_total_display": format_rupiah(rolled_up),
        "goals": goal_rows,
        "unmapped": unmapped,
        "budget_by_program": [
            {"name": name, "budget": _num(amount), "budget_display": format_rupiah(amount)}
            for name, amount in sorted(program_totals.items())
        ],
        "budget_total": _num(grand_total),
        "budget_total_display": format_rupiah(grand_total),
        "counts": {
            "units": len(units),
            "missing": len(missing),
            "indicators": sum(len(g["unit_indicators"]) for g in goal_rows) + len(unmapped),
            "mapped": sum(len(g["unit_indicators"]) for g in goal_rows),
            "unmapped": len(unmapped),
        },
    }
    return data


def _program_budgets(activities: list[dict]) -> list[tuple[str, Decimal]]:
    """(program name, budget) per program of a plan, each program counted once (its own
    budget, or its activities' when left at zero); activities outside a program under "—".
    Roll-up lines are left out, as in `own_budget`."""
    result: list[tuple[str, Decimal]] = []
    name, group = None, []
    for activity in activities:
        if activity["kind"] == "program":
            if name is not None:
                result.append((name, own_budget(group)))
            name, group = " ".join(str(activity["name"]).split()), [activity]
        elif name is not None:
            group.append(activity)
        elif not activity.get("rolls_up"):
            result.append((NO_PROGRAM, Decimal(activity["budget"] or 0)))
    if name is not None:
        result.append((name, own_budget(group)))
    return result


def once_per_unit_line(items: list[dict], parents: dict) -> tuple[list[dict], list[dict]]:
    """(counted, repeated) figures of one ministry indicator.

    Rule: when a unit and one of its descendants (child, grandchild, …) both contribute an
    indicator to the same ministry indicator, the ancestor's figure repeats its
    descendants' and is not counted; every other figure is counted once."""
    contributing = {i.get("unit_id") for i in items}
    above = set()
    for unit_id in contributing:
        above.update(rollups.ancestors(unit_id, parents))
    counted = [i for i in items if i.get("unit_id") not in above]
    repeated = [i for i in items if i.get("unit_id") in above]
    return counted, repeated


def _reconcile(plans, units, activities_by_plan, tree, parents) -> list[dict]:
    """Per parent unit with roll-up lines (or lines that look like unmarked ones): each line
    against the plan total of the unit it rolls up (its accepted plan of the year)."""
    plan_of_unit = {units[p["id"]]["id"]: units[p["id"]] for p in plans}
    below_of: dict[int, list[int]] = defaultdict(list)
    for uid in tree:
        for ancestor in rollups.ancestors(uid, parents):
            below_of[ancestor].append(uid)
    result = []
    for plan in plans:
        unit = units[plan["id"]]
        below = [uid for uid in below_of.get(unit["id"], []) if uid in plan_of_unit]
        lines, suspects = [], []
        for activity in activities_by_plan.get(plan["id"], []):
            budget = Decimal(activity["budget"] or 0)
            target = activity.get("rolls_up")
            if target:
                child = tree.get(target, {})
                child_plan = plan_of_unit.get(target)
                total = child_plan["plan_total"] if child_plan else None
                lines.append(
                    {
                        "name": activity["name"],
                        "unit_code": child.get("code", ""),
                        "unit_name": child.get("name", ""),
                        "budget": budget,
                        "plan_total": total,
                        "difference": None if total is None else budget - total,
                        "status": (
                            "no_plan" if total is None else "ok" if budget == total else "differs"
                        ),
                    }
                )
                continue
            if activity["kind"] == "program" or not budget:
                continue
            for uid in below:
                child_plan = plan_of_unit.get(uid)
                if (
                    child_plan
                    and child_plan["plan_total"] == budget
                    and rollups.names_unit(activity["name"], tree[uid])
                ):
                    suspects.append(
                        {
                            "name": activity["name"],
                            "unit_code": tree[uid]["code"],
                            "unit_name": tree[uid]["name"],
                            "budget": budget,
                        }
                    )
                    break
        if not lines and not suspects:
            continue
        rolled = {line["unit_code"] for line in lines}
        not_rolled = [
            {"code": child["code"], "name": child["name"], "plan_total": child["plan_total"]}
            for uid, child in plan_of_unit.items()
            if parents.get(uid) == unit["id"] and child["code"] not in rolled
        ]
        result.append(
            {
                "unit_id": unit["id"],
                "code": unit["code"],
                "name": unit["name"],
                "lines": lines,
                "suspects": len(suspects),
                "suspect_lines": suspects,
                "suspect_total": sum((s["budget"] for s in suspects), Decimal(0)),
                "suspect_total_display": format_rupiah(
                    sum((s["budget"] for s in suspects), Decimal(0))
                ),
                "children_not_rolled_up": not_rolled,
                "differences": sum(1 for line in lines if line["status"] != "ok"),
                "rollup_total": sum((line["budget"] for line in lines), Decimal(0)),
            }
        )
    return result


def _rec_json(rec: dict) -> dict:
    """A reconciliation as stored in the compilation: numbers as strings, rupiah displayed."""

    def money(value):
        return {"value": _num(value), "display": "" if value is None else format_rupiah(value)}

    return {
        **rec,
        "lines": [
            {
                **line,
                "budget": money(line["budget"]),
                "plan_total": money(line["plan_total"]),
                "difference": money(line["difference"]),
            }
            for line in rec["lines"]
        ],
        "suspect_lines": [{**s, "budget": money(s["budget"])} for s in rec["suspect_lines"]],
        "suspect_total": _num(rec["suspect_total"]),
        "children_not_rolled_up": [
            {**c, "plan_total": money(c["plan_total"])} for c in rec["children_not_rolled_up"]
        ],
        "rollup_total": money(rec["rollup_total"]),
    }
