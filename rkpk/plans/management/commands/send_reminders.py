from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rkpk.core.calendar import today
from rkpk.plans.reminders import default_days_before
from rkpk.plans.tasks import send_reminders


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date in the form YYYY-MM-DD: {text!r}") from error


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Queue the day's RK-PK reminders for the worker (run from cron every day, e.g. at "
        "07:00 Asia/Jakarta). Units are reminded N working days before the submission "
        "deadline and every working day once late; late units are escalated to the Head of "
        "Bureau and their Eselon I head. Safe to run twice: nothing is sent twice for a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to remind for, YYYY-MM-DD (default: today, Asia/Jakarta).",
        )
        parser.add_argument(
            "--days-before",
            type=int,
            dest="days_before",
            help=(
                "Remind this many working days before the deadline (default: the setting "
                f"RKPK_REMINDER_DAYS_BEFORE, now {default_days_before()})."
            ),
        )

    def handle(self, *args, **options):
        on_date = parse_date(options["date"]) if options["date"] else today()
        days_before = options["days_before"]
        if days_before is not None and days_before < 0:
            raise CommandError("--days-before must be 0 or more.")
        result = send_reminders.enqueue(on_date=on_date.isoformat(), days_before=days_before)
        self.stdout.write(f"Queued send_reminders for {on_date.isoformat()} ({result.id}).")
