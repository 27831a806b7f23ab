from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rkpk.core.calendar import WorkingCalendar


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date in the form YYYY-MM-DD: {text!r}") from error


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Working-day arithmetic on the calendar (national holidays, cuti bersama, overrides). "
        "'add DATE N' prints the date on which N working days after DATE end (DATE is day 0); "
        "'count START END' prints the working days after START up to and including END."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        add = sub.add_parser("add", help="The end of N working days that start on DATE.")
        add.add_argument("date")
        add.add_argument("n", type=int)
        count = sub.add_parser("count", help="Working days in (START, END].")
        count.add_argument("start")
        count.add_argument("end")

    def handle(self, *args, operation, **options):
        cal = WorkingCalendar()
        if operation == "add":
            if options["n"] < 0:
                raise CommandError("N must be zero or more.")
            result = cal.add_working_days(parse_date(options["date"]), options["n"])
            self.stdout.write(result.isoformat())
        else:
            result = cal.count_working_days(
                parse_date(options["start"]), parse_date(options["end"])
            )
            self.stdout.write(str(result))
