"""Demo plans for `rkpk seed_demo`, and generated organisations at scale for benchmarks.

Everything here goes through bulk inserts: 200 units × 50 indicators × 5 years is
50,000 indicators and must load in well under a minute.
"""

import random
from decimal import Decimal

from django.utils import timezone

from rkpk.organisation.models import Official, Role, Unit, User
from rkpk.plans.checks import run_checks
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    Submission,
    UnitPlan,
)
from rkpk.plans.snapshot import plan_snapshot

GOAL_TEXTS = [
    "Meningkatnya kualitas dukungan administrasi",
    "Meningkatnya akuntabilitas kinerja dan keuangan",
    "Meningkatnya kualitas layanan kepada pimpinan",
    "Meningkatnya kompetensi sumber daya manusia",
    "Meningkatnya pemanfaatan teknologi informasi",
    "Terselenggaranya koordinasi yang efektif",
]
INDICATOR_TEXTS = [
    ("Persentase layanan yang diselesaikan tepat waktu", "Persen", "percent", 90),
    ("Jumlah laporan kinerja yang disusun", "Laporan", "number", 12),
    ("Indeks kepuasan pengguna layanan", "Indeks", "number", 3.5),
    ("Persentase rekomendasi yang ditindaklanjuti", "Persen", "percent", 80),
    ("Jumlah rancangan peraturan yang diselesaikan", "Peraturan", "number", 25),
    ("Persentase pegawai yang mengikuti pengembangan kompetensi", "Persen", "percent", 75),
    ("Nilai evaluasi akuntabilitas kinerja", "Predikat", "qualitative", "BB"),
    ("Jumlah sistem informasi yang dikembangkan", "Sistem", "number", 3),
]


def _fill_plan(plan: UnitPlan, n_indicators: int, rng: random.Random, previous: dict | None):
    """Goals (one per five indicators), indicators, one program and its activities."""
    n_goals = max(1, n_indicators // 5)
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, position=g + 1, code=f"S{g + 1}", text=GOAL_TEXTS[g % len(GOAL_TEXTS)]
             + (f" ({g // len(GOAL_TEXTS) + 1})" if g >= len(GOAL_TEXTS) else ""))
        for g in range(n_goals)
    )  # fmt: skip
    indicators = []
    for i in range(n_indicators):
        name, measure, kind, value = INDICATOR_TEXTS[i % len(INDICATOR_TEXTS)]
        code = f"IK{i + 1}"
        qualitative = kind == "qualitative"
        target = None if qualitative else Decimal(str(value)) + rng.randint(0, 5)
        indicators.append(
            Indicator(
                plan=plan,
                goal=goals[i % n_goals],
                position=i // n_goals + 1,
                code=code,
                name=f"{name} {i + 1}" if i >= len(INDICATOR_TEXTS) else name,
                definition=f"Definisi operasional {name.lower()}",
                formula="Realisasi / target × 100%" if kind == "percent" else "",
                measure=measure,
                data_source="Laporan unit kerja",
                indicator_type="outcome" if i % 3 else "output",
                target_kind=kind,
                target_value=target,
                target_text=value if qualitative else "",
                in_pk=i % 4 != 3,
                previous=(previous or {}).get(code),
            )
        )
    created = Indicator.objects.bulk_create(indicators)
    n_activities = max(1, n_indicators // 10)
    budgets = [Decimal(rng.randint(5, 300) * 10_000_000) for _ in range(n_activities)]
    activities = [
        Activity(plan=plan, position=1, kind="program", code="PRG", name="Program Dukungan "
                 "Manajemen dan Pelaksanaan Tugas Teknis", budget=sum(budgets))
    ] + [
        Activity(plan=plan, position=a + 2, kind="activity", code=f"K{a + 1}",
                 name=f"Kegiatan pendukung {a + 1}", budget=budgets[a])
        for a in range(n_activities)
    ]  # fmt: skip
    activities = Activity.objects.bulk_create(activities)
    ActivityIndicator.objects.bulk_create(
        ActivityIndicator(activity=a, position=1, name=f"Jumlah keluaran {a.name.lower()}",
                          measure="Laporan", target_value=Decimal(rng.randint(1, 24)))
        for a in activities[1:]
    )  # fmt: skip
    return {i.code: i for i in created}


def _minister() -> Official | None:
    """The official of the minister's account: the second party of units under the minister."""
    user = (
        User.objects.filter(role_assignments__role=Role.MINISTER, official__isnull=False)
        .select_related("official")
        .order_by("pk")
        .first()
    )
    return user.official if user else None


def _set_parties(plan: UnitPlan, heads: dict, minister: Official | None = None) -> None:
    plan.first_party = heads.get(plan.unit_id)
    plan.second_party = heads.get(plan.unit.parent_id) if plan.unit.parent_id else minister
    plan.save(update_fields=["first_party", "second_party"])


def _submit(plan: UnitPlan, user, decision: str, decider=None) -> None:
    now = timezone.now()
    snapshot = plan_snapshot(plan)
    Submission.objects.create(
        plan=plan,
        number=1,
        snapshot=snapshot,
        checks=run_checks(snapshot),
        submitted_by=user,
        submitted_at=now,
        decision=decision,
        decided_by=decider,
        decided_at=now if decider else None,
    )


def generate(
    *,
    units: list[Unit],
    indicators: int,
    years: list[int],
    submitter,
    reviewer,
    seed: int = 7,
    states: dict[str, str] | None = None,
) -> int:
    """Plans for every unit and year; past years accepted, the last year in mixed states."""
    rng = random.Random(seed)
    heads = {}
    for official in Official.objects.filter(unit__in=units).order_by("pk"):
        heads.setdefault(official.unit_id, official)
    minister = _minister()
    made = 0
    previous_by_unit: dict[int, dict] = {}
    for year in sorted(years):
        last = year == max(years)
        for index, unit in enumerate(units):
            if UnitPlan.objects.filter(unit=unit, year=year).exists():
                continue
            state = (
                UnitPlan.Status.ACCEPTED
                if not last
                else [
                    UnitPlan.Status.ACCEPTED,
                    UnitPlan.Status.SUBMITTED,
                    UnitPlan.Status.DRAFT,
                    UnitPlan.Status.CLARIFICATION,
                    UnitPlan.Status.ACCEPTED,
                ][index % 5]
            )
            state = (states or {}).get(unit.code, state) if last else state
            if last and index % 7 == 6 and unit.code not in (states or {}):
                continue  # a unit that has not started: the board shows it as missing
            plan = UnitPlan.objects.create(unit=unit, year=year, status=state)
            previous_by_unit[unit.pk] = _fill_plan(
                plan, indicators, rng, previous_by_unit.get(unit.pk)
            )
            plan.unit = unit
            _set_parties(plan, heads, minister)
            if state != UnitPlan.Status.DRAFT:
                decision = {
                    UnitPlan.Status.ACCEPTED: Submission.Decision.ACCEPTED,
                    UnitPlan.Status.CLARIFICATION: Submission.Decision.CLARIFICATION,
                }.get(state, Submission.Decision.PENDING)
                decider = reviewer if decision != Submission.Decision.PENDING else None
                _submit(plan, submitter, decision, decider)
            made += 1
    return made


def generate_organisation(count: int) -> list[Unit]:
    """`count` synthetic units: Eselon I units of ten, each heading nine Eselon II units."""
    units = []
    parent = None
    for n in range(count):
        if n % 10 == 0:
            parent = Unit.objects.create(
                code=f"GEN{n // 10 + 1:02d}",
                name=f"Satuan Organisasi Contoh {n // 10 + 1}",
                level=1,
                head_position=f"Kepala Satuan Organisasi Contoh {n // 10 + 1}",
                sort_order=10_000 + n,
            )
            units.append(parent)
            continue
        units.append(
            Unit(
                code=f"{parent.code}.{n % 10:02d}",
                name=f"Biro Contoh {n // 10 + 1}.{n % 10}",
                level=2,
                parent=parent,
                head_position=f"Kepala Biro Contoh {n // 10 + 1}.{n % 10}",
                sort_order=10_000 + n,
            )
        )
    children = Unit.objects.bulk_create([u for u in units if u.pk is None])
    created = [u for u in units if u.level == 1] + children
    Official.objects.bulk_create(
        Official(
            name=f"Pejabat {unit.code}",
            nip=f"19{70 + i % 25:02d}0101{2000 + i % 20}01{1 + i % 2}{i % 1000:03d}",
            position=unit.head_position,
            rank="Pembina Utama Muda (IV/c)",
            unit=unit,
        )
        for i, unit in enumerate(created)
    )
    return created
