"""Who holds which role: the one place that reads role assignments.

The assignments of a user are read once per request and cached on the user object.
"""

from rkpk.organisation.models import Role, RoleAssignment

# Roles of the bureau and the leadership: they see the whole ministry's data.
MINISTRY_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.STAFF,
        Role.HEAD_OF_SECTION,
        Role.HEAD_OF_BUREAU,
        Role.DEPUTY,
        Role.MINISTER,
        Role.GENERAL_BUREAU,
        Role.VIEWER,
    }
)


def assignments(user) -> list[tuple[str, int | None]]:
    """(role, unit id) pairs of an active user; empty for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_rkpk_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit_id"))
        user._rkpk_roles = cached
    return cached


def role_names(user) -> set[str]:
    return {role for role, _unit in assignments(user)}


def has_role(user, *roles: str) -> bool:
    held = role_names(user)
    return any(role in held for role in roles)


def unit_ids(user, *roles: str) -> set[int]:
    """Units for which the user holds one of `roles` (any unit role when none given)."""
    wanted = set(roles) if roles else {Role.UNIT_OPERATOR, Role.UNIT_HEAD}
    return {unit for role, unit in assignments(user) if unit is not None and role in wanted}


def sees_whole_ministry(user) -> bool:
    return bool(role_names(user) & MINISTRY_ROLES)


def forget(user) -> None:
    """Drop the cached assignments (after they were changed)."""
    for name in ("_rkpk_roles", "_rkpk_acting"):
        if hasattr(user, name):
            delattr(user, name)


def acting_roles(user, on=None) -> dict[str, str]:
    """{role: "Plt"/"Plh"} the user acts for on the date (default today); read once per
    request for today and cached on the user like the assignments."""
    from rkpk.core.calendar import today
    from rkpk.organisation.models import ActingAssignment

    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    day = on or today()
    cached = getattr(user, "_rkpk_acting", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    found = dict(
        ActingAssignment.objects.filter(user=user, starts_on__lte=day, ends_on__gte=day)
        .order_by("starts_on")
        .values_list("role", "kind")
    )
    user._rkpk_acting = (day, found)
    return found


def acting_kind(user, role: str, on=None) -> str:
    """ "Plt"/"Plh" when `user` acts for `role` on the date (default today), else ""."""
    return acting_roles(user, on).get(role, "")


def acts_as(user, role: str, on=None) -> tuple[bool, str]:
    """Whether `user` may act in `role` — holding it, or acting for its holder — and the
    acting prefix the documents print ("" when they hold the role themselves)."""
    if has_role(user, role):
        return True, ""
    kind = acting_kind(user, role, on)
    return bool(kind), kind


def printed_acting_kind(user, role: str, on=None) -> str:
    """The acting prefix the documents print for `user` in `role`: "" when they hold the role
    themselves (or do not act for it), else "Plt"/"Plh". Whether they may act at all is a
    rule's question (the app's rules.py)."""
    return acts_as(user, role, on)[1]
