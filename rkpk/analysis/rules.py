import rules

from rkpk.organisation.rules import holds_any_role

rules.add_perm("analysis.view_goals", holds_any_role)
