"""Benchmark of the service dashboard: `python -m bench.dashboard`. Prints figures.

Seeds the demo organisation with 200 generated units and their plans for five plan years
(`rkpk seed_demo --units 200 --indicators 5 --years 5`), then gives the four past years a
completed cycle each (started on the first working day of October of the year before,
every step moved through `advance(on_date=...)`, some late, one return per cycle) next to
the seed's running cycle, and backdates the units' first submissions around each year's
deadline (some late, a few never). Times the dashboard page, the XLSX and the PDF report
through django.test.Client (server time, no network) and counts the page's queries with
two and with five cycles. Target: page median under 300 ms, the PDF (about 11 pages at
200 units) under 5 s, and a query count that does not grow with the cycles.
Runs on a temporary SQLite database unless DATABASE_URL is set (see bench/__main__.py).
"""

import statistics
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

UNITS = 200
JAKARTA = ZoneInfo("Asia/Jakarta")


def _first_working_day(cal, day: date) -> date:
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def past_cycle(year: int, actor, cal):
    """A completed cycle of `year`: each step ends `standard + delay` working days after
    the step before; step 6 sends the work back to step 5 once."""
    from rkpk.procedure import services
    from rkpk.procedure.models import CycleStep

    start = _first_working_day(cal, date(year - 1, 10, 1))
    cycle = services.start_cycle(actor=actor, year=year, start_date=start)

    def step(number):
        return CycleStep.objects.select_related("standard_step").get(cycle=cycle, number=number)

    day = start
    for number in range(1, 14):
        current = step(number)
        days = current.standard_step.standard_days
        delay = (year + number * 3) % 4 - 1 if days else 2  # -1..2 working days
        end = cal.add_working_days(day, max((days or 0) + delay, 0))
        current = services.advance(actor=actor, step=current, action="start", on_date=day)
        if number == 6:
            back = cal.add_working_days(day, 1)
            services.advance(
                actor=actor,
                step=current,
                action="return",
                to_number=5,
                reason="Analisis belum mencakup semua sasaran stratejik.",
                on_date=back,
            )
            redone = cal.add_working_days(back, 1)
            services.advance(actor=actor, step=step(5), action="complete", on_date=redone)
            current = services.advance(actor=actor, step=step(6), action="start", on_date=redone)
            end = cal.add_working_days(redone, max((days or 0) + delay, 0))
        services.advance(actor=actor, step=current, action="complete", on_date=end)
        day = end
    return cycle


def backdate_submissions(cycle, cal) -> None:
    """Every plan's first submission moved to the deadline plus -4..+7 working days; one
    plan in nine loses its submissions (never submitted)."""
    from rkpk.plans.models import Submission, UnitPlan
    from rkpk.plans.monitoring import submission_deadline

    deadline = submission_deadline(cycle, cal)
    plans = list(UnitPlan.objects.filter(year=cycle.year).order_by("unit__code"))
    never = [p.pk for i, p in enumerate(plans) if i % 9 == 4]
    Submission.objects.filter(plan_id__in=never).delete()
    UnitPlan.objects.filter(pk__in=never).update(status=UnitPlan.Status.DRAFT)
    updates = []
    for index, plan in enumerate(plans):
        if plan.pk in never:
            continue
        shift = index % 12 - 4
        day = cal.add_working_days(deadline, shift) if shift >= 0 else deadline
        if shift < 0:
            day = deadline - timedelta(days=-shift)
        moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=JAKARTA)
        for sub in plan.submissions.all():
            sub.submitted_at = moment + timedelta(days=sub.number - 1)
            if sub.decided_at:
                sub.decided_at = moment + timedelta(days=sub.number + 1)
            updates.append(sub)
    Submission.objects.bulk_update(updates, ["submitted_at", "decided_at"], batch_size=500)


def main() -> int:
    from bench.__main__ import report, setup_django, timed

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rkpk.core.calendar import WorkingCalendar
    from rkpk.dashboard import selectors
    from rkpk.organisation.models import User
    from rkpk.procedure.models import Cycle

    print(f"database: {connection.vendor}")
    call_command(
        "seed_demo",
        "--units",
        str(UNITS),
        "--indicators",
        "5",
        "--years",
        "5",
        verbosity=0,
    )
    User.objects.update(is_demo=False)  # demo accounts may not log in with DEBUG off
    everyone = User.objects.get(username="karo")
    for role in ("staff", "head_of_section", "deputy", "minister"):
        everyone.role_assignments.get_or_create(role=role, unit=None)
    cal = WorkingCalendar()
    running = Cycle.objects.order_by("-year").first()
    years = sorted({running.year - n for n in range(1, 5)} if running else {2023, 2024, 2025, 2026})
    client = Client()
    client.force_login(everyone)

    def query_count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        return len(queries)

    latest_past = years[-1]
    cycle = past_cycle(latest_past, everyone, cal)
    backdate_submissions(cycle, cal)
    url = f"/dashboard/{latest_past}/"
    client.get(url)
    small = query_count(url)
    for year in years[:-1]:
        backdate_submissions(past_cycle(year, everyone, cal), cal)
    large = query_count(url)
    figures = selectors.cycle_report(cycle)
    print(
        f"cycles: {Cycle.objects.count()}; expected units: {figures.expected_units}; "
        f"late units {latest_past}: {figures.late_units_count} "
        f"(median {figures.median_unit_lateness} working days); "
        f"{latest_past}: {figures.total_days} working days against {figures.standard_total}, "
        f"{figures.share_percent}% of steps within the standard"
    )
    print(f"page queries with 2 cycles: {small}, with {Cycle.objects.count()} cycles: {large}")

    samples = timed(lambda: client.get(url), 20)
    report(f"page: dashboard {latest_past} (server time)", samples, extra=f"{large} queries")
    report("page: dashboard, latest cycle", timed(lambda: client.get("/dashboard/"), 20))
    report(
        "api: cycle figures (JSON)",
        timed(lambda: client.get(f"/api/v1/dashboard/cycles/{latest_past}"), 20),
    )  # noqa: E501
    report(
        "api: comparison across years",
        timed(lambda: client.get("/api/v1/dashboard/comparison"), 20),
    )  # noqa: E501
    report("report: XLSX", timed(lambda: client.get(url + "report.xlsx"), 10))
    pdf = timed(lambda: client.get(url + "report.pdf"), 5)
    report("report: PDF (WeasyPrint, charts embedded)", pdf)
    page_ms = statistics.median(samples) * 1000
    pdf_s = statistics.median(pdf)
    verdict = "OK" if page_ms < 300 and pdf_s < 5 and small == large else "OVER TARGET"
    print(f"target: page < 300 ms, PDF < 5 s, constant queries: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
