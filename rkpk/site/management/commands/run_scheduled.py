from django.core.management.base import BaseCommand

from rkpk.core import jobs
from rkpk.site import registry


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
        for task in registry.daily_jobs():
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} ({result.id}).")
