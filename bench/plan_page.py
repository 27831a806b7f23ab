"""Benchmark: a unit's plan page with 120 indicators. `python -m bench.plan_page`.

Seeds one plan (120 indicators over 12 goals, 12 activities) on a fresh temporary SQLite
database (or DATABASE_URL) and times the page as the bureau's staff opens it (server time,
through Django's test client). The figure the plan-page test printed before issue 13.14
moved every timing out of the tests. Prints figures; asserts nothing.
"""

import argparse
import sys

from bench.__main__ import report, setup_django, timed
from bench.plan_pdf import seed_plan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rkpk.organisation.models import RoleAssignment, User

    plan = seed_plan(indicators=args.indicators, goals=12, activities=12)
    staff = User.objects.create_user(username="bench-staff", password="x")
    RoleAssignment.objects.create(user=staff, role="staff", unit=None)
    client = Client()
    client.force_login(staff)
    url = f"/plans/{plan.unit.code}/{plan.year}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    count = len(queries)
    report(
        f"page: plan with {args.indicators} indicators (server time)",
        timed(lambda: client.get(url), args.repeat),
        extra=f"{count} queries",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
