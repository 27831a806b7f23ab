import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.organisation import demo_orgs
from rkpk.organisation.models import User
from rkpk.plans import demo as plans_demo
from rkpk.procedure import services as procedure_services
from rkpk.procedure.models import Cycle
from rkpk.site import demo as site_demo

DEFAULT_DEMO_PASSWORD = "rkpk-demo-2026"


class Command(BaseCommand):
    help = (
        "Load a demo organisation (profile, units, officials, demo accounts), its example "
        "strategic goals, plans and a running demo cycle. Safe to run again: it updates what "
        "it made. Demo organisations: "
        + "; ".join(f"{d.name} = {d.title}: {d.description}" for d in demo_orgs.DEMOS.values())
        + f" (default {demo_orgs.DEFAULT}). A database holding another organisation is "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            default=demo_orgs.DEFAULT,
            metavar="NAME",
            help=(
                f"The demo organisation to load: {', '.join(demo_orgs.names())} "
                f"(default {demo_orgs.DEFAULT})."
            ),
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
            help="Password of every demo account (default: $DEMO_PASSWORD or %(default)s).",
        )
        parser.add_argument("--no-cycle", action="store_true", help="Start no demo cycle.")
        parser.add_argument(
            "--units", type=int, default=0, help="Also generate N synthetic units (benchmarks)."
        )
        parser.add_argument(
            "--indicators", type=int, default=8, help="Indicators per generated plan (default 8)."
        )
        parser.add_argument(
            "--years", type=int, default=2, help="Plan years to generate, ending next year."
        )

    @transaction.atomic
    def handle(self, *args, organisation, password, no_cycle, units, indicators, years, **options):
        if units < 0 or indicators < 1 or not 1 <= years <= 20:
            raise CommandError("--units ≥ 0, --indicators ≥ 1 and --years from 1 to 20.")
        try:
            demo = demo_orgs.check_can_load(organisation)
        except KeyError as error:
            raise CommandError(error.args[0]) from None
        except demo_orgs.DemoConflict as error:
            raise CommandError(str(error)) from None
        summary = demo.load_organisation(password=password)
        goals = site_demo.load_goals(demo)
        audit.record(
            actor=None,
            action="demo.seeded",
            object_type="demo",
            after={"organisation": demo.name, **summary, **goals},
        )
        self.stdout.write(
            f"Demo organisation {demo.name} ({demo.title}): {summary['units']} units, "
            f"{summary['officials']} officials, {summary['users']} accounts; "
            f"{goals['goals']} example strategic goals."
        )
        if not no_cycle:
            cycle = self.start_demo_cycle()
            if cycle:
                self.stdout.write(f"Demo cycle: {cycle.name}, started {cycle.start_date}.")
        plan_years = list(range(today().year + 2 - years, today().year + 2))
        submitter = User.objects.get(username="operator2")
        reviewer = User.objects.get(username="staf")
        made = site_demo.load_plans(
            demo, years=plan_years[-2:], submitter=submitter, reviewer=reviewer
        )
        if units:
            generated = plans_demo.generate_organisation(units)
            made += plans_demo.generate(
                units=generated,
                indicators=indicators,
                years=plan_years,
                submitter=submitter,
                reviewer=reviewer,
            )
            self.stdout.write(f"Generated {len(generated)} units.")
        self.stdout.write(f"Plans created: {made}.")

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
