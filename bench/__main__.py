"""Benchmarks: `make bench` (or `python -m bench`). Prints figures; asserts nothing.

Runs on a fresh temporary SQLite database unless DATABASE_URL is set (then on that
database: use an empty one, e.g. postgres://postgres@127.0.0.1:5432/bench).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def setup_django() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="rkpk-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("RKPK_TESTING", "1")
    os.environ.setdefault("STATIC_ROOT", str(workdir / "static"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rkpk.settings")
    os.environ.setdefault("RKPK_HOME", str(workdir))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def report(name: str, samples: list[float], unit: str = "ms", extra: str = "") -> None:
    scale = 1000 if unit == "ms" else 1_000_000
    median = statistics.median(samples) * scale
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)] * scale
    print(f"{name:<58} median {median:9.2f} {unit}   p95 {p95:9.2f} {unit}  {extra}")


def main() -> int:
    setup_django()
    from bench import command_startup

    # First, on the empty database: the operational commands' start-up in fresh processes.
    command_startup.run(repeat=3, env=command_startup.environment(os.environ["DATABASE_URL"]))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rkpk.core import audit
    from rkpk.core.calendar import WorkingCalendar
    from rkpk.organisation.models import User
    from rkpk.procedure import services
    from rkpk.procedure.models import CycleStep

    print(f"database: {connection.vendor}")
    call_command("seed_demo", "--no-cycle", verbosity=0)
    # The bench runs with DEBUG off, where demo accounts may not log in.
    User.objects.update(is_demo=False)

    cal = WorkingCalendar()
    start = date(2027, 1, 4)
    report(
        "calendar: add_working_days(D, 52)",
        timed(lambda: cal.add_working_days(start, 52), 500),
        unit="µs",
    )
    report(
        "calendar: count_working_days over one year",
        timed(lambda: cal.count_working_days(start, start + timedelta(days=365)), 200),
        unit="µs",
    )

    staff = User.objects.get(username="staf")
    everyone = User.objects.get(username="karo")
    for role in ("staff", "head_of_section", "deputy", "minister"):
        everyone.role_assignments.get_or_create(role=role, unit=None)
    cycle = services.start_cycle(actor=staff, year=2027, start_date=date(2026, 1, 5))
    steps = {s.number: s for s in CycleStep.objects.filter(cycle=cycle)}
    day = date(2026, 1, 5)
    samples = []
    for number in range(1, 13):
        for action in ("start", "complete"):
            started = time.perf_counter()
            services.advance(actor=everyone, step=steps[number], action=action, on_date=day)
            samples.append(time.perf_counter() - started)
    report("procedure: advance() (role check, replan, audit)", samples)

    client = Client()
    client.force_login(everyone)
    url = f"/procedure/cycles/{cycle.year}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    query_count = len(queries)  # read now: later requests clear the connection's query log
    report(
        "page: cycle detail with timeline (server time)",
        timed(lambda: client.get(url), 30),
        extra=f"{query_count} queries",
    )
    report("page: home (server time)", timed(lambda: client.get("/"), 30))
    report("page: calendar year (server time)", timed(lambda: client.get("/calendar/"), 20))

    n_events = 10_000
    started = time.perf_counter()
    for i in range(n_events):
        audit.record(
            actor=staff,
            action="bench.event",
            object_type="bench",
            object_id=str(i),
            before={"n": i},
            after={"n": i + 1},
        )
    elapsed = time.perf_counter() - started
    print(f"{'audit: record() one event':<58} mean   {elapsed / n_events * 1000:9.3f} ms")
    started = time.perf_counter()
    result = audit.verify_chain()
    elapsed = time.perf_counter() - started
    print(
        f"{'audit: verify_chain() over ' + str(result.checked) + ' events':<58} total  "
        f"{elapsed * 1000:9.1f} ms   ok={result.ok}"
    )
    client.force_login(User.objects.get(username="admin"))
    report("page: audit trail, first page of 10k events", timed(lambda: client.get("/audit/"), 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
