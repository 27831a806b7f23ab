from django.core.management.base import BaseCommand

from rkpk.core.tasks import verify_audit_trail
from rkpk.notifications.tasks import send_daily_digests

# The daily jobs, in the order they are queued.
DAILY = (verify_audit_trail, send_daily_digests)


class Command(BaseCommand):
    help = (
        "Queue the daily background jobs for the worker (run from cron, e.g. at 06:00 "
        "Asia/Jakarta): the audit-chain check, the notification digests and the complaint "
        "reminders. Queuing twice is harmless: each job is idempotent."
    )

    def handle(self, *args, **options):
        for task in DAILY:
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} ({result.id}).")
