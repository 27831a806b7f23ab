"""Permissions of the strategic goals and the analysis draft (imported by
rkpk/analysis/rules.py)."""

import rules

from rkpk.organisation.rules import is_admin, is_bureau, is_head_of_bureau, sees_whole_ministry

# The goals and their ministry indicators: the administrator edits them.
rules.add_perm("analysis.manage_goals", is_admin)
# The analysis draft: the ministry reads it, the bureau writes it, the head of bureau
# reviews it. Unit people see nothing of it.
rules.add_perm("analysis.view_drafts", sees_whole_ministry)
rules.add_perm("analysis.edit_drafts", is_bureau)
rules.add_perm("analysis.review_drafts", is_head_of_bureau)
