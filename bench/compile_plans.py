"""Benchmark: the ministry RK-PK compiled, and its PK printed. `python -m bench.compile_plans`.

Targets (issue 5): compiling 200 units × 50 indicators under 1 s; the consolidated PK PDF
(about 30 pages) under 5 s. Seeds 200 units with accepted plans of 50 indicators each
(`rkpk.plans.demo.generate_organisation/generate`), the 21 demo goals with a ministry
indicator each, and a goal mapping for every unit indicator (bulk), on a fresh temporary
SQLite database (or DATABASE_URL). Prints figures; asserts nothing.

The consolidated PK lists, per goal, every unit indicator in the units' PK: with 200 × 50
indicators that is ~7,500 rows, far beyond 30 pages. The "about 30 pages" PK is therefore
timed on a compilation whose units carry the PK indicators of a realistic ministry
(`--pk-units`, default 20 units × 50 indicators ≈ 30 pages); the full-size PK is timed too.
"""

import argparse
import sys

from bench.__main__ import report, setup_django, timed


def seed(units: int, indicators: int, year: int = 2027):
    from rkpk.analysis.demo import load_demo_goals
    from rkpk.analysis.models import (
        Mapping,
        MinistryIndicator,
        MinistryTarget,
        StrategicGoal,
    )
    from rkpk.organisation.models import User
    from rkpk.plans.demo import generate, generate_organisation
    from rkpk.plans.models import Indicator, UnitPlan

    user = User.objects.filter(username="bench").first() or User.objects.create_user(
        username="bench", password="Bench-sandi-2026!"
    )
    made = generate_organisation(units)
    generate(units=made, indicators=indicators, years=[year - 1, year], submitter=user,
             reviewer=user, states={u.code: UnitPlan.Status.ACCEPTED for u in made})  # fmt: skip
    load_demo_goals()
    goals = list(StrategicGoal.objects.order_by("sort_order"))
    aggregations = [a for a, _label in MinistryIndicator.Aggregation.choices]
    for n, goal in enumerate(goals):
        mi, _ = MinistryIndicator.objects.get_or_create(
            goal=goal, code=f"IKU-{n + 1}",
            defaults={"name": f"Indikator kinerja utama {n + 1}", "measure": "Persen",
                      "aggregation": aggregations[n % len(aggregations)]},
        )  # fmt: skip
        MinistryTarget.objects.get_or_create(indicator=mi, year=year, defaults={"value": 80})
    mis = {m.goal_id: m for m in MinistryIndicator.objects.all()}
    unit_ids = [u.pk for u in made]
    todo = Indicator.objects.filter(
        plan__year=year, plan__unit_id__in=unit_ids, mapping__isnull=True
    ).values_list("pk", flat=True)
    Mapping.objects.bulk_create(
        (Mapping(indicator_id=pk, goal=goals[pk % len(goals)],
                 ministry_indicator=mis[goals[pk % len(goals)].pk], source="manual",
                 decided_by=user) for pk in todo),
        batch_size=2000,
    )  # fmt: skip
    return user, unit_ids


def pages(compilation, doc: str = "pk") -> int:
    import weasyprint
    from django.template.loader import render_to_string

    from rkpk.analysis import consolidated_documents as documents

    html = documents.render_html(documents.document_context(compilation, doc=doc))
    css = weasyprint.CSS(string=render_to_string(documents.CSS_TEMPLATE))
    return len(weasyprint.HTML(string=html).render(stylesheets=[css]).pages)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--pk-units", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from rkpk.analysis import consolidated_documents as documents
    from rkpk.analysis.compilation import build_data
    from rkpk.analysis.coverage import coverage
    from rkpk.analysis.models import Compilation
    from rkpk.analysis.services import compile_year
    from rkpk.plans.models import UnitPlan

    print(f"database: {connection.vendor}")
    user, _ids = seed(args.units, args.indicators)
    accepted = UnitPlan.objects.filter(year=2027, status="accepted").count()
    samples = timed(lambda: compile_year(actor=user, year=2027), args.repeat)
    full = Compilation.objects.filter(year=2027).order_by("-number").first()
    report(
        f"compile_year: {accepted} units × {args.indicators} indicators (target < 1 s)",
        samples,
        extra=f"{full.data['counts']['indicators']} indicators compiled",
    )
    report("  of which build_data (reading + aggregating)", timed(lambda: build_data(2027), 3))
    report("coverage of the compiled version", timed(lambda: coverage(full), args.repeat))

    # A PK of about 30 pages: the compilation keeps only the first --pk-units units.
    small = Compilation(year=2027, number=full.number, data=dict(full.data),
                        warnings=full.warnings, missing_units=full.missing_units)  # fmt: skip
    keep = {u["id"] for u in full.data["units"][: args.pk_units]}
    small.data["goals"] = [
        {**g, "unit_indicators": [e for e in g["unit_indicators"] if e["unit_id"] in keep]}
        for g in full.data["goals"]
    ]
    first = timed(lambda: documents.render(small, doc="pk", fmt="pdf"), 1)
    report("consolidated PK PDF, first render in the process", first)
    report(
        f"consolidated PK PDF, {args.pk_units} units (target < 5 s)",
        timed(lambda: documents.render(small, doc="pk", fmt="pdf"), 3),
        extra=f"{pages(small)} pages",
    )
    for doc, fmt in (("pk", "pdf"), ("rk", "xlsx"), ("pk", "docx")):
        data = documents.render(full, doc=doc, fmt=fmt)
        extra = f"{len(data) // 1024} KiB" + (f", {pages(full)} pages" if fmt == "pdf" else "")
        report(
            f"consolidated {doc.upper()} {fmt.upper()}, all {accepted} units",
            timed(lambda d=doc, f=fmt: documents.render(full, doc=d, fmt=f), 1),
            extra=extra,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
