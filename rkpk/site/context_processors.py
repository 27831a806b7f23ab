from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.profile import current_profile

# Roles whose holders get the short menu of what they use (the ministry RK-PK they sign,
# their documents, the dashboard) instead of the bureau's working tools, which their
# permission to see the whole ministry would otherwise put in the menu.
LEADERSHIP_MENU_ROLES = frozenset({Role.MINISTER})


def navigation(request):
    user = getattr(request, "user", None)
    held = roles.role_names(user) if user is not None else set()
    return {
        "organisation_name": current_profile().name,
        "organisation": current_profile(),
        "user_role_labels": [str(Role(r).label) for r in sorted(held)],
        "leadership_menu": bool(held) and held <= LEADERSHIP_MENU_ROLES,
    }
