"""Load benchmark: `make bench-load` (or `python -m bench.load`). Prints figures; asserts nothing.

Serves the application as in production (gunicorn, sync workers, DEBUG off, PostgreSQL, the
file cache) on a fresh seeded database and loads each page with wrk, signed in as the role
that uses it. Prints requests per second, latency percentiles, response sizes and each page's
share of the floor (a bare view through the same middleware and gunicorn) and of the lightest
signed-in page (the notification settings), flagging where issue 15's targets are not met:
the lightest page at least 25 % of the floor; the key pages at least 50 % of the lightest
and a 95th percentile under 150 ms.

Needs PostgreSQL (the database named by --database-url is dropped and created again) and
Debian's wrk (`scripts/install-system-packages.sh bench`). Progress goes to stderr, the table
to stdout (`--markdown` prints it as Markdown).
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LUA = Path(__file__).with_name("load.lua")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rkpk_load"
# Sessions are made in this process, so they must name a backend that finds the user.
BACKEND = "rkpk.organisation.backends.AccountBackend"

# Issue 15's targets.
LIGHTEST_OF_FLOOR = 0.25
KEY_OF_LIGHTEST = 0.50
KEY_P95_MS = 150.0


@dataclass
class Page:
    name: str
    path: str
    user: str | None  # None: anonymous
    role: str = ""  # "floor", "lightest", "key" or ""


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int  # responses outside 2xx and socket errors
    size: int = 0  # body bytes without compression
    gzip_size: int = 0  # body bytes when the client accepts gzip


# --- wrk's output and the table ------------------------------------------------------------


def parse_wrk(output: str) -> dict:
    """The figures of the line load.lua's done() prints (latencies in microseconds)."""
    match = re.search(r"^RKPK-LOAD (.*)$", output, re.MULTILINE)
    if match is None:
        raise ValueError("wrk printed no RKPK-LOAD line:\n" + output)
    values = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(1))}
    seconds = values["duration_us"] / 1e6
    return {
        "requests": values["requests"],
        "rps": values["requests"] / seconds if seconds else 0.0,
        "p50_ms": values["p50_us"] / 1000,
        "p95_ms": values["p95_us"] / 1000,
        "p99_ms": values["p99_us"] / 1000,
        "errors": values["non2xx"] + values["socket_errors"],
    }


def assess(results: list[Result]) -> list[dict]:
    """One row per result: the figures, the shares of the floor and of the lightest page, and
    the targets it misses."""
    floor = next((r for r in results if r.page.role == "floor"), None)
    lightest = next((r for r in results if r.page.role == "lightest"), None)
    rows = []
    for r in results:
        of_floor = r.rps / floor.rps if floor and floor.rps else None
        of_lightest = r.rps / lightest.rps if lightest and lightest.rps else None
        flags = []
        if r.page.role == "lightest" and of_floor is not None and of_floor < LIGHTEST_OF_FLOOR:
            flags.append(f"< {LIGHTEST_OF_FLOOR:.0%} of floor")
        if r.page.role == "key":
            if of_lightest is not None and of_lightest < KEY_OF_LIGHTEST:
                flags.append(f"< {KEY_OF_LIGHTEST:.0%} of lightest")
            if r.p95_ms >= KEY_P95_MS:
                flags.append(f"p95 ≥ {KEY_P95_MS:.0f} ms")
        if r.errors:
            flags.append(f"{r.errors} errors")
        rows.append(
            {
                "page": r.page.name,
                "rps": r.rps,
                "p50": r.p50_ms,
                "p95": r.p95_ms,
                "p99": r.p99_ms,
                "bytes": r.size,
                "gzip": r.gzip_size,
                "of_floor": of_floor,
                "of_lightest": of_lightest,
                "flags": flags,
            }
        )
    return rows


HEADERS = ["page", "req/s", "p50 ms", "p95 ms", "p99 ms", "bytes", "gzip bytes", "% floor",
           "% lightest", "targets missed"]  # fmt: skip


def table(rows: list[dict], *, markdown: bool = False) -> str:
    def share(value):
        return "—" if value is None else f"{value:.1%}"

    cells = [
        [
            row["page"],
            f"{row['rps']:.1f}",
            f"{row['p50']:.0f}",
            f"{row['p95']:.0f}",
            f"{row['p99']:.0f}",
            f"{row['bytes']:,}",
            f"{row['gzip']:,}",
            share(row["of_floor"]),
            share(row["of_lightest"]),
            "; ".join(row["flags"]) or ("—" if markdown else ""),
        ]
        for row in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in column) for column in zip(HEADERS, *cells, strict=True)]
    lines = []
    for line in [HEADERS, *cells]:
        parts = [
            text.ljust(width) if n in (0, len(HEADERS) - 1) else text.rjust(width)
            for n, (text, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


# --- database, pages and sessions ------------------------------------------------------------


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def environment(workdir: Path, database_url: str) -> dict:
    """What both this process and gunicorn run with: production settings on throw-away keys."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "RKPK_AUDIT_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "RKPK_HOME": str(workdir),
        "CACHE_DIR": str(workdir / "cache"),
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def recreate_database(database_url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(database_url)
    if "postgresql" not in db["ENGINE"]:
        raise SystemExit(f"The load benchmark needs PostgreSQL, not {database_url}")
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        name = sql.Identifier(db["NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def seed(args) -> None:
    from django.core.management import call_command

    from rkpk.organisation.models import User

    started = time.perf_counter()
    call_command(
        "seed_demo",
        organisation=args.organisation,
        units=args.units,
        indicators=args.indicators,
        years=args.years,
        stdout=sys.stderr,
    )
    # Demo accounts are refused with DEBUG off; this database is thrown away.
    User.objects.filter(is_demo=True).update(is_demo=False)
    log(f"seeded in {time.perf_counter() - started:.0f} s")


def largest_generated_plan(year: int) -> str | None:
    """The code of the generated unit whose plan of `year` has the most indicators."""
    from django.db.models import Count

    from rkpk.plans.models import UnitPlan

    plan = (
        UnitPlan.objects.filter(year=year, unit__code__startswith="GEN")
        .annotate(n=Count("indicators"))
        .order_by("-n", "unit__code")
        .select_related("unit")
        .first()
    )
    return plan.unit.code if plan else None


def prepared(name: str, make) -> str | None:
    """The path `make()` returns, or None (and why) when the page cannot be prepared."""
    started = time.perf_counter()
    try:
        path = make()
    except Exception as error:  # noqa: BLE001 - a page that cannot be prepared is skipped
        log(f"skipped {name}: cannot prepare it: {type(error).__name__}: {error}")
        return None
    log(f"prepared {name} in {time.perf_counter() - started:.0f} s: {path}")
    return path


def pages(year: int) -> list[Page]:
    """The pages to load, their data prepared through the application's services."""
    from bench import load_fixtures

    def fixture(name, function, *args):
        return prepared(name, lambda: getattr(load_fixtures, function)(*args))

    unit = largest_generated_plan(year)
    compilation = fixture("compilation", "prepare_compilation", year)
    ministry = fixture("ministry RK-PK", "prepare_ministry_plan", year)
    verification = fixture("verification", "prepare_verification")
    wanted = [
        Page("floor (bare view)", "/bench/floor/", None, "floor"),
        Page("notification settings", "/notifications/settings/", "staf", "lightest"),
        Page("home (staff)", "/", "staf", "key"),
        Page("home (unit operator)", "/", "operator1", "key"),
        Page(f"monitoring board {year}", f"/plans/monitoring/{year}/", "staf", "key"),
        unit and Page(f"plan page {unit}", f"/plans/{unit}/{year}/", "staf", "key"),
        Page("dashboard", "/dashboard/", "staf", "key"),
        compilation and Page("compilation", compilation, "staf", "key"),
        compilation and Page("compilation versions", f"/analysis/compilations/{year}/", "staf"),
        Page("API monitoring", f"/api/v1/monitoring/{year}", "staf", "key"),
        ministry and Page("ministry RK-PK review", ministry, "karo"),
        verification and Page("public verification", verification, None),
    ]
    if not unit:
        log(f"skipped the plan page: no generated unit has a plan of {year}")
    return [page for page in wanted if page]


def session_cookies(usernames) -> dict[str, str]:
    """A session per user, made here in the database and the shared cache (no log-in form,
    whose lock-out would count the benchmark's attempts)."""
    from django.conf import settings
    from django.test import Client

    from rkpk.organisation.models import User

    cookies = {}
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username), backend=BACKEND)
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


# --- gunicorn and wrk --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def start_server(port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "rkpk.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
        "--chdir", str(ROOT),
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches this process, which then stops the server in order.
    server = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (exit {server.returncode})")
        try:
            if get(port, "/bench/floor/", {})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 120 s")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()  # gunicorn's graceful shutdown: the workers finish their request
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def check(port: int, page: Page, cookie: str) -> tuple[int, int, int]:
    """The status and body sizes (plain, gzip accepted) of one GET; also warms the workers."""
    headers = {"Cookie": cookie} if cookie else {}
    status, body, _ = get(port, page.path, headers)
    _, zipped, _ = get(port, page.path, {**headers, "Accept-Encoding": "gzip"})
    for _ in range(2):
        get(port, page.path, headers)
    return status, len(body), len(zipped)


def run_wrk(port: int, page: Page, cookie: str, args) -> dict:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "60s", "--latency", "-s", str(LUA), "-H", "Accept-Encoding: gzip",
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


# --- the run -------------------------------------------------------------------------------------


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("RKPK_LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to drop, create and seed (default: $RKPK_LOAD_DATABASE_URL "
        f"or {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep the database a previous run seeded (migrate only): a quicker second run",
    )
    parser.add_argument("--organisation", default="setneg", help="demo organisation to seed")
    parser.add_argument("--units", type=int, default=200, help="generated units (default 200)")
    parser.add_argument("--indicators", type=int, default=50, help="per plan (default 50)")
    parser.add_argument("--years", type=int, default=2, help="plan years (default 2)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per page (default 15)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument(
        "--pages", default="", help="comma-separated words: load only the pages whose name "
        "holds one (the floor and the lightest page always)"
    )  # fmt: skip
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args


def main(argv=None) -> int:
    args = options(argv)
    if shutil.which("wrk") is None:
        log("wrk is missing: run `bash scripts/install-system-packages.sh bench` (as root)")
        return 2
    # SIGTERM ends the run like Ctrl-C, through the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="rkpk-load-"))
    env = environment(workdir, args.database_url)
    os.environ.pop("RKPK_TESTING", None)
    os.environ.update(env)
    server = None
    try:
        if not args.reuse_database:
            recreate_database(args.database_url)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from rkpk.core.calendar import today

        call_command("migrate", verbosity=0)
        if not args.reuse_database:
            seed(args)
        call_command("collectstatic", interactive=False, verbosity=0)
        year = today().year + 1  # the demo cycle's year: next year's plans
        to_load = pages(year)
        if args.pages:
            words = [w.strip().lower() for w in args.pages.split(",") if w.strip()]
            to_load = [
                p for p in to_load
                if p.role in ("floor", "lightest") or any(w in p.name.lower() for w in words)
            ]  # fmt: skip
        cookies = session_cookies({p.user for p in to_load if p.user})
        connections.close_all()

        port = free_port()
        server = start_server(port, args.workers, env)
        log(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}")
        results = []
        for page in to_load:
            cookie = cookies.get(page.user, "")
            status, size, gzip_size = check(port, page, cookie)
            if status != 200:
                log(f"skipped {page.name} ({page.path}): status {status}")
                continue
            figures = run_wrk(port, page, cookie, args)
            result = Result(page=page, size=size, gzip_size=gzip_size, **figures)
            log(
                f"{page.name:<28} {result.rps:8.1f} req/s  p95 {result.p95_ms:6.0f} ms  "
                f"{size:,} bytes ({gzip_size:,} gzip)  {result.errors} errors"
            )
            results.append(result)
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)
    floor = next((r.rps for r in results if r.page.role == "floor"), 0.0)
    seeded = (
        "the database of an earlier run"
        if args.reuse_database
        else f"seed_demo --units {args.units} --indicators {args.indicators} --years {args.years}"
    )
    print(
        f"gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL; wrk {args.threads} "
        f"threads, {args.connections} connections, {args.duration} s per page; {seeded}; "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; floor {floor:,.0f} req/s."
    )
    print()
    print(table(assess(results), markdown=args.markdown))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted; gunicorn stopped")
        sys.exit(130)
