"""Background jobs that survive a worker crash: leases on running jobs, and their recovery.

django-tasks-db marks a job RUNNING when a worker claims it and leaves it so if the worker
dies: nothing would ever run it again. Our worker (`rkpk db_worker`, the command in
rkpk.core.management.commands) takes a lease on each job it runs, a JobLease row naming
the worker, its host and process, which a heartbeat thread renews every third of the lease
time while the job runs, and deletes when the job ends. A RUNNING job is stuck when its
lease expired, when its worker's process on this host is gone, or (a crash between the
claim and the lease) when it has no lease and started longer than a lease time ago.
`recover_stuck()` puts stuck jobs back in the queue (READY) to run again, or fails them
once they have been lost MAX_ATTEMPTS times (a job that kills its worker must not loop).
The worker recovers at start and then every lease time; `rkpk run_scheduled` too, and
lists what it found. Every job is therefore written to be safe to run twice.
"""

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

RUNNING = "RUNNING"


def lease_seconds() -> int:
    """How long a job's lease lasts without a heartbeat (setting RKPK_JOB_LEASE_SECONDS)."""
    return int(getattr(settings, "RKPK_JOB_LEASE_SECONDS", 300))


def max_attempts() -> int:
    """Runs of a job lost to crashes before it is failed (setting RKPK_JOB_MAX_ATTEMPTS)."""
    return int(getattr(settings, "RKPK_JOB_MAX_ATTEMPTS", 3))


class JobLease(models.Model):
    """The claim of a running worker on the job it runs; renewed by its heartbeat."""

    task_result = models.OneToOneField(
        DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    worker_id = models.CharField(max_length=64)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    taken_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.task_result_id} @ {self.hostname}:{self.pid} until {self.expires_at}"


class WorkerLost(Exception):
    """Recorded as the error of a job failed after its worker was lost MAX_ATTEMPTS times."""


def hostname() -> str:
    return socket.gethostname()[:255]


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


# ---------------------------------------------------------------------- the worker's side


def take_lease(result_id, worker_id: str) -> None:
    now = timezone.now()
    JobLease.objects.update_or_create(
        task_result_id=result_id,
        defaults={
            "worker_id": worker_id[:64],
            "hostname": hostname(),
            "pid": os.getpid(),
            "taken_at": now,
            "expires_at": now + timedelta(seconds=lease_seconds()),
        },
    )


def renew_lease(result_id) -> int:
    expires = timezone.now() + timedelta(seconds=lease_seconds())
    return JobLease.objects.filter(task_result_id=result_id, pid=os.getpid()).update(
        expires_at=expires
    )


def release_lease(result_id) -> None:
    JobLease.objects.filter(task_result_id=result_id, pid=os.getpid()).delete()


class Heartbeat(threading.Thread):
    """Renews the lease of the job running now; recovers stuck jobs every lease time.

    A thread, so that a job busy for an hour in one call still keeps its lease. Database
    errors (SQLite busy while the job writes) are logged and retried at the next beat: the
    lease lasts three beats.
    """

    def __init__(self):
        super().__init__(name="rkpk-job-heartbeat", daemon=True)
        self.current = None
        self.stopping = threading.Event()
        self.last_recovery: datetime | None = None

    def run(self) -> None:
        from django.db import connection

        interval = max(lease_seconds() / 3, 0.2)
        try:
            while not self.stopping.wait(interval):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        try:
            current = self.current
            if current is not None:
                renew_lease(current)
            now = timezone.now()
            due = self.last_recovery is None or now - self.last_recovery >= timedelta(
                seconds=lease_seconds()
            )
            if due:
                self.last_recovery = now
                recover_stuck(now=now)
        except DatabaseError:
            logger.warning("Job heartbeat failed; retrying at the next beat.", exc_info=True)

    def stop(self) -> None:
        self.stopping.set()


# ---------------------------------------------------------------------- recovery


@dataclass(frozen=True)
class StuckJob:
    id: str
    task_path: str
    started_at: datetime | None
    worker_id: str
    reason: str
    action: str  # "requeued" or "failed"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]


def why_stuck(result: DBTaskResult, lease: JobLease | None, now: datetime) -> str:
    """Why the RUNNING `result` is stuck, or "" when its worker may still be running it."""
    if lease is None:
        started = result.started_at
        if started is None or now - started > timedelta(seconds=lease_seconds()):
            return "no lease"
        return ""
    if lease.expires_at < now:
        return "lease expired"
    if lease.hostname == hostname() and not process_alive(lease.pid):
        return "worker process gone"
    return ""


def recover_stuck(*, now: datetime | None = None) -> list[StuckJob]:
    """Re-queue (or, past MAX_ATTEMPTS, fail) the RUNNING jobs whose worker is gone."""
    now = now or timezone.now()
    found = []
    running = DBTaskResult.objects.filter(status=RUNNING).select_related("lease").order_by("pk")
    for result in running:
        lease = getattr(result, "lease", None)
        reason = why_stuck(result, lease, now)
        if not reason:
            continue
        attempts = len(result.worker_ids or [])
        worker = lease.worker_id if lease else (result.worker_ids or [""])[-1]
        with transaction.atomic():
            # Guarded by started_at: a worker that claimed the job again meanwhile set a new one.
            still = DBTaskResult.objects.filter(
                pk=result.pk, status=RUNNING, started_at=result.started_at
            )
            if attempts >= max_attempts():
                action = "failed"
                changed = still.update(
                    status="FAILED",
                    finished_at=now,
                    return_value=None,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=(
                        f"{WorkerLost.__qualname__}: the worker running this job was lost "
                        f"{attempts} times ({reason}); not retried again."
                    ),
                )
            else:
                action = "requeued"
                changed = still.update(status="READY")
            if not changed:
                continue
            JobLease.objects.filter(task_result_id=result.pk).delete()
        logger.warning(
            "Job %s (%s) was stuck (%s, worker %s): %s.",
            result.pk,
            result.task_path,
            reason,
            worker,
            action,
        )
        found.append(
            StuckJob(
                id=str(result.pk),
                task_path=result.task_path,
                started_at=result.started_at,
                worker_id=worker,
                reason=reason,
                action=action,
            )
        )
    return found


def waiting_too_long(*, now: datetime | None = None) -> int:
    """Jobs due for longer than a lease time that no worker took: is a worker running?"""
    now = now or timezone.now()
    return (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=now - timedelta(seconds=lease_seconds()))
        .count()
    )


def report_stuck(out) -> list[StuckJob]:
    """Recover stuck jobs and write one line per job to `out` (rkpk run_scheduled)."""
    stuck = recover_stuck()
    for job in stuck:
        started = timezone.localtime(job.started_at).isoformat() if job.started_at else "?"
        verb = "re-queued" if job.action == "requeued" else "failed after too many attempts"
        out.write(
            f"Stuck job {job.task_name} ({job.id}), started {started} by worker "
            f"{job.worker_id or '?'} ({job.reason}): {verb}."
        )
    waiting = waiting_too_long()
    if waiting:
        out.write(
            f"{waiting} job(s) have waited more than {lease_seconds()} s: is a worker "
            "(`rkpk db_worker`) running?"
        )
    return stuck
