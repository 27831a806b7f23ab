"""Small builders for plan tests: a plan that passes every blocking check, in a few lines."""

from decimal import Decimal

from rkpk.organisation.models import Official
from rkpk.plans import services
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan


def complete_plan(unit, year: int = 2027, *, indicators: int = 2, actor=None) -> UnitPlan:
    """A plan with goals, indicators, a program with an activity, and both PK parties."""
    plan = UnitPlan.objects.create(unit=unit, year=year)
    head = Official.objects.create(
        name=f"Kepala {unit.code}",
        nip=f"19700101200001{unit.pk:04d}"[:18],
        position="Kepala",
        unit=unit,
    )
    boss = Official.objects.create(
        name=f"Atasan {unit.code}",
        nip=f"19650101199001{unit.pk:04d}"[:18],
        position="Deputi",
        unit=unit.parent,
    )
    plan.first_party, plan.second_party = head, boss
    plan.save()
    goal = Goal.objects.create(
        plan=plan, position=1, code="S1", text="Meningkatnya kualitas layanan"
    )
    for n in range(1, indicators + 1):
        Indicator.objects.create(
            plan=plan,
            goal=goal,
            position=n,
            code=f"IK{n}",
            name=f"Persentase layanan tepat waktu {n}",
            definition="Layanan selesai sesuai standar waktu",
            data_source="Laporan bulanan",
            measure="Persen",
            target_kind="percent",
            target_value=Decimal("85"),
        )
    program = Activity.objects.create(
        plan=plan, position=1, kind="program", name="Program Dukungan", budget=Decimal("1500000")
    )
    activity = Activity.objects.create(
        plan=plan, position=2, kind="activity", name="Kegiatan A", budget=Decimal("1500000")
    )
    ActivityIndicator.objects.create(
        activity=activity, name="Jumlah laporan", measure="Laporan", target_value=Decimal(12)
    )
    assert program.budget == activity.budget
    return plan


__all__ = ["complete_plan", "services"]
