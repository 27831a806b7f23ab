"""Permissions of the satisfaction survey.

- The bureau (staff, head of section, head of bureau) and the administrator open and close
  surveys; the administrator edits the questionnaire.
- The bureau, the leadership (deputy, minister), the administrator and viewers read the
  results of every survey; only the bureau reads the suggestions and which unit answered
  what.
- A unit's head and operator answer for their unit (survey.answer_for_unit, asked with the
  unit) and see their own unit's answer, and the overall result once the survey is closed.
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.rules import (
    belongs_to_unit,
    is_admin,
    is_bureau,
    is_leadership,
    role_predicate,
)


@rules.predicate
def holds_unit_role(user) -> bool:
    return bool(roles.unit_ids(user))


is_viewer = role_predicate(Role.VIEWER)

rules.add_perm("survey.manage", is_admin | is_bureau)
rules.add_perm("survey.edit_questionnaire", is_admin)
rules.add_perm("survey.view_results", is_admin | is_bureau | is_leadership | is_viewer)
rules.add_perm("survey.view_suggestions", is_bureau)
rules.add_perm("survey.answer", holds_unit_role)
rules.add_perm("survey.answer_for_unit", belongs_to_unit)
rules.add_perm(
    "survey.view_surveys", is_admin | is_bureau | is_leadership | is_viewer | holds_unit_role
)
