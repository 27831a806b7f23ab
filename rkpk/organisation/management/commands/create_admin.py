import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rkpk.organisation import services
from rkpk.organisation.models import Role, User


class Command(BaseCommand):
    help = (
        "Create the system administrator: an account holding the administrator role, who "
        "then sets up everything else on the pages (start at /setup/). With an existing "
        "username (e.g. one made by createsuperuser), grant that account the role."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Read the new account's password from this environment variable "
            "(otherwise it is asked for twice).",
        )

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
            return password
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first

    def handle(self, *args, username, email, first_name, last_name, password_env, **options):
        user = User.objects.filter(username__iexact=username.strip()).first()
        try:
            with transaction.atomic():
                if user is None:
                    user = services.create_user(
                        actor=None,
                        username=username,
                        password=self._password(password_env),
                        first_name=first_name,
                        last_name=last_name,
                        email=email,
                        check_permission=False,
                    )
                    created = True
                else:
                    created = False
                    if not user.is_active:
                        raise CommandError(f"The account {user.username!r} is deactivated.")
                if user.role_assignments.filter(role=Role.ADMIN).exists():
                    self.stdout.write(f"{user.username} already holds the administrator role.")
                    return
                services.add_role(actor=None, user=user, role=Role.ADMIN, check_permission=False)
        except ValidationError as error:
            problems = (
                "; ".join(
                    f"{field}: {' '.join(str(m) for m in messages)}"
                    for field, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            raise CommandError(problems) from error
        what = "Created" if created else "Granted the administrator role to"
        self.stdout.write(
            f"{what} {user.username}. Log in and open /setup/ for the set-up checklist."
        )
