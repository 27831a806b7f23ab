"""Benchmark: importing a unit's workbook. `python -m bench.plan_import [--indicators N]`.

Target (issue 3): a 1,000-indicator workbook imported, validation included, under 1 s.
Seeds one plan with N indicators (and N/10 activities with an output indicator each) on a
fresh temporary SQLite database (or DATABASE_URL), builds its workbook with the exporter,
then times the whole import as the upload page runs it: file checks, reading and checking
every row, and the transaction that replaces the plan's content. Prints figures; asserts
nothing.
"""

import argparse
import sys
from decimal import Decimal

from bench.__main__ import report, setup_django, timed


def seed_plan(indicators: int, goals: int):
    from rkpk.organisation.models import Unit
    from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan

    unit = Unit.objects.create(code="BENCH.IMPOR", name="Biro Uji Impor", level=2)
    plan = UnitPlan.objects.create(unit=unit, year=2027)
    goal_rows = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            position=g,
            code=f"SS{g}",
            text=f"Meningkatnya kualitas akuntabilitas kinerja unit kerja {g}",
        )
        for g in range(1, goals + 1)
    )
    kinds = [
        {"target_kind": "percent", "target_value": Decimal("85.5")},
        {"target_kind": "number", "target_value": Decimal("1250")},
        {"target_kind": "range", "target_min": Decimal("80"), "target_max": Decimal("90")},
        {"target_kind": "qualitative", "target_text": "WTP"},
    ]
    Indicator.objects.bulk_create(
        (
            Indicator(
                plan=plan,
                goal=goal_rows[i % goals],
                position=i,
                code=f"IK{i}",
                name=f"Persentase rekomendasi hasil evaluasi yang ditindaklanjuti {i}",
                definition="Jumlah rekomendasi ditindaklanjuti dibagi jumlah rekomendasi",
                formula="(ditindaklanjuti / seluruh rekomendasi) × 100%",
                measure="Persen",
                data_source="Laporan tindak lanjut",
                q1=Decimal(20),
                q2=Decimal(40),
                q3=Decimal(60),
                q4=Decimal("85.5"),
                in_pk=i % 3 == 0,
                **kinds[i % 4],
            )
            for i in range(1, indicators + 1)
        ),
        batch_size=500,
    )
    activities = Activity.objects.bulk_create(
        Activity(
            plan=plan,
            position=a,
            kind="program" if a == 1 else "activity",
            code=f"K{a}",
            name=f"Kegiatan penyusunan dan evaluasi dokumen kinerja {a}",
            budget=Decimal("1250000000"),
        )
        for a in range(1, max(indicators // 10, 1) + 1)
    )
    ActivityIndicator.objects.bulk_create(
        ActivityIndicator(
            activity=a, name="Jumlah laporan kinerja", measure="Laporan", target_value=12
        )
        for a in activities
    )
    return plan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--goals", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from rkpk.plans import excel

    print(f"database: {connection.vendor}")
    plan = seed_plan(args.indicators, args.goals)
    samples = timed(lambda: excel.build_workbook(plan), 3)
    data = excel.build_workbook(plan)
    report(
        f"excel: build the workbook ({args.indicators} indicators)",
        samples,
        extra=f"{len(data) // 1024} KB",
    )
    parsed = excel.parse_workbook(data, filename="bench.xlsx")
    assert parsed.ok, [str(e) for e in parsed.errors[:5]]
    report(
        "excel: check file, read and validate every row",
        timed(lambda: excel.parse_workbook(data, filename="bench.xlsx"), args.repeat),
        extra=f"{sum(parsed.counts().values())} rows",
    )

    def run_import():
        result = excel.import_workbook(actor=None, plan=plan, data=data, filename="bench.xlsx")
        assert result.ok, [str(e) for e in result.errors[:5]]

    report(
        f"excel: import {args.indicators} indicators, checks included (<1 s)",
        timed(run_import, args.repeat),
    )
    target = excel._letter(excel.INDICATORS, "target")
    bad = _with_errors(data, target, count=50)
    report(
        "excel: 50 wrong cells: error list + annotated copy",
        timed(
            lambda: excel.annotate_workbook(bad, excel.parse_workbook(bad).errors),
            max(args.repeat // 2, 2),
        ),
    )
    return 0


def _with_errors(data: bytes, column: str, count: int) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for row in range(2, count + 2):
        wb["Indikator"][f"{column}{row}"] = "seribu"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    sys.exit(main())
