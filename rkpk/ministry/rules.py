"""Permissions of the ministry RK-PK.

The bureau and the leadership read the draft and its reviews; the head of section and the
bureau's staff write it. Reviewing and signing are decided here, by the plan's status and
the roles the user holds or acts for today (Plt./Plh.). Once published, the
final documents are read by everyone signed in.
"""

import rules

from rkpk.ministry.models import MinistryPlan
from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.rules import is_bureau, is_leadership, role_predicate, sees_whole_ministry

is_drafter = role_predicate(Role.STAFF, Role.HEAD_OF_SECTION)
is_general_bureau = role_predicate(Role.GENERAL_BUREAU)

# The bureau and the leadership follow the draft from the start; viewers (and the units)
# see the RK-PK once it is published.
INSIDE_ROLES = (
    Role.ADMIN,
    Role.STAFF,
    Role.HEAD_OF_SECTION,
    Role.HEAD_OF_BUREAU,
    Role.DEPUTY,
    Role.MINISTER,
    Role.GENERAL_BUREAU,
)
LEADERS = (Role.HEAD_OF_BUREAU, Role.DEPUTY, Role.MINISTER)

is_inside = role_predicate(*INSIDE_ROLES)


@rules.predicate
def acts_for_a_leader_today(user) -> bool:
    return any(roles.acting_kind(user, role) for role in LEADERS)


# Who decides on the version under review, by the plan's status.
REVIEWER = {
    MinistryPlan.Status.BUREAU_REVIEW: Role.HEAD_OF_BUREAU,
    MinistryPlan.Status.DEPUTY_REVIEW: Role.DEPUTY,
}


@rules.predicate
def reviews_now(user, plan) -> bool:
    """The plan is under review and the user holds, or acts for, the reviewing role."""
    role = REVIEWER.get(getattr(plan, "status", None))
    return role is not None and roles.acts_as(user, role)[0]


# Who acts on a ministry RK-PK in each status: review, then signature.
WAITING_ON = {**REVIEWER, MinistryPlan.Status.APPROVED: Role.MINISTER}


def awaited_statuses(user) -> list[str]:
    """The plan statuses in which the ministry RK-PK waits for this user (holding the role
    or acting for its holder)."""
    return [status for status, role in WAITING_ON.items() if roles.acts_as(user, role)[0]]


@rules.predicate
def acts_as_minister(user) -> bool:
    return roles.acts_as(user, Role.MINISTER)[0]


@rules.predicate
def awaits_signature(user, plan) -> bool:
    return getattr(plan, "status", None) == MinistryPlan.Status.APPROVED


rules.add_perm("ministry.view_plan", sees_whole_ministry)
rules.add_perm("ministry.draft", is_drafter)
# The draft, its reviews and the signature, before the publication.
rules.add_perm("ministry.view_drafts", (sees_whole_ministry & is_inside) | acts_for_a_leader_today)
rules.add_perm("ministry.review", reviews_now)
# The minister, or their Plt./Plh.: signs for the minister; signs this plan once the deputy
# approved it (what the pages and the API offer).
rules.add_perm("ministry.sign_for_minister", acts_as_minister)
rules.add_perm("ministry.sign", acts_as_minister & awaits_signature)

# The procedure's official documents of a cycle (rkpk.ministry.procedure_documents).
rules.add_perm("ministry.view_procedure_documents", sees_whole_ministry)
rules.add_perm("ministry.draft_procedure_documents", is_bureau)
rules.add_perm("ministry.sync_procedure_documents", is_bureau | is_leadership)
rules.add_perm("ministry.confirm_binding", is_general_bureau)
