"""The main menu of the navigation bar: its permissions asked once, its HTML rendered once
per kind of user in each process.

Every rule the menu asks (`MENU_PERMS`, the `perms.*` of base.html's `main_menu` partial)
is decided by the roles alone — read in each app's rules.py:

- holds_any_role: procedure.view_cycle, procedure.view_standard, plans.view_plans,
  plans.view_lists, analysis.view_goals, correspondence.view_inbox/view_documents,
  organisation.view_units/view_officials/view_profile, core.view_calendar;
- sees_whole_ministry (a ministry role held): dashboard.view, analysis.view_drafts,
  plans.monitor, correspondence.view_registers; with a unit role naming a unit:
  meetings.view_meetings, survey.view_surveys (also admin, bureau, leadership, viewer);
- roles held: organisation.manage, survey.edit_questionnaire, core.view_audit (admin, head
  of bureau);
- roles held or acted for today (Plt/Plh): complaints.file, complaints.view_register.

So are `leadership_menu` (roles held) and Django's shortcut for superusers (every
permission). The menu therefore depends on `menu_key(user)` — the roles held (and whether
each names a unit), the roles acted for today, superuser and active flags — plus the
language and the URL prefix, and on nothing of the request: the parts that are per request
(CSRF token, the current path, the user's name, the bell's count) stay outside it, in
base.html. A user's roles are read afresh on every request (rkpk.site.middleware), so a
granted or revoked role shows on the next request. The rendered menus are kept in a small
process-local dict (at most MAX_MENUS keys; there are a few dozen kinds of user) when
settings.RKPK_PAGE_CACHE is on; under tests each request renders its menu.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from rkpk.organisation import roles
from rkpk.organisation.models import Role

# Roles whose holders get the short menu of what they use (the ministry RK-PK they sign,
# their documents, the dashboard) instead of the bureau's working tools, which their
# permission to see the whole ministry would otherwise put in the menu.
LEADERSHIP_MENU_ROLES = frozenset({Role.MINISTER})

# Every permission base.html's main menu asks (a test checks the template asks no other).
MENU_PERMS = (
    "analysis.view_drafts",
    "analysis.view_goals",
    "complaints.file",
    "complaints.view_register",
    "core.view_audit",
    "core.view_calendar",
    "correspondence.view_documents",
    "correspondence.view_inbox",
    "correspondence.view_registers",
    "dashboard.view",
    "meetings.view_meetings",
    "organisation.manage",
    "organisation.view_officials",
    "organisation.view_profile",
    "organisation.view_units",
    "plans.monitor",
    "plans.view_lists",
    "plans.view_plans",
    "procedure.view_cycle",
    "procedure.view_standard",
    "survey.edit_questionnaire",
    "survey.view_surveys",
)
MENU_TEMPLATE = "base.html#main_menu"
MAX_MENUS = 256

_menus: dict[tuple, SafeString] = {}


def leadership_menu(user) -> bool:
    held = roles.role_names(user)
    return bool(held) and held <= LEADERSHIP_MENU_ROLES


def menu_key(user) -> tuple:
    """Everything the menu's rules read of the user (see the module's docstring)."""
    return (
        frozenset((role, unit is not None) for role, unit in roles.assignments(user)),
        frozenset(roles.acting_roles(user).items()),
        user.is_superuser,
        user.is_active,
    )


def menu_flags(user) -> dict[str, dict[str, bool]]:
    """{app: {rule: allowed}} of MENU_PERMS, shaped like the templates' `perms`."""
    flags: dict[str, dict[str, bool]] = {}
    for perm in MENU_PERMS:
        app, name = perm.split(".")
        flags.setdefault(app, {})[name] = user.has_perm(perm)
    return flags


def render_menu(user) -> SafeString:
    context = {"perms": menu_flags(user), "leadership_menu": leadership_menu(user)}
    return SafeString(get_template(MENU_TEMPLATE).render(context))


def main_menu(user) -> SafeString:
    """The main menu's HTML for a signed-in user."""
    if not settings.RKPK_PAGE_CACHE:
        return render_menu(user)
    key = (menu_key(user), get_language(), get_script_prefix())
    html = _menus.get(key)
    if html is None:
        html = render_menu(user)
        if len(_menus) >= MAX_MENUS:
            _menus.pop(next(iter(_menus), None), None)
        _menus[key] = html
    return html
