"""Benchmark: number and dispatch one memorandum to 200 units. `python -m bench.dispatch`.

Target (issue 4): registering (numbering, the official PDF rendered and sealed) and
dispatching one memorandum to 200 units — 200 expedition-book lines and the notifications
of the units' operators and heads queued — under 2 s. Seeds 200 units with an operator and
a head each on a fresh temporary SQLite database (or DATABASE_URL), then times each
memorandum's `register` and `dispatch(all_units=True)` apart and together, with the query
count of a dispatch. Prints figures; asserts nothing.
"""

import argparse
import sys
import time

from bench.__main__ import report, setup_django

UNITS = 200


def seed(units: int):
    from rkpk.organisation.models import Role, RoleAssignment, Unit, User

    tops = Unit.objects.bulk_create(
        Unit(code=f"D{n:02}", name=f"Deputi Bidang Uji {n}", level=1, sort_order=n)
        for n in range(10)
    )
    rows = tops + Unit.objects.bulk_create(
        Unit(
            code=f"D{n % 10:02}.B{n:03}",
            name=f"Biro Uji {n} pada Deputi {n % 10}",
            level=2,
            parent=tops[n % 10],
            sort_order=100 + n,
        )
        for n in range(units - len(tops))
    )
    people = {}
    for code in ("staff", "head_of_section", "head_of_bureau", "deputy"):
        people[code] = User.objects.create_user(username=f"bench_{code}")
        RoleAssignment.objects.create(user=people[code], role=code)
    unit_users = User.objects.bulk_create(
        User(username=f"bench_{kind}_{unit.code}", email=f"{kind}.{unit.code}@example.org")
        for unit in rows
        for kind in ("op", "head")
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=user,
            role=Role.UNIT_OPERATOR if user.username.startswith("bench_op") else Role.UNIT_HEAD,
            unit=rows[i // 2],
        )
        for i, user in enumerate(unit_users)
    )
    return people


def signed_memo(people):
    from rkpk.correspondence import services
    from rkpk.correspondence.models import LetterTemplate

    template = LetterTemplate.objects.get(key="step1-call-for-submissions")
    document = services.create_from_template(
        actor=people["staff"],
        template=template,
        values={"year": 2027, "cycle": "RK-PK 2027", "deadline": "15 Februari 2027"},
        addressee="Para Pimpinan Satuan Organisasi/Satuan Kerja",
    )
    services.send_for_review(actor=people["staff"], document=document)
    services.review(actor=people["head_of_section"], document=document, approve=True)
    services.sign(actor=people["deputy"], document=document)
    return document


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rkpk.correspondence import dispatch, services
    from rkpk.correspondence.models import Recipient
    from rkpk.notifications.models import Notification

    print(f"database: {connection.vendor}")
    people = seed(args.units)
    # Warm-up: fonts, stylesheet and the signer are loaded once per process.
    warm = signed_memo(people)
    services.register(actor=people["staff"], document=warm)
    numbering, sending, total, queries = [], [], [], 0
    for _ in range(args.repeat):
        document = signed_memo(people)
        started = time.perf_counter()
        services.register(actor=people["staff"], document=document)
        numbered = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            lines = dispatch.dispatch(actor=people["staff"], document=document, all_units=True)
        done = time.perf_counter()
        numbering.append(numbered - started)
        sending.append(done - numbered)
        total.append(done - started)
        queries = len(captured)
        assert len(lines) == args.units
    notified = Notification.objects.filter(event="correspondence.dispatched").count()
    report("correspondence: register (number, PDF, seal)", numbering)
    report(
        f"correspondence: dispatch to {args.units} units",
        sending,
        extra=f"{queries} queries",
    )
    report(
        "correspondence: number + dispatch (target < 2000 ms)",
        total,
        extra=f"{Recipient.objects.count() // args.repeat} lines, "
        f"{notified // args.repeat} notifications each",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
