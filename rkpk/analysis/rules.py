"""The permissions of the analysis app, each a named rule."""

import rules

from rkpk.organisation.rules import (
    holds_any_role,
    is_admin,
    is_bureau,
    is_head_of_bureau,
    sees_whole_ministry,
)

# The goals are read by everyone with a role; the administrator edits them and their
# ministry indicators.
rules.add_perm("analysis.view_goals", holds_any_role)
rules.add_perm("analysis.manage_goals", is_admin)

# The analysis draft: the ministry reads it, the bureau writes it, the head of bureau
# reviews it. Unit people see nothing of it.
rules.add_perm("analysis.view_drafts", sees_whole_ministry)
rules.add_perm("analysis.edit_drafts", is_bureau)
rules.add_perm("analysis.review_drafts", is_head_of_bureau)

# The goal mappings: the bureau decides, the ministry's roles read.
rules.add_perm("analysis.view_mapping", sees_whole_ministry)
rules.add_perm("analysis.edit_mapping", is_bureau)

# The bureau compiles; everyone with a ministry-wide role reads. Unit people do neither.
rules.add_perm("analysis.compile", is_bureau)
rules.add_perm("analysis.view_compilation", is_bureau | sees_whole_ministry)
