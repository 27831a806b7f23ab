from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.profile import current_profile


def navigation(request):
    user = getattr(request, "user", None)
    held = roles.role_names(user) if user is not None else set()
    return {
        "organisation_name": current_profile().name,
        "organisation": current_profile(),
        "user_role_labels": [str(Role(r).label) for r in sorted(held)],
    }
