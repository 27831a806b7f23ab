"""Reads of the organisation, filtered by what the user may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from rkpk.organisation import roles
from rkpk.organisation.models import (
    Headship,
    Official,
    RoleAssignment,
    Unit,
    User,
)
from rkpk.organisation.profile import current_profile


def units_for(user) -> QuerySet[Unit]:
    """The unit tree is not confidential: everyone holding a role sees every unit."""
    if not roles.assignments(user):
        return Unit.objects.none()
    return Unit.objects.select_related("parent")


def officials_for(user) -> QuerySet[Official]:
    """The ministry's roles see the whole register; a unit's people see their own unit's."""
    if roles.sees_whole_ministry(user):
        return Official.objects.select_related("unit")
    own = roles.unit_ids(user)
    if not own:
        return Official.objects.none()
    return Official.objects.filter(Q(unit_id__in=own)).select_related("unit")


def sees_people_of(user, unit: Unit) -> bool:
    """Whether the user may see the officials and role holders of `unit`."""
    return roles.sees_whole_ministry(user) or unit.pk in roles.unit_ids(user)


# --- The unit tree -----------------------------------------------------------------------


@dataclass
class TreeRow:
    unit: Unit
    depth: int
    head: Official | None = None
    # Shown only because a descendant matched the search.
    context_only: bool = False


@dataclass(frozen=True)
class Head:
    """Who heads a unit on a date, how (definitive or acting) and the post printed for them."""

    official: Official
    kind: str  # a Headship.Kind value
    post_title: str
    headship: Headship | None = None

    @property
    def is_acting(self) -> bool:
        return self.kind != Headship.Kind.DEFINITIVE


def acting_prefix(kind: str | None) -> str:
    """ "Plt. " / "Plh. " before an acting head's post or name; nothing for a definitive head."""
    if kind in (Headship.Kind.PLT, Headship.Kind.PLH):
        return f"{kind}. "
    return ""


def post_title(unit: Unit, kind: str | None = None) -> str:
    """The unit's head post as printed for a head of that kind: "Plt. Kepala Biro Umum"."""
    return f"{acting_prefix(kind)}{(unit.head_position or '').strip()}".strip()


def headship_valid_on(headship: Headship, day: date) -> bool:
    return (headship.starts_on is None or headship.starts_on <= day) and (
        headship.ends_on is None or headship.ends_on >= day
    )


def _best(headships: list[Headship]) -> Headship | None:
    """An acting headship wins over the definitive head; the latest start among equals."""
    if not headships:
        return None

    def key(h: Headship):
        return (h.kind != Headship.Kind.DEFINITIVE, h.starts_on or date.min, h.pk)

    return max(headships, key=key)


def heads_on(units, on_date: date | None = None) -> dict[int, Head]:
    """The head of each unit on `on_date` (today by default), from the recorded headships.

    An acting headship (Plt./Plh.) valid on the date wins over the definitive head. Units for
    which no headship was ever recorded (data entered before headships existed) fall back to
    the active official of the unit whose position is the unit's head position. At most two
    queries, whatever the number of units. The head is not confidential: it is the
    organisation chart.
    """
    units = [u for u in units if u is not None and u.pk is not None]
    if not units:
        return {}
    day = on_date or timezone.localdate()
    by_id = {u.pk: u for u in units}
    recorded: dict[int, list[Headship]] = {}
    for headship in Headship.objects.filter(unit_id__in=by_id).select_related("official"):
        recorded.setdefault(headship.unit_id, []).append(headship)
    heads: dict[int, Head] = {}
    for unit_id, headships in recorded.items():
        valid = [h for h in headships if h.official.is_active and headship_valid_on(h, day)]
        best = _best(valid)
        if best is not None:
            unit = by_id[unit_id]
            best.unit = unit
            heads[unit_id] = Head(best.official, best.kind, post_title(unit, best.kind), best)
    wanted = {
        pk: u.head_position.strip().casefold()
        for pk, u in by_id.items()
        if pk not in recorded and u.head_position.strip()
    }
    if wanted:
        candidates = Official.objects.filter(unit_id__in=wanted, is_active=True).order_by(
            "name", "pk"
        )
        for official in candidates:
            if official.unit_id in heads:
                continue
            if official.position.strip().casefold() == wanted[official.unit_id]:
                unit = by_id[official.unit_id]
                heads[unit.pk] = Head(official, Headship.Kind.DEFINITIVE, post_title(unit), None)
    return heads


def current_heads(units, on_date: date | None = None) -> dict[int, Official]:
    """The official heading each unit on `on_date` (today by default): see `heads_on`.

    Each official returned is its own copy, marked with `head_kind` (a Headship.Kind value),
    `head_prefix` ("Plt. ", "Plh. " or "") and `head_post` (the post printed for them), so
    one person heading two units is shown right in each.
    """
    result: dict[int, Official] = {}
    for unit_id, head in heads_on(units, on_date).items():
        official = head.official
        official.head_kind = head.kind
        official.head_prefix = acting_prefix(head.kind)
        official.head_post = head.post_title
        result[unit_id] = official
    return result


def head_post(unit: Unit, on_date: date | None = None) -> tuple[Official | None, str, str]:
    """(official, kind, post_title) of the unit's head on the date; (None, "", post) if none.

    `post_title` is the unit's head position, prefixed "Plt."/"Plh." when the head acts.
    """
    head = heads_on([unit], on_date).get(unit.pk)
    if head is None:
        return None, "", post_title(unit)
    return head.official, head.kind, head.post_title


def minister_title() -> str:
    """The minister's title from the organisation profile ("" when none is saved)."""
    profile = current_profile()
    return ((profile.minister_title if profile is not None else "") or "").strip()


def is_minister(official: Official | None, title: str | None = None) -> bool:
    """Whether the official holds the minister's post (their position is the minister's
    title in the organisation profile)."""
    if official is None:
        return False
    title = minister_title() if title is None else title
    return bool(title) and official.position.strip().casefold() == title.casefold()


@dataclass(frozen=True)
class ExpectedParty:
    """Who should sign a unit's PK as one party on a date, and the post printed for them.

    `post` is without the "Plt."/"Plh." prefix (`kind` says it); `unit` is the unit headed,
    None for the minister (the second party of a unit directly under the minister).
    """

    official: Official | None
    kind: str
    post: str
    unit: Unit | None

    @property
    def acting(self) -> str:
        return self.kind if self.kind in (Headship.Kind.PLT, Headship.Kind.PLH) else ""

    @property
    def printed_post(self) -> str:
        return f"{acting_prefix(self.kind)}{self.post}".strip()


def pk_parties(unit: Unit, on_date: date | None = None) -> tuple[ExpectedParty, ExpectedParty]:
    """The expected first party (the unit's head, or its acting official, on the date) and
    second party (the head of the parent unit or its acting official; the minister for a
    unit directly under the minister). At most four queries."""
    parent = unit.parent if unit.parent_id else None
    heads = heads_on([unit, parent], on_date)
    own = heads.get(unit.pk)
    first = ExpectedParty(
        own.official if own else None,
        own.kind if own else "",
        (unit.head_position or "").strip(),
        unit,
    )
    if parent is not None:
        above = heads.get(parent.pk)
        second = ExpectedParty(
            above.official if above else None,
            above.kind if above else "",
            (parent.head_position or "").strip(),
            parent,
        )
    else:
        title = minister_title()
        minister = None
        if title:
            minister = (
                Official.objects.filter(is_active=True, position__iexact=title)
                .order_by("-is_state_official", "name", "pk")
                .first()
            )
        second = ExpectedParty(minister, Headship.Kind.DEFINITIVE if minister else "", title, None)
    return first, second


def party_acting(expected: ExpectedParty, official: Official | None) -> str:
    """ "Plt"/"Plh" when `official` is the one recorded as acting for the expected post."""
    same = official is not None and expected.official is not None
    return expected.acting if same and expected.official.pk == official.pk else ""


def headships_of(unit: Unit) -> list[Headship]:
    """Every headship recorded for the unit, the newest first (one query)."""
    return list(
        Headship.objects.filter(unit=unit)
        .select_related("official", "official__unit")
        .order_by("-starts_on", "-pk")
    )


def _unit_matches(unit: Unit, query: str) -> bool:
    needle = query.casefold()
    return any(needle in value.casefold() for value in (unit.code, unit.name, unit.short_name))


def unit_tree(
    user, *, query: str = "", include_inactive: bool = False, with_heads: bool = True
) -> list[TreeRow]:
    """The units the user may see as a flat list in tree order (parents before children).

    With a search query, the matching units are listed together with their ancestors
    (marked `context_only`), so every match is shown where it sits in the tree.
    Two queries in all: the units and their heads.
    """
    units = list(units_for(user).select_related(None).order_by("sort_order", "code"))
    if not include_inactive:
        units = [u for u in units if u.is_active]
    by_id = {u.pk: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent_id = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent_id, []).append(unit)

    query = query.strip()
    shown: set[int] | None = None
    matched: set[int] = set()
    if query:
        matched = {u.pk for u in units if _unit_matches(u, query)}
        shown = set()
        for pk in matched:
            current, seen = by_id.get(pk), set()
            while current is not None and current.pk not in seen:
                seen.add(current.pk)
                shown.add(current.pk)
                current = by_id.get(current.parent_id)

    rows: list[TreeRow] = []
    visited: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            if unit.pk in visited:  # a damaged tree must not loop forever
                continue
            visited.add(unit.pk)
            if shown is not None and unit.pk not in shown:
                continue
            rows.append(TreeRow(unit, depth, context_only=bool(query) and unit.pk not in matched))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    # Units caught in a cycle of parents are never reached from a root: list them at the end.
    for unit in units:
        if unit.pk not in visited and (shown is None or unit.pk in shown):
            visited.add(unit.pk)
            rows.append(TreeRow(unit, 0, context_only=bool(query) and unit.pk not in matched))
    for row in rows:
        if row.unit.parent_id in by_id:
            row.unit.parent = by_id[row.unit.parent_id]
    if with_heads:
        heads = current_heads([row.unit for row in rows])
        for row in rows:
            row.head = heads.get(row.unit.pk)
    return rows


def descendant_ids(unit: Unit) -> set[int]:
    """Ids of every unit below `unit` (not including it). One query."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(unit.pk, []))
    while stack:
        pk = stack.pop()
        if pk in found or pk == unit.pk:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def ancestors(unit: Unit) -> list[Unit]:
    """The chain of parents from the root down to the unit's parent."""
    chain: list[Unit] = []
    seen = {unit.pk}
    current = unit.parent
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent
    return list(reversed(chain))


def unit_detail(user, unit: Unit) -> dict:
    """What the unit page shows: the unit, its place in the tree, its people."""
    may_see_people = sees_people_of(user, unit)
    children = list(unit.children.order_by("sort_order", "code"))
    officials = (
        list(officials_for(user).filter(unit=unit).order_by("-is_active", "name"))
        if may_see_people
        else []
    )
    holders = (
        list(
            RoleAssignment.objects.filter(unit=unit)
            .select_related("user", "user__official")
            .order_by("role", "user__username")
        )
        if may_see_people
        else []
    )
    heads = current_heads([unit, *children])
    today = timezone.localdate()
    headships = headships_of(unit)
    for headship in headships:
        headship.prefix = acting_prefix(headship.kind)
        headship.is_current = headship_valid_on(headship, today)
        headship.is_past = headship.ends_on is not None and headship.ends_on < today
    return {
        "headships": headships,
        "unit": unit,
        "ancestors": ancestors(unit),
        "children": [(child, heads.get(child.pk)) for child in children],
        "head": heads.get(unit.pk),
        "officials": officials,
        "role_holders": holders,
        "may_see_people": may_see_people,
        "deletable": unit_is_deletable(unit),
    }


def unit_is_deletable(unit: Unit) -> bool:
    """A unit may be deleted only while nothing hangs from it."""
    return not (unit.children.exists() or unit.officials.exists() or unit.role_assignments.exists())


def parent_choices(unit: Unit | None = None) -> QuerySet[Unit]:
    """Units that may be chosen as parent: active ones, not the unit itself or below it."""
    units = Unit.objects.filter(is_active=True)
    if unit is not None and unit.pk:
        excluded = descendant_ids(unit) | {unit.pk}
        units = Unit.objects.filter(Q(is_active=True) | Q(pk=unit.parent_id)).exclude(
            pk__in=excluded
        )
    return units.order_by("level", "sort_order", "code")


# --- Officials and users ------------------------------------------------------------------


def search_officials(
    user,
    *,
    query: str = "",
    unit: Unit | None = None,
    with_sub_units: bool = True,
    status: str = "",
) -> QuerySet[Official]:
    """The officials the user may see, narrowed by the list's filters."""
    officials = officials_for(user)
    query = query.strip()
    if query:
        officials = officials.filter(
            Q(name__icontains=query) | Q(nip__icontains=query) | Q(position__icontains=query)
        )
    if unit is not None:
        ids = {unit.pk} | (descendant_ids(unit) if with_sub_units else set())
        officials = officials.filter(unit_id__in=ids)
    if status == "active":
        officials = officials.filter(is_active=True)
    elif status == "inactive":
        officials = officials.filter(is_active=False)
    return officials.order_by("name", "pk")


def current_posts_prefetch(on_date: date | None = None) -> Prefetch:
    """Prefetch `current_posts` on officials: the headships valid on the date (one query)."""
    day = on_date or timezone.localdate()
    return Prefetch(
        "headships",
        queryset=Headship.objects.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )
        .select_related("unit")
        .order_by("kind", "unit__code"),
        to_attr="current_posts",
    )


def search_users(*, query: str = "", role: str = "") -> QuerySet[User]:
    """Accounts with their roles (prefetched: two queries whatever the page size)."""
    users = User.objects.select_related("official").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("unit").order_by("role", "unit__code"),
        )
    )
    query = query.strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(official__name__icontains=query)
            | Q(official__nip__icontains=query)
        )
    if role:
        users = users.filter(role_assignments__role=role).distinct()
    return users.order_by("username")


def user_roles(user: User) -> list[RoleAssignment]:
    return list(user.role_assignments.select_related("unit").order_by("role", "unit__code"))


# --- Exports (the import's file format) --------------------------------------------------


def unit_rows() -> list[list]:
    """Every unit as a row of the unit import file, parents before their sub-units."""
    units = list(Unit.objects.select_related("parent").order_by("level", "sort_order", "code"))
    return [
        [u.code, u.name, u.short_name, u.level, u.parent.code if u.parent else "", u.head_position]
        for u in units
    ]


def official_rows() -> list[list]:
    """Every official as rows of the officials import file: one row per post headed today
    or later (definitive or acting), the person repeated on each; one row without a post
    for the others. Two queries."""
    today = timezone.localdate()
    officials = Official.objects.select_related("unit").order_by("name", "pk")
    posts: dict[int, list[Headship]] = {}
    for headship in (
        Headship.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("unit")
        .order_by("kind", "starts_on", "pk")
    ):
        posts.setdefault(headship.official_id, []).append(headship)
    rows = []
    for o in officials:
        own = [
            o.nip or "",
            o.name,
            o.position,
            o.rank,
            o.unit.code if o.unit else "",
            "yes" if o.is_active else "no",
            "yes" if o.is_state_official else "no",
        ]
        held = posts.get(o.pk) or [None]
        for headship in held:
            if headship is None:
                rows.append([*own, "", "", "", ""])
                continue
            rows.append(
                [
                    *own,
                    headship.unit.code,
                    "definitif" if headship.kind == Headship.Kind.DEFINITIVE else headship.kind,
                    headship.starts_on.isoformat() if headship.starts_on else "",
                    headship.ends_on.isoformat() if headship.ends_on else "",
                ]
            )
    return rows
