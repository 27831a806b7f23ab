from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rkpk.organisation.models import Unit, User


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Import a unit's RK-PK from its Excel workbook (.xlsx). Every row is checked first: "
        "exit status 0 when imported, 1 with one problem per line when anything is wrong "
        "(then nothing is imported). The workbook replaces the plan's goals, indicators and "
        "programs/activities; the plan is started when the unit has none for the year."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook (.xlsx).")
        parser.add_argument("--unit", required=True, help="Code of the unit, e.g. SETMEN.BU.")
        parser.add_argument("--year", required=True, type=int, help="Plan year, e.g. 2027.")
        parser.add_argument(
            "--user",
            help="User name recorded as the actor (default: the system). The user must be "
            "allowed to edit the unit's plan.",
        )
        parser.add_argument(
            "--propose-rollups",
            action="store_true",
            help="Only list the lines recognised as roll-ups of a unit below (a unit named, "
            "with exactly its plan total); by default they are marked as roll-ups.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even if the plan was changed after the workbook was downloaded.",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Import even if the workbook holds fewer than half of the plan's current rows "
            "(the replaced content is kept as a version in the audit trail).",
        )

    def handle(
        self,
        *args,
        file,
        unit,
        year,
        user=None,
        force=False,
        propose_rollups=False,
        allow_shrink=False,
        **options,
    ):
        unit_obj = Unit.objects.filter(code=unit).first()
        if unit_obj is None:
            raise CommandError(f"Unknown unit code {unit!r}.")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Unknown or inactive user {user!r}.")
            if not actor.has_perm("plans.edit_plan", unit_obj):
                raise CommandError(f"The user {user} may not edit the plans of {unit}.")
        from rkpk.plans import excel, services  # openpyxl: imported when needed

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > excel.MAX_BYTES:
            raise CommandError(excel.too_large_message())
        try:
            plan = services.get_or_create_plan(actor=actor, unit=unit_obj, year=year)
            result = excel.import_workbook(
                actor=actor,
                plan=plan,
                data=path.read_bytes(),
                filename=path.name,
                overwrite=force,
                apply_rollups=not propose_rollups,
                allow_shrink=allow_shrink,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            addable = [v for v in result.unknown_values if not v["inactive"]]
            if addable:
                # Each value is listed once above, with every row that uses it.
                self.stderr.write(
                    f"{len(addable)} value(s) are not on the lists. The bureau adds them on the "
                    "import report page, with `rkpk reference_list add <list> <value>...`, or "
                    "POST /api/v1/lists/add-unknown; then import again."
                )
            hint = (
                " Use --force to import anyway."
                if result.conflict
                else " Use --allow-shrink to import anyway."
                if result.shrink
                else ""
            )
            count = len(result.errors)
            problems = "1 problem" if count == 1 else f"{count} problems"
            raise CommandError(
                f"{problems} in {path.name}; nothing was imported.{hint}", returncode=1
            )
        counts = result.counts
        self.stdout.write(
            f"Imported {path.name} into RK-PK {year} of {unit}. Goals: {counts['goals']}, "
            f"indicators: {counts['indicators']}, programs/activities: {counts['activities']}, "
            f"activity indicators: {counts['activity_indicators']}."
        )
        for line in result.rollups:
            state = "marked as rolling up" if line["applied"] else "proposed: rolls up"
            self.stdout.write(
                f"Kegiatan row {line['row']} “{line['name'][:60]}”: {state} the plan of "
                f"{line['unit_code']} {line['unit_name']}."
            )
