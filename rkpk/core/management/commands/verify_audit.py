from django.core.management.base import BaseCommand, CommandError

from rkpk.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit 1 and name the first broken event if any."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit trail broken at event #{report.broken_seq}: {report.reason} "
                f"({report.checked} events before it are intact)."
            )
        self.stdout.write(f"Audit trail intact: {report.checked} events verified.")
