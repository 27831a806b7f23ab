import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from rkpk.core import audit
from rkpk.core.models import AuditEvent
from rkpk.core.tests.test_audit import _sql as tamper
from rkpk.site.registry import daily_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def audit_job() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path__endswith="verify_audit_trail")


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)


def test_the_daily_jobs_are_queued_in_their_order():
    assert [job.name for job in daily_jobs()] == [
        "verify_audit_trail",
        "anchor_audit_chain",
        "remind_overdue_complaints",
        "close_expired_surveys",
        "send_daily_digests",
    ]


def test_scheduled_jobs_are_run_by_the_database_worker(make_user):
    make_user("admin1", "admin", email="admin@example.go.id")
    audit.record(actor=None, action="test.one", object_type="x")
    call_command("run_scheduled")
    assert DBTaskResult.objects.count() == len(daily_jobs())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert audit_job().return_value["ok"] is True
    # The only mail is the anchor of the head to the administrator; no alert.
    assert [message.to for message in mail.outbox] == [["admin@example.go.id"]]
    assert "#1" in mail.outbox[0].subject and AuditEvent.objects.get().hash in (mail.outbox[0].body)


def test_a_broken_chain_alerts_the_administrators(make_user):
    make_user("admin1", "admin", email="admin@example.go.id")
    make_user("staff1", "staff", email="staff@example.go.id")
    for n in range(3):
        audit.record(actor=None, action="test.n", object_type="x", object_id=str(n))
    tamper(f"UPDATE {AuditEvent._meta.db_table} SET action = 'forged' WHERE seq = 2", [])
    call_command("run_scheduled")
    run_worker()
    result = audit_job()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["broken_seq"] == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@example.go.id"]
    assert "#2" in mail.outbox[0].body
