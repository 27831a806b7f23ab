from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rkpk.analysis import compilation as comp
from rkpk.analysis import selectors
from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import (
    Compilation,
    Mapping,
    MinistryIndicator,
    MinistryTarget,
    RenstraPeriod,
    StrategicGoal,
)
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.core.models import AuditEvent
from rkpk.plans.models import Activity, Indicator
from rkpk.plans.tests.factories import complete_plan

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def two_plans(units, role_users):
    period, goals = period_with_goals()
    staff = role_users["staff"]
    a = accepted_plan(units["a"], staff, role_users["unit_operator"])
    b = accepted_plan(units["b"], staff, role_users["operator_b"])
    return period, goals, a, b


def mi_row(version, goal_code):
    goal = next(g for g in version.data["goals"] if g["code"] == goal_code)
    return goal["ministry_indicators"][0], goal


def test_compile_groups_mapped_indicators_and_lists_missing_units(two_plans, role_users, units):
    _period, goals, a, b = two_plans
    map_all(a, goals[0], role_users["staff"])
    # b: one indicator mapped to goal 2, the other left unmapped
    first = Indicator.objects.filter(plan=b).first()
    Mapping.objects.create(indicator=first, goal=goals[1], source="manual",
                           decided_by=role_users["staff"])  # fmt: skip
    version = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert version.number == 1
    mi, goal = mi_row(version, "SS-01")
    assert [e["unit_code"] for e in goal["unit_indicators"]] == ["E1.A", "E1.A"]
    assert mi["count"] == 2 and Decimal(mi["value"]) == 170  # 85 + 85, sum
    assert mi["target"] == "81"
    _mi2, goal2 = mi_row(version, "SS-02")
    assert len(goal2["unit_indicators"]) == 1
    assert [e["unit_code"] for e in version.data["unmapped"]] == ["E1.B"]
    # The Eselon I root is expected too and has no plan: allowed, recorded with a warning.
    assert [u["code"] for u in version.missing_units] == ["E1"]
    assert "E1" in version.warnings[0]
    assert version.data["counts"] == {
        "units": 2, "missing": 1, "indicators": 4, "mapped": 3, "unmapped": 1
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="analysis.compile", object_id=str(version.pk)).exists()


def test_budget_totals_count_each_program_once(two_plans, role_users):
    _period, _goals, a, _b = two_plans
    version = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    by_unit = {u["code"]: Decimal(u["budget"]) for u in version.data["units"]}
    assert by_unit == {"E1.A": Decimal(1_500_000), "E1.B": Decimal(1_500_000)}
    assert version.data["budget_by_program"] == [
        {"name": "Program Dukungan", "budget": "3000000", "budget_display": "Rp3.000.000"}
    ]
    assert Decimal(version.data["budget_total"]) == 3_000_000


def test_recompiling_keeps_earlier_versions(two_plans, role_users):
    first = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    second = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert (first.number, second.number) == (1, 2)
    assert list(selectors.compilations(2027).values_list("number", flat=True)) == [2, 1]
    assert Compilation.objects.get(pk=first.pk).data["counts"] == first.data["counts"]


def test_plans_not_accepted_are_not_compiled(units, role_users):
    period_with_goals()
    complete_plan(units["a"], 2027)  # a draft
    version = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert version.data["units"] == []
    assert {u["code"] for u in version.missing_units} == {"E1", "E1.A", "E1.B"}


def test_mapping_to_a_goal_of_another_period_counts_as_unmapped(two_plans, role_users):
    _period, goals, a, _b = two_plans
    old = RenstraPeriod.objects.create(name="Renstra lama", start_year=2015, end_year=2019)
    old_goal = StrategicGoal.objects.create(period=old, code="SS-OLD", text="Sasaran lama")
    map_all(a, old_goal, role_users["staff"], ministry=False)
    version = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert all(not g["unit_indicators"] for g in version.data["goals"])
    assert len(version.data["unmapped"]) == 4
    assert any("another strategic-plan period" in w for w in version.warnings)


@pytest.mark.parametrize(
    "rule, expected",
    [
        ("sum", Decimal(175)),
        ("average", Decimal("87.5")),
        ("min", Decimal(85)),
        ("max", Decimal(90)),
        # weights: A's budget 1.5 M, B's 4.5 M → (85×1.5 + 90×4.5) / 6 = 88.75
        ("weighted", Decimal("88.75")),
        ("latest", Decimal(90)),  # B was accepted last
        ("manual", Decimal(99)),
    ],
)
def test_aggregation_rules(units, role_users, rule, expected):
    _period, goals = period_with_goals(goals=1, aggregation=rule)
    staff = role_users["staff"]
    a = accepted_plan(units["a"], staff, role_users["unit_operator"], indicators=1)
    b = complete_plan(units["b"], 2027, indicators=1)
    Indicator.objects.filter(plan=b).update(target_value=90)
    Activity.objects.filter(plan=b).update(budget=4_500_000)
    from rkpk.plans import services

    services.submit(actor=role_users["operator_b"], plan=b)
    services.accept(actor=staff, plan=b)
    map_all(a, goals[0], staff)
    map_all(b, goals[0], staff)
    MinistryTarget.objects.filter(indicator__goal=goals[0]).update(manual_value=99)
    version = analysis_services.compile_year(actor=staff, year=2027)
    mi, _goal = mi_row(version, "SS-01")
    assert Decimal(mi["value"]) == expected


def test_aggregate_without_numbers_and_without_budget():
    assert comp.aggregate("sum", [])[0] is None
    value, note = comp.aggregate(
        "weighted", [{"value": Decimal(2), "weight": 0}, {"value": Decimal(4), "weight": 0}]
    )
    assert value == 3 and "plain average" in note
    assert comp.aggregate("manual", [], None)[0] is None
    assert comp.numeric_target("range", None, Decimal(80), Decimal(90)) == 85
    assert comp.numeric_target("qualitative", None, None, None) is None


def test_compile_without_period_warns(units, role_users):
    version = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert version.data["period"] is None and version.data["goals"] == []
    assert any("No strategic-plan period" in w for w in version.warnings)


def test_bad_year_refused(role_users, units):
    with pytest.raises(ValidationError):
        analysis_services.compile_year(actor=role_users["staff"], year=1900)


def _queries(year):
    with CaptureQueriesContext(connection) as ctx:
        comp.build_data(year)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units(units, role_users):
    from rkpk.organisation.models import Unit

    _period, goals = period_with_goals()
    staff = role_users["staff"]
    plan = accepted_plan(units["a"], staff, role_users["unit_operator"])
    map_all(plan, goals[0], staff)
    small = _queries(2027)
    for n in range(3):
        unit = Unit.objects.create(code=f"E1.X{n}", name=f"Biro X{n}", level=2,
                                   parent=units["root"])  # fmt: skip
        op = _operator(unit, n)
        more = accepted_plan(unit, staff, op, indicators=3)
        map_all(more, goals[n % 3], staff)
    assert _queries(2027) == small
    assert MinistryIndicator.objects.count() == 3


def _operator(unit, n):
    from rkpk.organisation.models import Role, RoleAssignment, User

    user = User.objects.create_user(username=f"op{n}", password="x-Sandi-2026!")
    RoleAssignment.objects.create(user=user, role=Role.UNIT_OPERATOR, unit=unit)
    return user
