"""`make run`'s script (scripts/run-dev.sh) stops the worker and the server, and their
children, however it is stopped (issue 13.13: the worker used to outlive a TERM)."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "run-dev.sh"

# Stands in for `rkpk db_worker` / `rkpk runserver`: a process with a child, as the
# auto-reloader makes, both recording their pids and waiting.
FAKE_RKPK = """#!/usr/bin/env bash
sleep 1000 &
echo "$$ $!" > "$FAKE_DIR/$1.pids"
wait
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(predicate, what: str, limit: float = 120) -> None:
    # A bound on waiting for an event, not a speed check: generous for a busy machine.
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def start(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    fake = tmp_path / "rkpk"
    fake.write_text(FAKE_RKPK)
    fake.chmod(0o755)
    env = {**os.environ, "RKPK": str(fake), "FAKE_DIR": str(tmp_path)}
    script = subprocess.Popen(["bash", str(SCRIPT)], env=env)
    files = [tmp_path / "db_worker.pids", tmp_path / "runserver.pids"]
    wait_until(lambda: all(f.exists() and f.read_text().strip() for f in files), "not started")
    pids = [int(pid) for f in files for pid in f.read_text().split()]
    return script, pids


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_the_script_stops_the_worker_and_the_server(tmp_path, signum):
    script, pids = start(tmp_path)
    try:
        assert all(alive(pid) for pid in pids)
        script.send_signal(signum)
        assert script.wait(timeout=30) == 128 + signum
        wait_until(lambda: not any(alive(pid) for pid in pids), "a process outlived the script")
    finally:
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_worker_stops_when_the_server_ends(tmp_path):
    script, pids = start(tmp_path)
    server_pid = pids[2]
    try:
        os.kill(server_pid, signal.SIGTERM)
        script.wait(timeout=30)
        wait_until(lambda: not any(alive(pid) for pid in pids), "the worker outlived the server")
    finally:
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
