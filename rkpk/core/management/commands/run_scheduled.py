from django.core.management.base import BaseCommand

from rkpk.complaints.tasks import remind_overdue_complaints
from rkpk.core import jobs
from rkpk.core.tasks import anchor_audit_chain, verify_audit_trail
from rkpk.notifications.tasks import send_daily_digests
from rkpk.survey.tasks import close_expired_surveys

# The daily jobs, in the order they are queued.
DAILY = (
    verify_audit_trail,
    anchor_audit_chain,
    remind_overdue_complaints,
    close_expired_surveys,
    send_daily_digests,
)


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Queue the daily background jobs for the worker (run from cron, e.g. at 06:00 "
        "Asia/Jakarta): the audit-chain check, the notification digests, the complaint "
        "reminders and the closing of expired surveys. Queuing twice is harmless: each job "
        "is idempotent. First lists and re-queues the jobs a crashed worker left running."
    )

    def handle(self, *args, **options):
        jobs.report_stuck(self.stdout)
        for task in DAILY:
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} ({result.id}).")
