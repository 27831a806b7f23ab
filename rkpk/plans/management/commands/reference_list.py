from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from rkpk.organisation.models import User
from rkpk.plans import lists, lists_xlsx


class Command(BaseCommand):
    help = (
        "The plans' reference lists (measure-units, qualitative-values, return-reasons): "
        "show, export to XLSX, import from XLSX/CSV (all or nothing; exit status 1 with one "
        "problem per line naming sheet, row and column), or add values."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "export", "import", "add"])
        parser.add_argument("list", choices=sorted(lists.KINDS))
        parser.add_argument(
            "args",
            nargs="*",
            help="export: the output file; import: the file; add: the values to add.",
        )
        parser.add_argument(
            "--user",
            help="User name recorded as the actor of a change (default: the system). The user "
            "must be allowed to manage the lists.",
        )

    def handle(self, *args, action, list: str, user=None, **options):  # noqa: A002
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Unknown or inactive user {user!r}.")
        kind = lists.kind_of(list)
        try:
            if action == "show":
                for obj in lists.values(list):
                    state = "" if obj.is_active else "\t(deactivated)"
                    self.stdout.write(f"{obj.sort_order}\t{lists.label(obj)}{state}")
            elif action == "export":
                if len(args) != 1:
                    raise CommandError("Give the output file.")
                Path(args[0]).write_bytes(lists_xlsx.export_list(list))
                self.stdout.write(f"Wrote {args[0]}.")
            elif action == "import":
                self._import(actor, list, args)
            else:
                if kind.model is lists.ReturnReason:
                    raise CommandError("Add return reasons on the page or through the API.")
                if not args:
                    raise CommandError("Give the values to add.")
                created = lists.add_unknown_values(
                    actor=actor, entries=[(list, value) for value in args], source="command"
                )
                names = ", ".join(lists.label(o) for o in created) or "nothing (all present)"
                self.stdout.write(f"Added {names}.")
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _import(self, actor, slug: str, args) -> None:
        if len(args) != 1:
            raise CommandError("Give the file to import.")
        path = Path(args[0])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        result = lists_xlsx.import_list(actor=actor, slug=slug, upload=upload, filename=path.name)
        if result.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(result.ignored_columns))
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error.in_words())
            count = len(result.errors)
            raise CommandError(
                f"{count} problem(s) in {path.name}; nothing was imported.", returncode=1
            )
        self.stdout.write(f"Imported {path.name}: {result.added} added, {result.updated} changed.")
