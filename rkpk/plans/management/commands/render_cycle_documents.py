"""`rkpk render_cycle_documents --year Y`: every unit's PK of the year as PDF, and their ZIP."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Render every unit's PK of a year as PDF (those already stored for the same content "
        "are kept), one unit at a time, and write their ZIP under MEDIA_ROOT/rendered/cycles. "
        "Memory stays that of one document. With --queue, the worker does it instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--queue", action="store_true", help="Queue the work for the worker and return."
        )

    def handle(self, *args, **options):
        # Imported here: weasyprint is not needed to start (issue 13.15).
        from rkpk.plans import document_tasks, rendered

        year = options["year"]
        if not rendered.cycle_plan_ids(year):
            raise CommandError(f"No plans for {year}.")
        if options["queue"]:
            result = document_tasks.render_cycle_documents.enqueue(year=year)
            self.stdout.write(f"Queued render_cycle_documents for {year} ({result.id}).")
            return

        def progress(done: int, total: int, plan) -> None:
            if options["verbosity"] > 1 or done == total or done % 10 == 0:
                self.stdout.write(f"{done}/{total} {plan.unit.code}")

        path = rendered.write_cycle_zip(year, progress=progress)
        self.stdout.write(f"Wrote {path}.")
