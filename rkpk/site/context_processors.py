from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.profile import current_profile
from rkpk.site import navigation as menu


def navigation(request):
    user = getattr(request, "user", None)
    held = roles.role_names(user) if user is not None else set()
    context = {
        "organisation_name": current_profile().name,
        "organisation": current_profile(),
        "user_role_labels": [str(Role(r).label) for r in sorted(held)],
    }
    if user is not None and user.is_authenticated:
        # Called by the template only where a page shows the menu (not by fragments).
        context["main_menu"] = lambda: menu.main_menu(user)
    return context
