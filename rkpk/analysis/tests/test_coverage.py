from decimal import Decimal

import pytest

from rkpk.analysis import coverage as cov
from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import Mapping
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.plans.models import Goal, Indicator, UnitPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def compiled(units, role_users):
    """A: 2 indicators → goal 1, 1 → goal 2; B: 1 → goal 1, 1 unmapped; goal 3 none."""
    _period, goals = period_with_goals()
    staff = role_users["staff"]
    a = accepted_plan(units["a"], staff, role_users["unit_operator"], indicators=3)
    b = accepted_plan(units["b"], staff, role_users["operator_b"], indicators=2)
    ia = list(Indicator.objects.filter(plan=a).order_by("position"))
    ib = list(Indicator.objects.filter(plan=b).order_by("position"))
    for ind, goal in ((ia[0], goals[0]), (ia[1], goals[0]), (ia[2], goals[1]), (ib[0], goals[0])):
        Mapping.objects.create(indicator=ind, goal=goal, source="manual", decided_by=staff)
    return analysis_services.compile_year(actor=staff, year=2027)


def test_goals_without_or_with_weak_support(compiled):
    result = cov.coverage(compiled)
    status = {g.code: (g.status, g.indicators) for g in result.goals}
    assert status == {"SS-01": ("supported", 3), "SS-02": ("weak", 1), "SS-03": ("none", 0)}
    assert result.counts["none"] == 1 and result.counts["weak"] == 1
    stricter = cov.coverage(compiled, weak=4)
    assert stricter.goals[0].status == "weak"


def test_units_contributing_and_unmapped(compiled):
    result = cov.coverage(compiled)
    goal1 = result.goals[0]
    assert [(u["code"], u["indicators"]) for u in goal1.units] == [("E1.A", 2), ("E1.B", 1)]
    assert [e["unit_code"] for e in result.unmapped] == ["E1.B"]


def test_budget_split_equally_across_goals_served(compiled):
    result = cov.coverage(compiled)
    budget = {g.code: g.budget for g in result.goals}
    # A (1.5 M) serves goals 1 and 2: 750,000 each; B (1.5 M) serves goal 1 only.
    assert budget == {"SS-01": Decimal(2_250_000), "SS-02": Decimal(750_000), "SS-03": 0}
    assert result.unassigned_budget == 0


def test_targets_lower_than_last_year_flagged(units, role_users):
    _period, goals = period_with_goals(year=2027)
    staff = role_users["staff"]
    last = UnitPlan.objects.create(unit=units["a"], year=2026)
    goal = Goal.objects.create(plan=last, text="Sasaran lalu")
    old = [
        Indicator.objects.create(plan=last, goal=goal, name=f"IK lalu {n}", target_kind="percent",
                                 target_value=90)  # 85 this year: lower
        for n in range(2)
    ]  # fmt: skip
    this = accepted_plan(units["a"], staff, role_users["unit_operator"], indicators=2)
    new = list(Indicator.objects.filter(plan=this).order_by("position"))
    Indicator.objects.filter(pk=new[0].pk).update(previous=old[0])
    Indicator.objects.filter(pk=new[1].pk).update(previous=old[1], polarity="lower")
    map_all(this, goals[0], staff)
    result = cov.coverage(analysis_services.compile_year(actor=staff, year=2027))
    assert [e["id"] for e in result.lower_than_last_year] == [new[0].pk]
    assert result.lower_than_last_year[0]["previous"] == "90%"


def test_charts_geometry(compiled):
    result = cov.coverage(compiled)
    widths = [bar.width for bar in result.chart.bars]
    assert widths[0] == cov.BAR_WIDTH and widths[2] == 0
    assert [b.colour for b in result.chart.bars] == [
        cov.STATUS_COLOURS["supported"], cov.STATUS_COLOURS["weak"], cov.STATUS_COLOURS["none"]
    ]  # fmt: skip
    heat = result.heatmap
    assert len(heat.columns) == 2 and len(heat.rows) == 3
    assert sorted(c.count for c in heat.cells) == [1, 1, 2]
    assert max(c.opacity for c in heat.cells) == 1.0
