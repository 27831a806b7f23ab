from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rkpk.api import services


class Command(BaseCommand):
    help = (
        "Create a personal API token for a user and print its secret (once: only its hash "
        "is stored). Send it as 'Authorization: Bearer <token>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What will use the token.")
        parser.add_argument(
            "--days", type=int, default=None, help="Lifetime in days (default: no expiry)."
        )

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            new = services.create_token(
                actor=None, user=user, name=name, days=days, check_permission=False
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # The secret alone on stdout, so that scripts can capture it; the rest to stderr.
        self.stdout.write(new.secret)
        expiry = f"expires {new.token.expires_at:%Y-%m-%d %H:%M %Z}" if days else "no expiry"
        self.stderr.write(
            f"Token {new.token.prefix}… '{new.token.name}' for {username} ({expiry}). "
            "The secret is shown only this once."
        )
        if user.is_demo and settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG and not settings.DEBUG:
            self.stderr.write("Note: a demo account's token works only while DEBUG is on.")
