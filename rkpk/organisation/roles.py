"""Who holds which role: the one place that reads role assignments.

The assignments of a user and their acting assignments of today are read once per request,
in one query (`read`), and cached on the user object.
"""

from collections.abc import Callable, Mapping
from datetime import date

from django.db import connection
from django.db.models import QuerySet

from rkpk.organisation.models import ActingAssignment, Role, RoleAssignment

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
        read(user)
        cached = user._rkpk_roles
    return cached


# The read's SQL, built once per process for each set of counts: building three querysets and
# compiling them costs more than the query itself. It is built for a stand-in user and day,
# whose parameters are replaced by the real ones on each read.
_STAND_IN_USER = -987_654_321
_STAND_IN_DAY = date(1901, 2, 3)
_statements: dict[tuple, tuple[str, list]] = {}


def _statement(counts: tuple[tuple[str, Callable[[int], QuerySet]], ...]) -> tuple[str, list]:
    found = _statements.get(counts)
    if found is not None:
        return found
    user_id, day = _STAND_IN_USER, _STAND_IN_DAY
    parts = [
        (
            "SELECT 'role', t.role, NULL, t.unit_id, NULL FROM ",
            RoleAssignment.objects.filter(user_id=user_id)
            .order_by()
            .values_list("role", "unit_id"),
        ),
        (
            "SELECT 'acting', t.role, t.kind, NULL, t.starts_on FROM ",
            ActingAssignment.objects.filter(user_id=user_id, starts_on__lte=day, ends_on__gte=day)
            .order_by()
            .values_list("role", "kind", "starts_on"),
        ),
    ]
    for number, (_attribute, queryset_for) in enumerate(counts):
        parts.append(
            (
                f"SELECT 'count{number}', NULL, NULL, COUNT(*), NULL FROM ",
                queryset_for(user_id).order_by().values("pk"),
            )
        )
    sql, params = [], []
    for select, queryset in parts:
        inner, inner_params = queryset.query.sql_with_params()
        sql.append(f"{select}({inner}) t")
        params.extend(inner_params)
    # Plain UNION ALL of same-shaped rows: portable to SQLite and PostgreSQL.
    found = (" UNION ALL ".join(sql), params)
    _statements[counts] = found
    return found


def read(user, counts: Mapping[str, Callable[[int], QuerySet]] | None = None) -> None:
    """Read the user's role assignments and today's acting assignments in one query and keep
    them on the user for the request; each queryset of `counts` ({attribute: function of the
    user's id giving a queryset}) is counted in the same query and its count kept on the
    user under its attribute. The functions must be module-level ones (the statement is kept
    per set of them).

    `counts` is how the page frame's other per-user figures ride along without this app
    knowing them: the organisation sits below the notifications, so it may not import the
    unread count; the site (top layer) passes it in when a signed-in request starts
    (rkpk.site.middleware). Without it — commands, tasks, tests calling the rules — the
    roles are still one query."""
    from rkpk.core.calendar import today

    day = today()
    counted = tuple((counts or {}).items())
    sql, stand_in_params = _statement(counted)
    # Dates go into the statement as the database takes them (a string on SQLite).
    adapt = connection.ops.adapt_datefield_value
    stand_in_day, real_day = adapt(_STAND_IN_DAY), adapt(day)
    params = [
        user.pk if value == _STAND_IN_USER else real_day if value == stand_in_day else value
        for value in stand_in_params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    held = sorted(
        ((role, unit) for tag, role, _, unit, _ in rows if tag == "role"), key=lambda pair: pair[0]
    )
    acting = sorted(
        ((starts, role, kind) for tag, role, kind, _, starts in rows if tag == "acting"),
        key=lambda row: row[0],
    )
    user._rkpk_roles = held
    user._rkpk_acting = (day, {role: kind for _starts, role, kind in acting})
    tags = {f"count{number}": attribute for number, (attribute, _f) in enumerate(counted)}
    for tag, _role, _kind, number, _starts in rows:
        if tag in tags:
            setattr(user, tags[tag], number)


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

    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    day = on or today()
    cached = getattr(user, "_rkpk_acting", None)
    if cached is None and on is None:
        read(user)
        cached = user._rkpk_acting
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
