import rules

from rkpk.organisation.rules import holds_any_role

rules.add_perm("analysis.view_goals", holds_any_role)

# The areas' permissions live beside their views.
from rkpk.analysis import rules_compilation, rules_drafts, rules_mapping  # noqa: E402,F401
