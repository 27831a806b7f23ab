from django.conf import settings

from rkpk.organisation import roles
from rkpk.organisation.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    held = roles.role_names(user) if user is not None else set()
    return {
        "organisation_name": settings.RKPK_ORGANISATION_NAME,
        "user_role_labels": [str(Role(r).label) for r in sorted(held)],
    }
