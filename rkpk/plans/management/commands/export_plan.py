from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rkpk.organisation.models import Unit
from rkpk.plans.models import UnitPlan

FORMATS = ("xlsx", "docx", "pdf")


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Export a unit's RK-PK: xlsx is the plan's workbook (the one `import_plan` reads; the "
        "plan is started when the unit has none yet), docx and pdf the RK and PK documents."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Code of the unit, e.g. SETMEN.BU.")
        parser.add_argument("--year", required=True, type=int, help="Plan year, e.g. 2027.")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, unit, year, fmt, out, **options):
        unit_obj = Unit.objects.filter(code=unit).first()
        if unit_obj is None:
            raise CommandError(f"Unknown unit code {unit!r}.")
        if fmt == "xlsx":
            from rkpk.plans import excel, services  # openpyxl: imported when needed

            try:
                plan = services.get_or_create_plan(actor=None, unit=unit_obj, year=year)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            content = excel.build_workbook(plan)
        else:
            plan = UnitPlan.objects.filter(unit=unit_obj, year=year).first()
            if plan is None:
                raise CommandError(f"{unit} has no plan for {year}.")
            from rkpk.plans.documents import render_plan_document

            content = render_plan_document(plan, doc="rkpk", fmt=fmt)
        path = Path(out)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(f"Wrote RK-PK {year} of {unit} as {fmt} to {out} ({len(content)} bytes).")
