"""Builders for the compilation and coverage tests: a period with goals and ministry
indicators, and accepted plans with mapped indicators, in a few lines."""

from decimal import Decimal

from rkpk.analysis.models import (
    Mapping,
    MinistryIndicator,
    MinistryTarget,
    RenstraPeriod,
    StrategicGoal,
)
from rkpk.plans import services
from rkpk.plans.models import Indicator, UnitPlan
from rkpk.plans.tests.factories import complete_plan


def period_with_goals(year: int = 2027, goals: int = 3, aggregation: str = "sum"):
    period = RenstraPeriod.objects.create(
        name=f"Renstra {year - 2}–{year + 2}", start_year=year - 2, end_year=year + 2
    )
    made = []
    for n in range(1, goals + 1):
        goal = StrategicGoal.objects.create(
            period=period, code=f"SS-{n:02d}", text=f"Sasaran strategis {n}", sort_order=n
        )
        mi = MinistryIndicator.objects.create(
            goal=goal, code=f"IKU-{n}", name=f"Indikator kementerian {n}", measure="Persen",
            aggregation=aggregation,
        )  # fmt: skip
        MinistryTarget.objects.create(indicator=mi, year=year, value=Decimal(80 + n))
        made.append(goal)
    return period, made


def accepted_plan(unit, reviewer, operator, year: int = 2027, indicators: int = 2) -> UnitPlan:
    plan = complete_plan(unit, year, indicators=indicators)
    services.submit(actor=operator, plan=plan)
    services.accept(actor=reviewer, plan=plan)
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.ACCEPTED
    return plan


def map_all(plan, goal, actor, *, ministry: bool = True):
    mi = goal.indicators.first() if ministry else None
    Mapping.objects.bulk_create(
        Mapping(indicator=ind, goal=goal, ministry_indicator=mi, source="manual",
                decided_by=actor)
        for ind in Indicator.objects.filter(plan=plan)
    )  # fmt: skip
