"""Who may file, see and handle complaints (section I of the service standard).

The Head of Bureau receives complaints and delegates them (a Plt/Plh of the Head of
Bureau may do so too); the Head of Section and the bureau's staff follow them up; the
delegate or the Head of Bureau answers and closes. The register is read by the bureau,
the administrator and viewers; everyone else sees only the complaints they filed.
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role

# Roles that read the whole register (viewer and admin only read it).
REGISTER_ROLES = (
    Role.ADMIN,
    Role.STAFF,
    Role.HEAD_OF_SECTION,
    Role.HEAD_OF_BUREAU,
    Role.VIEWER,
)


@rules.predicate
def may_file(user) -> bool:
    """Anyone signed in who holds a role, or acts for one today (Plt/Plh)."""
    return bool(roles.assignments(user)) or bool(roles.acting_roles(user))


@rules.predicate
def acts_as_head_of_bureau(user) -> bool:
    return roles.acts_as(user, Role.HEAD_OF_BUREAU)[0]


@rules.predicate
def acts_as_head_of_section(user) -> bool:
    return roles.acts_as(user, Role.HEAD_OF_SECTION)[0]


@rules.predicate
def may_be_delegated_to(user) -> bool:
    """Heads of section, and whoever acts for a role today, are whom complaints go to."""
    return roles.has_role(user, Role.HEAD_OF_SECTION) or bool(roles.acting_roles(user))


@rules.predicate
def is_staff_role(user) -> bool:
    return roles.has_role(user, Role.STAFF)


@rules.predicate
def reads_register(user) -> bool:
    return (
        roles.has_role(user, *REGISTER_ROLES)
        or acts_as_head_of_bureau(user)
        or acts_as_head_of_section(user)
    )


@rules.predicate
def is_complainant(user, complaint) -> bool:
    return complaint is not None and complaint.complainant_id == user.pk


@rules.predicate
def is_delegate(user, complaint) -> bool:
    return complaint is not None and complaint.delegated_to_id == user.pk


rules.add_perm("complaints.file", may_file)
rules.add_perm("complaints.view_register", reads_register)
rules.add_perm("complaints.view_statistics", reads_register)
rules.add_perm("complaints.view_complaint", reads_register | is_complainant)
rules.add_perm("complaints.delegate", acts_as_head_of_bureau)
# Their home page lists the complaints delegated to them.
rules.add_perm("complaints.receive_delegations", may_be_delegated_to)
rules.add_perm(
    "complaints.follow_up",
    is_delegate | acts_as_head_of_section | is_staff_role | acts_as_head_of_bureau,
)
rules.add_perm("complaints.answer", is_delegate | acts_as_head_of_bureau)
rules.add_perm("complaints.close", is_delegate | acts_as_head_of_bureau)
rules.add_perm("complaints.withdraw", is_complainant)
rules.add_perm("complaints.rate", is_complainant)
