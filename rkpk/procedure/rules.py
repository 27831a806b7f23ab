"""Permissions of the service standard and the cycles.

A cycle's step is moved (started, completed, returned) only through
`rkpk.procedure.services.advance`, by someone who may act on it: holding one of the step's
responsible roles, or acting for its holder (Plt/Plh).
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.rules import holds_any_role, is_admin, is_bureau, sees_whole_ministry


@rules.predicate
def acts_in_a_responsible_role(user, step) -> bool:
    """`step` is a CycleStep; one of its standard step's roles is the user's, or theirs to
    act for."""
    return step is not None and any(
        roles.acts_as(user, role)[0] for role in step.standard_step.responsible_roles
    )


rules.add_perm("procedure.manage_standard", is_admin)
rules.add_perm("procedure.view_standard", holds_any_role)
rules.add_perm("procedure.start_cycle", is_admin | is_bureau)
rules.add_perm("procedure.view_cycle", holds_any_role)
rules.add_perm("procedure.act_on_step", acts_in_a_responsible_role)
# The links from a step to the page where it is worked (the units work in their own pages).
rules.add_perm("procedure.see_workplaces", sees_whole_ministry)
