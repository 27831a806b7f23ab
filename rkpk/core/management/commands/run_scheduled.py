from django.core.management.base import BaseCommand

from rkpk.core.tasks import verify_audit_trail


class Command(BaseCommand):
    help = (
        "Queue the daily background jobs for the worker (run from cron, e.g. at 06:00 "
        "Asia/Jakarta). Queuing twice is harmless: each job only reads or notifies."
    )

    def handle(self, *args, **options):
        result = verify_audit_trail.enqueue()
        self.stdout.write(f"Queued verify_audit_trail ({result.id}).")
