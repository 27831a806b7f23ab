"""Helpers for the review tests (this module holds no tests): a plan that passes the
blocking checks, and the officials who are its PK parties."""

from decimal import Decimal

from django.urls import reverse

from rkpk.organisation.models import Official
from rkpk.plans import services
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan

YEAR = 2027


def make_officials(units) -> dict[str, Official]:
    return {
        "head": Official.objects.create(
            name="Budi Santoso", nip="197001012000031001", position="Kepala Biro A",
            unit=units["a"],
        ),
        "superior": Official.objects.create(
            name="Siti Rahayu", nip="196801012000032002", position="Sekretaris Uji",
            unit=units["root"],
        ),
    }  # fmt: skip


def make_plan(unit, officials, *, year: int = YEAR, indicators: int = 2) -> UnitPlan:
    """A complete plan: one goal with `indicators` indicators, a program and an activity."""
    plan = UnitPlan.objects.create(
        unit=unit,
        year=year,
        first_party=officials["head"],
        second_party=officials["superior"],
    )
    goal = Goal.objects.create(
        plan=plan, position=1, code="S1", text="Meningkatnya akuntabilitas kinerja unit"
    )
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            goal=goal,
            position=n,
            code=f"IK{n}",
            name=f"Persentase laporan kinerja tepat waktu nomor {n}",
            definition="Laporan yang disampaikan sebelum batas waktu",
            data_source="Arsip biro",
            measure="Persen",
            target_kind="percent",
            target_value=Decimal(80 + n % 20),
        )
        for n in range(1, indicators + 1)
    )
    Activity.objects.create(
        plan=plan, position=1, kind="program", code="P1", name="Program Dukungan",
        budget=Decimal(1_500_000),
    )  # fmt: skip
    activity = Activity.objects.create(
        plan=plan, position=2, kind="activity", code="K1", name="Penyusunan laporan",
        budget=Decimal(1_500_000),
    )  # fmt: skip
    ActivityIndicator.objects.create(
        activity=activity, name="Laporan kinerja", measure="Laporan", target_kind="number",
        target_value=4,
    )  # fmt: skip
    return plan


def submitted_plan(units, officials, submitter, **kwargs) -> UnitPlan:
    plan = make_plan(units["a"], officials, **kwargs)
    services.submit(actor=submitter, plan=plan)
    plan.refresh_from_db()
    return plan


def url(name: str, plan: UnitPlan, *args) -> str:
    return reverse(f"plans:{name}", args=[plan.unit.code, plan.year, *args])
