"""Permissions of the API app, found by django-rules' autodiscovery like every app's `rules`."""

import rules

from rkpk.organisation.rules import holds_any_role

# A token acts with its owner's roles, so it is only useful to someone who holds one.
rules.add_perm("api.manage_own_tokens", holds_any_role)
