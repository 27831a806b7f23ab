"""Who sees the service dashboard: the ministry roles (the bureau, the leadership, Biro Umum,
the read-only viewers). Unit people and users without roles do not."""

import rules

from rkpk.organisation.rules import sees_whole_ministry

rules.add_perm("dashboard.view", sees_whole_ministry)
