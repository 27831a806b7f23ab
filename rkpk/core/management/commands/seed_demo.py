import os

from django.core.management.base import BaseCommand
from django.db import transaction

from rkpk.analysis.demo import load_demo_goals
from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.organisation.demo import load_demo_organisation
from rkpk.organisation.models import User
from rkpk.procedure import services as procedure_services
from rkpk.procedure.models import Cycle

DEFAULT_DEMO_PASSWORD = "rkpk-demo-2026"


class Command(BaseCommand):
    help = (
        "Load the demo organisation (units, officials, demo accounts), 21 example strategic "
        "goals and a running demo cycle. Safe to run again: it updates what it made."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
            help="Password of every demo account (default: $DEMO_PASSWORD or %(default)s).",
        )
        parser.add_argument("--no-cycle", action="store_true", help="Start no demo cycle.")

    @transaction.atomic
    def handle(self, *args, password, no_cycle, **options):
        summary = load_demo_organisation(password=password)
        goals = load_demo_goals()
        audit.record(
            actor=None, action="demo.seeded", object_type="demo", after={**summary, "goals": goals}
        )
        self.stdout.write(
            f"Demo organisation: {summary['units']} units, {summary['officials']} officials, "
            f"{summary['users']} accounts; {goals} example strategic goals."
        )
        if not no_cycle:
            cycle = self.start_demo_cycle()
            if cycle:
                self.stdout.write(f"Demo cycle: {cycle.name}, started {cycle.start_date}.")

    def start_demo_cycle(self):
        """A cycle for next year's plans, begun some working days ago: steps 1–2 done, 3 running."""
        year = today().year + 1
        if Cycle.objects.filter(year=year).exists():
            return None
        cal = WorkingCalendar()
        staff = User.objects.get(username="staf")
        start = today()
        for _ in range(6):  # six working days back
            start = start.fromordinal(start.toordinal() - 1)
            while not cal.is_working_day(start):
                start = start.fromordinal(start.toordinal() - 1)
        cycle = procedure_services.start_cycle(actor=staff, year=year, start_date=start)
        steps = {s.number: s for s in cycle.steps.all()}
        step1_end = cal.add_working_days(start, 3)  # one day over the standard of 2
        step2_end = cal.add_working_days(step1_end, 1)
        procedure_services.advance(actor=staff, step=steps[1], action="start", on_date=start)
        procedure_services.advance(actor=staff, step=steps[1], action="complete", on_date=step1_end)
        procedure_services.advance(actor=staff, step=steps[2], action="start", on_date=step1_end)
        procedure_services.advance(actor=staff, step=steps[2], action="complete", on_date=step2_end)
        procedure_services.advance(actor=staff, step=steps[3], action="start", on_date=step2_end)
        return cycle
