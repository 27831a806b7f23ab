"""Jobs survive a worker crash (issue 13.2): leases, recovery of stuck jobs, e-mails sent
once per notification, and a real worker process killed in the middle of a job."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rkpk.core import jobs
from rkpk.core.jobs import JobLease
from rkpk.core.tests.worker_support import RerunWhileSendingBackend, lease_of_this_job
from rkpk.notifications.models import Notification
from rkpk.notifications.services import notify
from rkpk.notifications.tasks import send_notification_emails

pytestmark = pytest.mark.django_db(transaction=True)


def running(result_id, *, started_ago: float, workers=("w1",)) -> DBTaskResult:
    """Make the queued job look claimed by `workers` (the last one now) `started_ago` s ago."""
    DBTaskResult.objects.filter(pk=result_id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(seconds=started_ago),
        worker_ids=list(workers),
    )
    return DBTaskResult.objects.get(pk=result_id)


def lease(result_id, *, host: str, pid: int, expires_in: float) -> JobLease:
    now = timezone.now()
    return JobLease.objects.create(
        task_result_id=result_id,
        worker_id="w1",
        hostname=host,
        pid=pid,
        taken_at=now,
        expires_at=now + timedelta(seconds=expires_in),
    )


def a_dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def status(result_id) -> str:
    return DBTaskResult.objects.get(pk=result_id).status


def test_a_job_whose_lease_expired_is_requeued_and_reported_by_run_scheduled():
    job = lease_of_this_job.enqueue()
    running(job.id, started_ago=900)
    lease(job.id, host="another-host", pid=1, expires_in=-5)
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    assert status(job.id) == "READY"
    assert not JobLease.objects.exists()
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Stuck job"))
    assert f"lease_of_this_job ({job.id})" in line
    assert "lease expired" in line and "re-queued" in line
    # Reported once: the next run finds nothing stuck.
    again = StringIO()
    call_command("run_scheduled", stdout=again)
    assert "Stuck job" not in again.getvalue()


def test_a_job_under_a_live_lease_is_left_alone():
    job = lease_of_this_job.enqueue()
    running(job.id, started_ago=900)
    lease(job.id, host="another-host", pid=1, expires_in=120)
    assert jobs.recover_stuck() == []
    assert status(job.id) == "RUNNING"
    assert JobLease.objects.count() == 1


def test_a_job_whose_worker_process_is_gone_on_this_host_is_requeued_at_once():
    job = lease_of_this_job.enqueue()
    running(job.id, started_ago=1)
    lease(job.id, host=jobs.hostname(), pid=a_dead_pid(), expires_in=300)
    [stuck] = jobs.recover_stuck()
    assert (stuck.reason, stuck.action) == ("worker process gone", "requeued")
    assert status(job.id) == "READY"


def test_a_job_claimed_without_a_lease_is_requeued_only_after_a_lease_time(settings):
    settings.RKPK_JOB_LEASE_SECONDS = 60
    recent = lease_of_this_job.enqueue()
    running(recent.id, started_ago=10)
    old = lease_of_this_job.enqueue()
    running(old.id, started_ago=120)
    assert [s.id for s in jobs.recover_stuck()] == [str(old.id)]
    assert (status(recent.id), status(old.id)) == ("RUNNING", "READY")


def test_a_job_that_lost_its_worker_too_often_is_failed_not_retried(settings):
    settings.RKPK_JOB_MAX_ATTEMPTS = 3
    job = lease_of_this_job.enqueue()
    running(job.id, started_ago=900, workers=("w1", "w2", "w3"))
    [stuck] = jobs.recover_stuck()
    assert stuck.action == "failed"
    result = DBTaskResult.objects.get(pk=job.id)
    assert result.status == "FAILED"
    assert result.exception_class_path == "rkpk.core.jobs.WorkerLost"
    assert "3 times" in result.traceback


def test_jobs_waiting_with_no_worker_are_reported(settings):
    settings.RKPK_JOB_LEASE_SECONDS = 60
    job = lease_of_this_job.enqueue()
    DBTaskResult.objects.filter(pk=job.id).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    out = StringIO()
    jobs.report_stuck(out)
    assert "1 job(s) have waited more than 60 s" in out.getvalue()


def test_the_worker_runs_each_job_under_its_own_lease_and_releases_it():
    job = lease_of_this_job.enqueue()
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    result = DBTaskResult.objects.get(pk=job.id)
    assert result.status == "SUCCESSFUL", result.traceback
    assert result.return_value["mine"] is True
    assert result.return_value["worker_id"] == result.worker_ids[-1]
    assert not JobLease.objects.exists()


def test_notification_emails_are_sent_once_however_often_the_job_runs(make_user):
    first = make_user("penerima1", email="satu@example.go.id")
    second = make_user("penerima2", email="dua@example.go.id")
    created = notify(recipients=[first, second], event="test.job", title="Uji", body="Isi")
    ids = [n.pk for n in created]
    # The first was e-mailed by a run a crash interrupted; the rerun sends only the other.
    Notification.objects.filter(pk=ids[0]).update(emailed_at=timezone.now())
    assert send_notification_emails.call(ids) == 1
    assert send_notification_emails.call(ids) == 0
    assert [m.to for m in mail.outbox] == [[Notification.objects.get(pk=ids[1]).recipient.email]]


def test_two_runs_of_the_notification_job_at_once_send_each_e_mail_once(make_user, settings):
    first = make_user("penerima1", email="satu@example.go.id")
    second = make_user("penerima2", email="dua@example.go.id")
    ids = [n.pk for n in notify(recipients=[first, second], event="test.job", title="Uji")]
    settings.EMAIL_BACKEND = "rkpk.core.tests.worker_support.RerunWhileSendingBackend"
    RerunWhileSendingBackend.rerun_ids = ids
    send_notification_emails.call(ids)
    assert sorted(m.to[0] for m in mail.outbox) == ["dua@example.go.id", "satu@example.go.id"]


# ---------------------------------------------------------------- a real worker, killed


class SharedDatabase:
    """The test database as another process opens it: PostgreSQL's test database as is;
    SQLite's in-memory one copied to a file and back (the backup API)."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
            host = s["HOST"] or "localhost"
            self.url = f"postgres://{s['USER']}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"

    def push(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        if self.sqlite:
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, "the worker exited before the job got that far"
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.1)


def worker_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "rkpk.cli", "db_worker", "--queue-name", "*",
            "--interval", "0.1", "--no-startup-delay", "--no-reload", *extra]  # fmt: skip


def test_a_worker_killed_mid_job_leaves_a_job_that_runs_again_and_mails_once(make_user, tmp_path):
    first = make_user("penerima1", email="satu@example.go.id")
    second = make_user("penerima2", email="dua@example.go.id")
    with transaction.atomic():  # the job is queued when this commits, as in a request
        notify(recipients=[first, second], event="test.job", title="Uji", body="Isi")
    job = DBTaskResult.objects.get()
    assert job.task_path == "rkpk.notifications.tasks.send_notification_emails"
    shared = SharedDatabase(tmp_path)
    shared.push()
    log, gate = tmp_path / "mail.jsonl", tmp_path / "gate"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "RKPK_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "rkpk.settings",
        "DATABASE_URL": shared.url,
        "RKPK_HOME": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "rkpk.core.tests.worker_support.RecordingEmailBackend",
        "RKPK_TEST_MAIL_LOG": str(log),
        "RKPK_TEST_MAIL_HOLD_AFTER": "1",  # the second e-mail waits: the job is mid-way
        "RKPK_TEST_MAIL_GATE": str(gate),
    }
    output = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(worker_command(), env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for(Path(f"{log}.held"), worker)
        shared.pull()
        assert DBTaskResult.objects.get().status == "RUNNING"
        assert JobLease.objects.get().pid == worker.pid
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=60) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        output.close()

    shared.pull()
    assert DBTaskResult.objects.get().status == "RUNNING"  # as the crash left it
    mailed = [json.loads(line)["to"] for line in log.read_text().splitlines()]
    assert len(mailed) == 1
    # The first e-mail is recorded as sent; the second's claim died with its transaction.
    emailed = dict(Notification.objects.values_list("recipient__email", "emailed_at"))
    assert emailed[mailed[0][0]] is not None
    assert sum(at is None for at in emailed.values()) == 1

    gate.touch()
    restarted = subprocess.run(
        worker_command("--batch"), env=env, capture_output=True, text=True, timeout=300
    )
    said = restarted.stdout + restarted.stderr
    assert restarted.returncode == 0, said
    assert f"Recovered job {job.id}" in said and "worker process gone" in said

    shared.pull()
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL", job.traceback
    assert job.return_value == 1  # the rerun sent only what the crash had not
    assert len(job.worker_ids) == 2
    assert not JobLease.objects.exists()
    mailed = sorted(json.loads(line)["to"][0] for line in log.read_text().splitlines())
    assert mailed == ["dua@example.go.id", "satu@example.go.id"]  # each exactly once
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
