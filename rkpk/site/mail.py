from rkpk.notifications.digest import email_language
from rkpk.organisation.models import Role, User


def administrators() -> list[tuple[str, str]]:
    """(address, language) of each active administrator with an address, by address: the
    people core's audit-trail jobs write to."""
    admins = User.objects.filter(
        is_active=True, role_assignments__role=Role.ADMIN, email__gt=""
    ).distinct()
    return [(admin.email, email_language(admin)) for admin in admins.order_by("email")]
