"""Permissions, checked in one place with django-rules.

Views use `PermissionRequiredMixin`/`user.has_perm`, the API calls the same
`has_perm`; role membership comes from `rkpk.organisation.roles`.
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role


def role_predicate(*names: str):
    @rules.predicate(name="has_role_" + "_".join(names))
    def predicate(user) -> bool:
        return roles.has_role(user, *names)

    return predicate


is_admin = role_predicate(Role.ADMIN)
is_head_of_bureau = role_predicate(Role.HEAD_OF_BUREAU)
is_bureau = role_predicate(Role.STAFF, Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU)
is_leadership = role_predicate(Role.DEPUTY, Role.MINISTER)


@rules.predicate
def sees_whole_ministry(user) -> bool:
    return roles.sees_whole_ministry(user)


@rules.predicate
def holds_any_role(user) -> bool:
    return bool(roles.assignments(user))


@rules.predicate
def belongs_to_unit(user, unit) -> bool:
    return unit is not None and unit.pk in roles.unit_ids(user)


# Organisation master data. Lists are further narrowed by the selectors
# (a unit's people see only their own unit's officials).
rules.add_perm("organisation.manage", is_admin)
rules.add_perm("organisation.view_units", holds_any_role)
rules.add_perm("organisation.view_officials", holds_any_role)
rules.add_perm("organisation.manage_profile", is_admin)
rules.add_perm("organisation.view_profile", holds_any_role)

# Calendar and audit trail
rules.add_perm("core.manage_calendar", is_admin)
rules.add_perm("core.view_calendar", holds_any_role)
rules.add_perm("core.view_audit", is_admin | is_head_of_bureau)
