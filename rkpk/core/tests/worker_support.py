"""Test-only parts loaded by a real worker process (see test_jobs.py): an e-mail backend
that records what it sends and can hold a message until the test lets it go, and a task
that reports whether it runs under a lease."""

import json
import os
import time
from pathlib import Path

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

HOLD_TIMEOUT = 300  # seconds; a forgotten worker gives up rather than wait for ever


class RecordingEmailBackend(BaseEmailBackend):
    """Appends each message as a JSON line to $RKPK_TEST_MAIL_LOG.

    With $RKPK_TEST_MAIL_HOLD_AFTER=N, a message sent when the log holds N or more waits,
    before it is sent, until the file $RKPK_TEST_MAIL_GATE exists; `<log>.held` is written
    when it starts waiting, so the test knows the job is in the middle of its work.
    """

    def send_messages(self, messages):
        log = Path(os.environ["RKPK_TEST_MAIL_LOG"])
        hold_after = os.environ.get("RKPK_TEST_MAIL_HOLD_AFTER")
        gate = Path(os.environ.get("RKPK_TEST_MAIL_GATE", "/nonexistent"))
        for message in messages:
            sent = len(log.read_text().splitlines()) if log.exists() else 0
            if hold_after and sent >= int(hold_after) and not gate.exists():
                Path(f"{log}.held").write_text(str(os.getpid()))
                deadline = time.monotonic() + HOLD_TIMEOUT
                while not gate.exists():
                    if time.monotonic() > deadline:
                        raise TimeoutError("the test never opened the gate")
                    time.sleep(0.05)
            with log.open("a") as out:
                out.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
                out.flush()
                os.fsync(out.fileno())
        return len(messages)


@task()
def lease_of_this_job() -> dict:
    """The lease this very job runs under, as the worker holds it."""
    from rkpk.core.jobs import JobLease

    lease = JobLease.objects.get()
    return {"pid": lease.pid, "worker_id": lease.worker_id, "mine": lease.pid == os.getpid()}


class RerunWhileSendingBackend(locmem.EmailBackend):
    """Django's test outbox; while the first message goes out, the notification job runs
    again over `rerun_ids`: a second run of the same job at the same moment (a job
    re-queued while its first worker was only slow)."""

    rerun_ids: list[int] | None = None

    def send_messages(self, messages):
        ids, RerunWhileSendingBackend.rerun_ids = RerunWhileSendingBackend.rerun_ids, None
        if ids:
            from rkpk.notifications.tasks import send_notification_emails

            send_notification_emails.call(ids)
        return super().send_messages(messages)
