"""Who may see, edit, submit and review a unit's plan."""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.rules import (
    holds_any_role,
    is_admin,
    is_bureau,
    role_predicate,
    sees_whole_ministry,
)

REVIEWER_ROLES = (Role.STAFF, Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU)


def _unit_id(obj):
    """A plan, or a unit, or anything with a `plan`: the unit id it belongs to."""
    if obj is None:
        return None
    if hasattr(obj, "unit_id"):
        return obj.unit_id
    if hasattr(obj, "plan"):
        return obj.plan.unit_id
    return getattr(obj, "pk", None)


@rules.predicate
def member_of_plan_unit(user, obj) -> bool:
    return _unit_id(obj) in roles.unit_ids(user)


@rules.predicate
def operates_plan_unit(user, obj) -> bool:
    return _unit_id(obj) in roles.unit_ids(user, Role.UNIT_OPERATOR, Role.UNIT_HEAD)


@rules.predicate
def heads_plan_unit(user, obj) -> bool:
    """The unit's head: its unit-head account, or the official heading it today (Plt./Plh.)."""
    from rkpk.plans.head_approval import heads_unit

    return heads_unit(user, _unit_id(obj))


is_staff_role = role_predicate(Role.STAFF)

rules.add_perm("plans.view_plans", holds_any_role)
# The ministry's roles see, search and list every unit's plan.
rules.add_perm("plans.view_all_plans", sees_whole_ministry)
# The bureau's staff start a plan for any unit (a plan received on paper, step 4c).
rules.add_perm("plans.start_any_plan", is_staff_role)
# The ministry's roles choose a plan's PK parties from the whole register of officials.
rules.add_perm("plans.choose_any_party", sees_whole_ministry)
# Object permissions: obj is a UnitPlan (or a Unit when no plan exists yet).
# The official heading a unit (also as Plt./Plh. from another unit) sees the plan they approve.
rules.add_perm("plans.view_plan", sees_whole_ministry | member_of_plan_unit | heads_plan_unit)
# The unit writes its plan; the bureau's staff may enter a plan received on paper (step 4c).
rules.add_perm("plans.edit_plan", operates_plan_unit | is_staff_role)
rules.add_perm("plans.submit_plan", operates_plan_unit)
# The unit's own approval before the plan goes to the bureau (when the organisation asks for it).
rules.add_perm("plans.approve_plan", heads_plan_unit)
rules.add_perm("plans.review_plan", is_bureau)
rules.add_perm("plans.monitor", sees_whole_ministry)
rules.add_perm("plans.post_message", is_bureau | member_of_plan_unit)
# Reference lists (satuan, qualitative values, return reasons): everyone with a role reads
# them; the bureau and the admin maintain them (units ask the bureau).
rules.add_perm("plans.view_lists", holds_any_role)
rules.add_perm("plans.manage_lists", is_bureau | is_admin)
