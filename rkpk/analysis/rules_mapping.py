"""Permissions for the goal mappings: the bureau decides, the ministry's roles read.

`set_perm` (not `add_perm`) so that importing this module twice does no harm.
"""

import rules

from rkpk.organisation.rules import is_bureau, sees_whole_ministry

rules.set_perm("analysis.view_mapping", sees_whole_ministry)
rules.set_perm("analysis.edit_mapping", is_bureau)
