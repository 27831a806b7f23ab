"""Permissions of the discussion meeting (step 6).

The bureau (staff, head of section, head of bureau) prepares and edits meetings; the head
of bureau or the staff file the report (step 6's responsible roles). The ministry's roles
read every meeting; a unit's people read the meetings their unit is invited to (narrowed
per meeting by rkpk.meetings.selectors.meetings_for); everyone else sees nothing.
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.rules import is_bureau, role_predicate, sees_whole_ministry


@rules.predicate
def holds_unit_role(user) -> bool:
    return bool(roles.unit_ids(user))


may_file = role_predicate(Role.HEAD_OF_BUREAU, Role.STAFF)

rules.add_perm("meetings.view_meetings", sees_whole_ministry | holds_unit_role)
rules.add_perm("meetings.view_drafts", sees_whole_ministry)
rules.add_perm("meetings.edit", is_bureau)
rules.add_perm("meetings.file", may_file)
