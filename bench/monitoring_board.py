"""Benchmark of the monitoring board: `python -m bench.monitoring_board`. Prints figures.

200 expected units (10 Eselon I, 190 Eselon II) with plans in assorted states, one to
three submissions each (with check results) and clarification messages; the board page
is timed through django.test.Client (server time, no network). Target: median under
150 ms, and a query count that does not grow with the units (measured at 50 and 200).
Runs on a temporary SQLite database unless DATABASE_URL is set (see bench/__main__.py).
"""

import statistics
import sys
from datetime import timedelta

UNITS = 200
ESELON_I = 10


def build(n_units: int, first: int = 0):
    """Add units numbered first..first+n_units-1 with their plans; returns nothing."""
    from django.utils import timezone

    from rkpk.organisation.models import Unit, User
    from rkpk.plans.models import Message, Submission, UnitPlan

    statuses = [
        None,  # no plan yet
        UnitPlan.Status.DRAFT,
        UnitPlan.Status.SUBMITTED,
        UnitPlan.Status.CLARIFICATION,
        UnitPlan.Status.RESUBMITTED,
        UnitPlan.Status.ACCEPTED,
        UnitPlan.Status.RETURNED,
    ]
    operator = User.objects.get(username="bench_operator")
    staff = User.objects.get(username="bench_staff")
    tops = list(Unit.objects.filter(level=1).order_by("code"))
    units = []
    for n in range(first, first + n_units):
        if len(tops) < ESELON_I and n % (UNITS // ESELON_I) == 0:
            unit = Unit.objects.create(code=f"D{n:03}", name=f"Deputi {n}", level=1, sort_order=n)
            tops.append(unit)
        else:
            parent = tops[n % len(tops)]
            unit = Unit.objects.create(
                code=f"{parent.code}.B{n:03}", name=f"Biro {n}", level=2, parent=parent
            )
        units.append(unit)
    now = timezone.now()
    checks = [{"code": f"C{i}", "passed": i % 5 != 0, "severity": "error"} for i in range(15)]
    for index, unit in enumerate(units):
        status = statuses[(first + index) % len(statuses)]
        if status is None:
            continue
        plan = UnitPlan.objects.create(unit=unit, year=2027, status=status)
        versions = 0 if status == UnitPlan.Status.DRAFT else 1 + (first + index) % 3
        Submission.objects.bulk_create(
            Submission(
                plan=plan,
                number=v,
                snapshot={"version": 1},
                checks=checks,
                submitted_by=operator,
                submitted_at=now - timedelta(days=10 - v),
                decision="pending" if v == versions else "clarification",
                decided_by=None if v == versions else staff,
                decided_at=None if v == versions else now - timedelta(days=9 - v),
            )
            for v in range(1, versions + 1)
        )
        Message.objects.bulk_create(
            Message(plan=plan, author=staff, body=f"Pertanyaan {m}") for m in range(versions)
        )


def main() -> int:
    from bench.__main__ import report, setup_django, timed

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rkpk.core.calendar import today
    from rkpk.organisation.models import Role, RoleAssignment, User
    from rkpk.procedure import services
    from rkpk.procedure.models import CycleStep

    print(f"database: {connection.vendor}")
    staff = User.objects.create_user("bench_staff", password="x")
    RoleAssignment.objects.create(user=staff, role=Role.STAFF)
    User.objects.create_user("bench_operator", password="x")
    call_day = today() - timedelta(days=30)
    cycle = services.start_cycle(actor=staff, year=2027, start_date=call_day - timedelta(days=1))
    steps = {s.number: s for s in CycleStep.objects.filter(cycle=cycle)}
    for number, day in ((1, call_day - timedelta(days=1)), (2, call_day)):
        services.advance(actor=staff, step=steps[number], action="start", on_date=day)
        services.advance(actor=staff, step=steps[number], action="complete", on_date=day)

    client = Client()
    client.force_login(staff)
    url = f"/plans/monitoring/{cycle.year}/"

    def query_count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        return len(queries)

    build(50)
    small = query_count(url)
    build(UNITS - 50, first=50)
    large = query_count(url)
    rows = client.get(url).content.decode().count("<tr data-unit=")
    print(f"board rows: {rows}; queries with 50 units: {small}, with {UNITS} units: {large}")

    samples = timed(lambda: client.get(url), 40)
    report(f"page: monitoring board, {rows} units (server time)", samples, extra=f"{large} queries")
    report(
        "page: monitoring board, late only, sorted by days",
        timed(lambda: client.get(url + "?late=on&sort=-days"), 20),
    )
    report("export: monitoring board XLSX", timed(lambda: client.get(url + "export.xlsx"), 10))
    unit_url = url + "D000.B001/"
    report("page: one unit's monitoring history", timed(lambda: client.get(unit_url), 20))
    median_ms = statistics.median(samples) * 1000
    verdict = "OK" if median_ms < 150 and small == large else "OVER TARGET"
    print(f"target: median < 150 ms and constant queries: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
