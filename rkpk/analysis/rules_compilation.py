"""Permissions of the compilation and coverage pages (lead adds
`from rkpk.analysis import rules_compilation  # noqa: F401` to rkpk/analysis/rules.py)."""

import rules

from rkpk.organisation.rules import is_bureau, sees_whole_ministry

# The bureau compiles; everyone with a ministry-wide role reads. Unit people do neither.
rules.add_perm("analysis.compile", is_bureau)
rules.add_perm("analysis.view_compilation", is_bureau | sees_whole_ministry)
