"""Benchmark: how fast the operational `rkpk` commands start. `python -m bench.command_startup`.

Target (issue 13.15): each of import_plan, export_plan, workdays, verify_audit,
send_reminders, run_scheduled and compile_plans starts in under 1 s. Each command runs in a
fresh process, as an operator runs it, twice: with `--help` (settings, django.setup(), the
command's module, argument parsing) and with a cheap real invocation on a fresh migrated
database (an unknown unit, an empty audit trail, ...: start-up plus a query or two). Prints
the median wall time and the largest resident set (max RSS) per command; `rkpk check` (the
system checks every other command runs first) is shown for comparison. Asserts nothing.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

# A cheap invocation of each command; {tmp} is a scratch directory.
COMMANDS = {
    "import_plan": "import_plan {tmp}/missing.xlsx --unit NONE --year 2027",
    "export_plan": "export_plan --unit NONE --year 2027 --format xlsx --out {tmp}/out.xlsx",
    "workdays": "workdays add 2027-01-04 10",
    "verify_audit": "verify_audit",
    "send_reminders": "send_reminders --date 2027-01-04",
    "run_scheduled": "run_scheduled",
    "compile_plans": "compile_plans --year 2027 --out {tmp}/compiled --user nobody",
}
REFERENCE = {"check (system checks)": "check"}


def run_once(argv: list[str], env: dict) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, max RSS in MB, exit status) of one `rkpk` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "rkpk.cli", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, process.returncode


def measure(argv: list[str], env: dict, repeat: int) -> tuple[float, float, float, int]:
    """Median wall and CPU time, largest max RSS, last exit status over `repeat` runs."""
    samples = [run_once(argv, env) for _ in range(repeat)]
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    rss = max(s[2] for s in samples)
    return wall, cpu, rss, samples[-1][3]


def environment(database_url: str | None = None) -> dict:
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("RKPK_TESTING", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "rkpk.settings")
    return env


def run(repeat: int = 3, env: dict | None = None) -> None:
    env = env or environment()
    tmp = tempfile.mkdtemp(prefix="rkpk-bench-startup-")
    print(f"command start-up, median of {repeat} (wall / CPU / max RSS)")
    print(f"{'command':<24}{'--help':^28}  {'invocation':^28} exit")
    for name, argv in {**COMMANDS, **REFERENCE}.items():
        argv = argv.format(tmp=tmp).split()
        columns = []
        for args in ([argv[0], "--help"], argv):
            wall, cpu, rss, code = measure(args, env, repeat)
            columns.append(f"{wall * 1000:>7.0f} ms {cpu * 1000:>7.0f} ms {rss:>5.0f} MB")
        print(f"{name:<24}{columns[0]}   {columns[1]}  {code:>3}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from bench.__main__ import setup_django

    setup_django()  # a fresh migrated database (or DATABASE_URL), set in the environment
    run(repeat=args.repeat, env=environment(os.environ["DATABASE_URL"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
