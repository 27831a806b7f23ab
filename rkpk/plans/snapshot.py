"""The content of a plan as plain data: what a submission freezes, documents print, the
workbook exports and version comparisons read. One shape for all of them."""

from decimal import Decimal

from django.utils import timezone

from rkpk.core.formatting import format_number, format_rupiah
from rkpk.organisation.selectors import is_minister, party_acting, pk_parties
from rkpk.plans.models import TargetKind, UnitPlan
from rkpk.plans.selectors import plan_with_content

SNAPSHOT_VERSION = 1


def _num(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def format_target(obj) -> str:
    """A target as people write it: "85%", "1.250", "80–90", "-5 s.d. 5", "WTP"."""
    kind = obj.target_kind if not isinstance(obj, dict) else obj["kind"]
    get = (lambda k: getattr(obj, f"target_{k}")) if not isinstance(obj, dict) else obj.get
    if kind == TargetKind.QUALITATIVE:
        return get("text") or ""
    if kind == TargetKind.RANGE:
        low, high = get("min"), get("max")
        if low is None and high is None:
            return ""
        if any(end is not None and Decimal(end) < 0 for end in (low, high)):
            # "-5–5" reads as one number: a negative end is written as the goals are
            return f"{format_number(low)} s.d. {format_number(high)}"
        return f"{format_number(low)}–{format_number(high)}"
    value = get("value")
    if value is None:
        return ""
    return f"{format_number(value)}%" if kind == TargetKind.PERCENT else format_number(value)


def format_quarter(value, kind: str, measure: str = "") -> str:
    """A quarterly target with its unit, as the annual target is shown: "25%", "3 Laporan"."""
    if value is None or value == "":
        return ""
    text = format_number(value)
    if kind == TargetKind.PERCENT:
        return f"{text}%"
    return f"{text} {measure}".strip()


def _target(obj) -> dict:
    return {
        "kind": obj.target_kind,
        "value": _num(obj.target_value),
        "min": _num(obj.target_min),
        "max": _num(obj.target_max),
        "text": obj.target_text,
        "display": format_target(obj),
    }


def _party(official, acting: str, expected=None, *, first: bool = True) -> dict | None:
    """A PK party as printed: the person's own name, NIP and rank, and the post held for
    this unit (`position`, without the "Plt."/"Plh." prefix that `acting` carries).

    First party: the unit's head post. Second party: the parent unit's head post, or the
    minister's title for a unit directly under the minister. The person's own post is kept
    as `own_position`.
    """
    if official is None:
        return None
    position = official.position
    if expected is not None:
        minister = expected.unit is None and (
            official.is_state_official or is_minister(official, expected.post)
        )
        if expected.unit is not None or (minister and not first):
            position = expected.post or official.position
        acting = acting or party_acting(expected, official)
    return {
        "official_id": official.pk,
        "name": official.name,
        "nip": official.nip or "",
        "position": position,
        "own_position": official.position,
        "rank": official.rank,
        "unit_id": official.unit_id,
        "acting": acting,
    }


def parties_as_printed(plan: UnitPlan) -> dict:
    """The plan's two PK parties as its documents print them on the signing date (`_party`
    dicts, None where unset): the plan page shows the same post as the PK."""
    expected = pk_parties(plan.unit, signing_date(plan))
    return {
        "first": _party(plan.first_party, plan.first_party_acting, expected[0]),
        "second": _party(plan.second_party, plan.second_party_acting, expected[1], first=False),
    }


def _expected(expected) -> dict:
    official = expected.official
    return {
        "official_id": official.pk if official else None,
        "name": official.name if official else "",
        "post": expected.printed_post,
        "unit_id": expected.unit.pk if expected.unit is not None else None,
        "minister": expected.unit is None,
    }


def signing_date(plan: UnitPlan):
    """The day the PK is taken to be signed: the plan's latest submission, today while it
    is drafted."""
    if not plan.pk or plan.is_editable:
        return timezone.localdate()
    submitted = plan.submissions.order_by("-number").values_list("submitted_at", flat=True).first()
    return timezone.localdate(submitted) if submitted else timezone.localdate()


def total_budget(activities: list[dict]) -> Decimal:
    """Each program's budget once, plus activities outside any program.

    A program row carries the sum of the activity rows that follow it; a program whose
    budget is left at zero counts its activities instead.
    """
    total, program_budget, under_program = Decimal(0), Decimal(0), Decimal(0)
    in_program = False
    for activity in activities:
        budget = Decimal(activity["budget"] or 0)
        if activity["kind"] == "program":
            total += program_budget or under_program
            program_budget, under_program, in_program = budget, Decimal(0), True
        elif in_program:
            under_program += budget
        else:
            total += budget
    return total + (program_budget or under_program)


def own_budget(activities: list[dict]) -> Decimal:
    """The plan's total without its roll-up lines: the money of the unit's own activities.

    The compilation adds this, never `total_budget`, so that a parent's line standing for a
    child unit's plan (`rolls_up`) is not counted on top of the child's own activities. A
    program whose budget was entered loses the roll-up lines under it (never below zero);
    a program left at zero counts its other activities.
    """
    total, program_budget, under_program, rolled = Decimal(0), Decimal(0), Decimal(0), Decimal(0)
    in_program = False

    def program_part():
        if program_budget:
            return max(program_budget - rolled, Decimal(0))
        return under_program

    for activity in activities:
        budget = Decimal(activity["budget"] or 0)
        is_rollup = bool(activity.get("rolls_up"))
        if activity["kind"] == "program":
            total += program_part()
            program_budget, under_program, rolled, in_program = (
                budget,
                Decimal(0),
                Decimal(0),
                True,
            )
        elif in_program:
            if is_rollup:
                rolled += budget
            else:
                under_program += budget
        elif not is_rollup:
            total += budget
    return total + program_part()


def _rolls_up(activity) -> dict | None:
    unit = activity.rolls_up
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _content_loaded(plan: UnitPlan) -> bool:
    """Whether the plan came from plan_with_content (its rows are prefetched)."""
    cache = getattr(plan, "_prefetched_objects_cache", {})
    return "goals" in cache and "activities" in cache


def organisation_values() -> dict:
    from rkpk.organisation.profile import frozen_values

    return frozen_values()


def _indicator_entry(ind) -> dict:
    """One goal indicator as the snapshot keeps it."""
    return {
        "id": ind.pk,
        "code": ind.code,
        "name": ind.name,
        "definition": ind.definition,
        "formula": ind.formula,
        "measure": ind.measure,
        "polarity": ind.polarity,
        "data_source": ind.data_source,
        "type": ind.indicator_type,
        "target": _target(ind),
        "quarters": [_num(q) for q in (ind.q1, ind.q2, ind.q3, ind.q4)],
        "in_pk": ind.in_pk,
        "previous_target": format_target(ind.previous) if ind.previous else "",
        "previous_value": _num(ind.previous.target_value) if ind.previous else None,
    }


def _goal_entry(goal) -> dict:
    """One goal with its indicators."""
    return {
        "id": goal.pk,
        "code": goal.code,
        "text": goal.text,
        "level": goal.level,
        "indicators": [_indicator_entry(ind) for ind in goal.indicators.all()],
    }


def _activity_entry(activity) -> dict:
    """One activity with its budget and indicators."""
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "code": activity.code,
        "name": activity.name,
        "budget": _num(activity.budget),
        "budget_display": format_rupiah(activity.budget),
        "notes": activity.notes,
        "rolls_up": _rolls_up(activity),
        "indicators": [
            {
                "id": ai.pk,
                "name": ai.name,
                "measure": ai.measure,
                "target": _target(ai),
            }
            for ai in activity.indicators.all()
        ],
    }


def plan_snapshot(plan: UnitPlan) -> dict:
    """Everything a reader of the plan needs, with the PK parties' names frozen in."""
    if not _content_loaded(plan):
        plan = plan_with_content(plan.pk)
    goals = [_goal_entry(goal) for goal in plan.goals.all()]
    activities = [_activity_entry(activity) for activity in plan.activities.all()]
    budget_total = total_budget(activities)
    on_date = signing_date(plan)
    expected = pk_parties(plan.unit, on_date)
    return {
        "version": SNAPSHOT_VERSION,
        "year": plan.year,
        "unit": {
            "id": plan.unit_id,
            "code": plan.unit.code,
            "name": plan.unit.name,
            "parent": plan.unit.parent.name if plan.unit.parent else "",
        },
        "parties": {
            "first": _party(plan.first_party, plan.first_party_acting, expected[0]),
            "second": _party(plan.second_party, plan.second_party_acting, expected[1], first=False),
        },
        # Who the records say should sign, on the signing date (the conformity checks).
        "expected_parties": {
            "on": on_date.isoformat(),
            "first": _expected(expected[0]),
            "second": _expected(expected[1]),
        },
        "goals": goals,
        "activities": activities,
        "budget_total": _num(budget_total),
        "budget_total_display": format_rupiah(budget_total),
        "own_budget_total": _num(own_budget(activities)),
        # The organisation as printed (signing city, names), as it stood when submitted.
        "organisation": organisation_values(),
    }
