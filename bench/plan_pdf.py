"""Benchmark: a unit's PK (and RK) as PDF and DOCX. `python -m bench.plan_pdf [--indicators N]`.

Target (issue 3): a unit's PK as PDF under 1 s. Seeds one plan with ~50 indicators on a
fresh temporary SQLite database (or DATABASE_URL), then times `render_plan_document` from
the plan (snapshot included, as the download view does). Prints figures; asserts nothing.
`--out DIR` also writes the rendered files there, to look at.
"""

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from bench.__main__ import report, setup_django, timed


def seed_plan(indicators: int = 50, goals: int = 10, activities: int = 12):
    """A unit with both PK parties and a plan of `indicators` indicators over `goals` goals."""
    from rkpk.organisation.models import Official, Unit
    from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan

    parent = Unit.objects.create(code="BENCH", name="Deputi Bidang Pengawasan", level=1)
    unit = Unit.objects.create(
        code="BENCH.AKUN", name="Biro Akuntabilitas Kinerja", level=2, parent=parent
    )
    head = Official.objects.create(
        name="Dr. Ratna Dewi Kusumawardhani, S.E., M.Si.",
        nip="197305122000032001",
        position="Kepala Biro Akuntabilitas Kinerja",
        unit=unit,
    )
    boss = Official.objects.create(
        name="Prof. Dr. Hendra Wijayakusuma, S.H., M.H.",
        nip="196208171988031002",
        position="Deputi Bidang Pengawasan",
        unit=parent,
    )
    plan = UnitPlan.objects.create(
        unit=unit, year=2027, first_party=head, second_party=boss, second_party_acting="Plt"
    )
    goal_rows = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            position=g,
            code=f"SS{g}",
            text=f"Meningkatnya kualitas akuntabilitas kinerja dan tata kelola unit kerja {g}",
        )
        for g in range(1, goals + 1)
    )
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            goal=goal_rows[i % goals],
            position=i,
            code=f"IK{i}",
            name=f"Persentase rekomendasi hasil evaluasi akuntabilitas yang ditindaklanjuti {i}",
            definition="Jumlah rekomendasi ditindaklanjuti dibagi jumlah rekomendasi",
            measure="Persen",
            target_kind="percent",
            target_value=Decimal(80 + i % 20),
            in_pk=i % 5 != 0,
        )
        for i in range(1, indicators + 1)
    )
    for a in range(1, activities + 1):
        kind = "program" if a == 1 else "activity"
        budget = Decimal(1_250_000_000) * (activities - 1) if a == 1 else Decimal(1_250_000_000)
        activity = Activity.objects.create(
            plan=plan,
            position=a,
            kind=kind,
            name=f"Penyusunan dan evaluasi dokumen perencanaan kinerja {a}",
            budget=budget,
        )
        if kind == "activity":
            ActivityIndicator.objects.create(
                activity=activity, name="Jumlah dokumen", measure="Dokumen", target_value=4
            )
    return plan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, help="also write the documents to this folder")
    args = parser.parse_args(argv)
    setup_django()
    from rkpk.plans.documents import render_plan_document

    plan = seed_plan(indicators=args.indicators)
    # The first render loads fonts and parses the stylesheet: timed apart.
    first = timed(lambda: render_plan_document(plan, doc="pk", fmt="pdf"), 1)
    report("documents: PK as PDF, first render in the process", first)
    for doc, fmt, repeat in (
        ("pk", "pdf", args.repeat),
        ("rk", "pdf", max(3, args.repeat // 3)),
        ("rkpk", "pdf", max(3, args.repeat // 3)),
        ("pk", "docx", args.repeat),
        ("rkpk", "docx", max(3, args.repeat // 3)),
    ):
        samples = timed(lambda d=doc, f=fmt: render_plan_document(plan, doc=d, fmt=f), repeat)
        size = len(render_plan_document(plan, doc=doc, fmt=fmt))
        report(
            f"documents: {doc.upper()} as {fmt.upper()} ({args.indicators} indicators)",
            samples,
            extra=f"{size // 1024} KiB",
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{doc}.{fmt}").write_bytes(render_plan_document(plan, doc=doc, fmt=fmt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
