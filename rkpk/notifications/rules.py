"""Permissions of the notification centre: every active signed-in user has their own."""

import rules


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Reading and marking one's own notifications and choosing how to be e-mailed.
rules.add_perm("notifications.use", is_active_user)
