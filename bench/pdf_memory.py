"""Benchmark: every unit's PK of a year as PDF into one ZIP, memory and time.
`python -m bench.pdf_memory [--units 20 200] [--indicators 20]`.

Issue 15.4: the whole ministry's PDFs of a cycle are generated with bounded memory. Seeds
the largest count of units, each with a plan of `--indicators` indicators, on a fresh
temporary SQLite database (or DATABASE_URL: an empty one), then runs
`rkpk.plans.rendered.write_cycle_zip` for the first N plans, for each N in turn, each into
its own empty storage (nothing reused). Prints, per run: time, the process's peak RSS so
far (resource.getrusage; a high-water mark, so a later, larger run that does not raise it
used no more memory), the RSS now, and the ZIP's size. Asserts nothing.
"""

import argparse
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.__main__ import setup_django

YEAR = 2031


def rss_now_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def seed(units: int, indicators: int) -> list[int]:
    from rkpk.organisation.models import Official, Unit
    from rkpk.plans.models import Activity, Goal, Indicator, UnitPlan

    root = Unit.objects.create(code="BENCHPDF", name="Deputi Bidang Uji", level=1)
    boss = Official.objects.create(
        name="Prof. Dr. Hendra Wijayakusuma, S.H., M.H.",
        nip="196208171988031002",
        position="Deputi Bidang Uji",
        unit=root,
    )
    for n in range(units):
        unit = Unit.objects.create(
            code=f"BENCHPDF.{n:03d}", name=f"Biro Uji Kinerja {n}", level=2, parent=root
        )
        head = Official.objects.create(
            name=f"Dr. Pejabat Uji {n}, S.E., M.Si.",
            nip=f"19730512200003{n:04d}",
            position=f"Kepala Biro Uji Kinerja {n}",
            unit=unit,
        )
        plan = UnitPlan.objects.create(unit=unit, year=YEAR, first_party=head, second_party=boss)
        goals = Goal.objects.bulk_create(
            Goal(plan=plan, position=g, text=f"Meningkatnya kualitas tata kelola unit {g}")
            for g in range(1, 6)
        )
        Indicator.objects.bulk_create(
            Indicator(
                plan=plan,
                goal=goals[i % 5],
                position=i,
                name=f"Persentase rekomendasi hasil evaluasi yang ditindaklanjuti {i}",
                measure="Persen",
                target_kind="percent",
                target_value=Decimal(80 + i % 20),
            )
            for i in range(1, indicators + 1)
        )
        Activity.objects.bulk_create(
            Activity(plan=plan, position=a, name=f"Kegiatan evaluasi {a}", budget=1_000_000)
            for a in range(1, 6)
        )
    return list(
        UnitPlan.objects.filter(year=YEAR).order_by("unit__code").values_list("pk", flat=True)
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--indicators", type=int, default=20)
    args = parser.parse_args(argv)
    setup_django()
    from django.test import override_settings

    from rkpk.plans import rendered

    started = time.perf_counter()
    plan_ids = seed(max(args.units), args.indicators)
    print(
        f"seeded {len(plan_ids)} plans of {args.indicators} indicators "
        f"in {time.perf_counter() - started:.1f} s; RSS now {rss_now_mib():.0f} MiB, "
        f"peak {peak_rss_mib():.0f} MiB"
    )
    for count in args.units:
        with (
            tempfile.TemporaryDirectory(prefix="rkpk-pdf-memory-") as media,
            override_settings(MEDIA_ROOT=Path(media)),
        ):
            started = time.perf_counter()
            path = rendered.write_cycle_zip(YEAR, plan_ids=plan_ids[:count])
            elapsed = time.perf_counter() - started
            size = path.stat().st_size
        print(
            f"cycle ZIP of {count:>4} PKs: {elapsed:7.1f} s ({elapsed / count * 1000:.0f} ms "
            f"per PK), ZIP {size / 2**20:.1f} MiB, peak RSS {peak_rss_mib():.0f} MiB, "
            f"RSS now {rss_now_mib():.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
