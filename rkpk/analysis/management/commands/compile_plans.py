"""`rkpk compile_plans --year YYYY --out DIR [--user USERNAME]`: compile a new version of the
ministry RK-PK from the accepted unit plans and write the consolidated RK and PK as .xlsx,
.docx and .pdf into DIR. Prints the warnings (e.g. units still missing)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--user", help="username recorded as the compiler (default: system)")

    def handle(self, *args, year, out, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user!r}")
        # Imported here: openpyxl, docx and weasyprint are not needed to start (issue 13.15).
        from rkpk.analysis import consolidated_documents
        from rkpk.analysis.services import compile_year

        try:
            compilation = compile_year(actor=actor or "compile_plans", year=year)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for doc in consolidated_documents.DOCS:
            for fmt in consolidated_documents.FORMATS:
                name = consolidated_documents.filename(compilation, doc=doc, fmt=fmt)
                (out / name).write_bytes(
                    consolidated_documents.render(compilation, doc=doc, fmt=fmt)
                )
                written.append(name)
        counts = compilation.data["counts"]
        self.stdout.write(
            f"Compiled RK-PK {year} version {compilation.number}: {counts['units']} units, "
            f"{counts['indicators']} indicators ({counts['unmapped']} unmapped), "
            f"{counts['missing']} units missing."
        )
        for warning in compilation.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        for name in written:
            self.stdout.write(str(out / name))
