"""Permissions of the ministry RK-PK.

The bureau and the leadership read the draft and its reviews; the head of section and the
bureau's staff write it. Reviewing and signing are decided in the services, by the stage
of the plan and acting assignments (rkpk.organisation.roles.acts_as). Once published, the
final documents are read by everyone signed in.
"""

import rules

from rkpk.organisation.models import Role
from rkpk.organisation.rules import role_predicate, sees_whole_ministry

is_drafter = role_predicate(Role.STAFF, Role.HEAD_OF_SECTION)

rules.add_perm("ministry.view_plan", sees_whole_ministry)
rules.add_perm("ministry.draft", is_drafter)
