"""Writes of the organisation: units, officials, accounts, role assignments, imports.

Every function takes keyword arguments only, `actor` first, runs in one transaction,
validates (raising `ValidationError` keyed by field) and records an audit event for
each change.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.organisation import importers, roles
from rkpk.organisation.models import (
    UNIT_ROLES,
    Headship,
    Official,
    Role,
    RoleAssignment,
    Unit,
    User,
)

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "level",
    "parent",
    "head_position",
    "sort_order",
    "is_active",
]
OFFICIAL_FIELDS = ["name", "nip", "is_state_official", "position", "rank", "unit", "is_active"]
HEADSHIP_FIELDS = ["official", "unit", "kind", "starts_on", "ends_on"]
# Never the password hash.
USER_FIELDS = ["username", "first_name", "last_name", "email", "official", "is_active", "is_demo"]
ROLE_FIELDS = ["user", "role", "unit"]


def _require_manage(actor, check_permission: bool) -> None:
    # The management commands (create_admin) write without an actor and skip the check.
    if check_permission:
        require(
            actor,
            "organisation.manage",
            message=_("Only an administrator manages the organisation."),
        )


def _fresh(unit: Unit | None) -> Unit | None:
    """The unit as it is in the database now (the caller's copy may be stale), locked."""
    return None if unit is None else Unit.objects.select_for_update().get(pk=unit.pk)


def _text(value) -> str:
    return (value or "").strip()


def _full_clean(instance, errors: dict, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- Units --------------------------------------------------------------------------------


def _validate_unit(unit: Unit) -> None:
    errors: dict[str, list] = {}
    _full_clean(unit, errors)
    parent = unit.parent if unit.parent_id else None
    if parent is not None and "parent" not in errors:
        if unit.pk and parent.pk == unit.pk:
            errors.setdefault("parent", []).append(_("A unit cannot be its own parent."))
        elif "level" not in errors and parent.level >= unit.level:
            errors.setdefault("parent", []).append(
                _(
                    "The parent unit must be at a higher echelon (a lower level number) than "
                    "this unit: %(parent)s is at level %(level)s."
                )
                % {"parent": parent.code, "level": parent.level}
            )
        elif unit.pk:
            # Walk up from the new parent: reaching this unit would close a loop.
            seen, current = {unit.pk}, parent
            while current is not None:
                if current.pk in seen:
                    errors.setdefault("parent", []).append(
                        _("%(parent)s is below this unit; that would make a loop in the tree.")
                        % {"parent": parent.code}
                    )
                    break
                seen.add(current.pk)
                current = current.parent
        if unit.is_active and not parent.is_active:
            errors.setdefault("parent", []).append(
                _("The parent unit %(parent)s is deactivated.") % {"parent": parent.code}
            )
    if unit.pk and "level" not in errors and unit.level:
        too_high = unit.children.filter(level__lte=unit.level).order_by("level", "code").first()
        if too_high is not None:
            errors.setdefault("level", []).append(
                _(
                    "The sub-unit %(child)s is at level %(level)s; this unit must stay at a "
                    "lower level number than its sub-units."
                )
                % {"child": too_high.code, "level": too_high.level}
            )
    _raise(errors)


@transaction.atomic
def create_unit(
    *,
    actor,
    code: str,
    name: str,
    level: int,
    short_name: str = "",
    parent: Unit | None = None,
    head_position: str = "",
    sort_order: int = 0,
    check_permission: bool = True,
) -> Unit:
    _require_manage(actor, check_permission)
    unit = Unit(
        code=_text(code),
        name=_text(name),
        short_name=_text(short_name),
        level=level,
        parent=_fresh(parent),
        head_position=_text(head_position),
        sort_order=sort_order or 0,
        is_active=True,
    )
    _validate_unit(unit)
    unit.save()
    audit.record(
        actor=actor, action="unit.created", obj=unit, after=audit.snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def update_unit(
    *,
    actor,
    unit: Unit,
    code: str,
    name: str,
    level: int,
    short_name: str = "",
    parent: Unit | None = None,
    head_position: str = "",
    sort_order: int = 0,
    check_permission: bool = True,
) -> Unit:
    _require_manage(actor, check_permission)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit, UNIT_FIELDS)
    unit.code = _text(code)
    unit.name = _text(name)
    unit.short_name = _text(short_name)
    unit.level = level
    unit.parent = _fresh(parent)
    unit.head_position = _text(head_position)
    unit.sort_order = sort_order or 0
    _validate_unit(unit)
    after = audit.snapshot(unit, UNIT_FIELDS)
    if after != before:
        unit.save()
        audit.record(actor=actor, action="unit.updated", obj=unit, before=before, after=after)
    return unit


@transaction.atomic
def deactivate_unit(*, actor, unit: Unit, check_permission: bool = True) -> list[Unit]:
    """Deactivate the unit and every active unit below it. Returns the deactivated units."""
    _require_manage(actor, check_permission)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("The unit %(code)s is already deactivated.") % {"code": unit.code})
    children: dict[int, list[Unit]] = {}
    for candidate in Unit.objects.select_for_update().filter(is_active=True):
        if candidate.parent_id is not None:
            children.setdefault(candidate.parent_id, []).append(candidate)
    changed, stack, seen = [], [unit], set()
    while stack:
        current = stack.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        before = audit.snapshot(current, UNIT_FIELDS)
        current.is_active = False
        current.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="unit.deactivated",
            obj=current,
            before=before,
            after=audit.snapshot(current, UNIT_FIELDS),
        )
        changed.append(current)
        stack.extend(children.get(current.pk, []))
    return changed


@transaction.atomic
def activate_unit(*, actor, unit: Unit, check_permission: bool = True) -> Unit:
    _require_manage(actor, check_permission)
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    if unit.is_active:
        raise ValidationError(_("The unit %(code)s is already active.") % {"code": unit.code})
    if unit.parent is not None and not unit.parent.is_active:
        raise ValidationError(
            _("Activate the parent unit %(parent)s first.") % {"parent": unit.parent.code}
        )
    before = audit.snapshot(unit, UNIT_FIELDS)
    unit.is_active = True
    unit.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="unit.activated",
        obj=unit,
        before=before,
        after=audit.snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def delete_unit(*, actor, unit: Unit, check_permission: bool = True) -> None:
    """Delete a unit nothing depends on; any other unit can only be deactivated."""
    _require_manage(actor, check_permission)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    blockers = []
    if unit.children.exists():
        blockers.append(_("it has sub-units"))
    if unit.officials.exists():
        blockers.append(_("officials belong to it"))
    if unit.role_assignments.exists():
        blockers.append(_("users hold roles for it"))
    if blockers:
        raise ValidationError(
            _("The unit %(code)s cannot be deleted because %(reasons)s. Deactivate it instead.")
            % {"code": unit.code, "reasons": _(" and ").join(blockers)}
        )
    audit.record(
        actor=actor, action="unit.deleted", obj=unit, before=audit.snapshot(unit, UNIT_FIELDS)
    )
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The unit %(code)s is used elsewhere in the system. Deactivate it instead.")
            % {"code": unit.code}
        ) from error


# --- Officials ----------------------------------------------------------------------------


def _validate_official(official: Official, *, unit_changed: bool) -> None:
    errors: dict[str, list] = {}
    official.nip = official.nip or None
    if official.nip and set(official.nip) == {"0"}:
        errors.setdefault("nip", []).append(
            _("Zeros are not a NIP. Leave it empty for a state official (pejabat negara).")
        )
    _full_clean(official, errors)
    errors.pop("__all__", None)  # the NIP's conditional uniqueness, reported on its field below
    if official.nip is None and not official.is_state_official:
        errors.setdefault("nip", []).append(
            _("A civil servant needs a NIP; only a state official (pejabat negara) has none.")
        )
    elif (
        official.nip and Official.objects.filter(nip=official.nip).exclude(pk=official.pk).exists()
    ):
        errors.setdefault("nip", []).append(_("An official with this NIP already exists."))
    unit = official.unit if official.unit_id else None
    if unit is not None and unit_changed and official.is_active and not unit.is_active:
        errors.setdefault("unit", []).append(
            _("The unit %(code)s is deactivated.") % {"code": unit.code}
        )
    _raise(errors)


@transaction.atomic
def create_official(
    *,
    actor,
    name: str,
    nip: str | None,
    position: str,
    rank: str = "",
    unit: Unit | None = None,
    is_active: bool = True,
    is_state_official: bool = False,
    check_permission: bool = True,
) -> Official:
    _require_manage(actor, check_permission)
    official = Official(
        name=_text(name),
        nip=_text(nip).replace(" ", ""),
        is_state_official=bool(is_state_official),
        position=_text(position),
        rank=_text(rank),
        unit=_fresh(unit),
        is_active=is_active,
    )
    _validate_official(official, unit_changed=True)
    official.save()
    audit.record(
        actor=actor,
        action="official.created",
        obj=official,
        after=audit.snapshot(official, OFFICIAL_FIELDS),
    )
    return official


@transaction.atomic
def update_official(
    *,
    actor,
    official: Official,
    name: str,
    nip: str | None,
    position: str,
    rank: str = "",
    unit: Unit | None = None,
    is_active: bool = True,
    is_state_official: bool | None = None,
    check_permission: bool = True,
) -> Official:
    _require_manage(actor, check_permission)
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = audit.snapshot(official, OFFICIAL_FIELDS)
    unit_changed = official.unit_id != (unit.pk if unit else None)
    official.name = _text(name)
    official.nip = _text(nip).replace(" ", "")
    if is_state_official is not None:  # None: left as it is
        official.is_state_official = bool(is_state_official)
    official.position = _text(position)
    official.rank = _text(rank)
    official.unit = _fresh(unit)
    official.is_active = is_active
    _validate_official(official, unit_changed=unit_changed)
    after = audit.snapshot(official, OFFICIAL_FIELDS)
    if after != before:
        official.save()
        audit.record(
            actor=actor, action="official.updated", obj=official, before=before, after=after
        )
    return official


# --- Headships: who heads a unit, definitively or acting ----------------------------------


def _headship_repr(headship: Headship) -> str:
    return str(headship)[:300]


def _overlaps(qs, starts_on, ends_on):
    """The headships of `qs` whose period meets [starts_on, ends_on] (None: open)."""
    if starts_on is not None:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=ends_on))
    return qs


def _period(starts_on, ends_on) -> str:
    def show(day):
        return date_format(day, "SHORT_DATE_FORMAT") if day else "…"

    return f"{show(starts_on)} – {show(ends_on)}"


def _validate_headship(headship: Headship, errors: dict) -> list[Headship]:
    """Check a new headship; returns the open definitive headships it ends (see below)."""
    if headship.kind not in Headship.Kind.values:
        errors.setdefault("kind", []).append(_("Choose definitive, Plt. or Plh."))
    acting = headship.kind in (Headship.Kind.PLT, Headship.Kind.PLH)
    if acting and headship.starts_on is None:
        errors.setdefault("starts_on", []).append(_("An acting headship needs its first day."))
    if headship.starts_on and headship.ends_on and headship.ends_on < headship.starts_on:
        errors.setdefault("ends_on", []).append(_("The last day comes before the first day."))
    official, unit = headship.official, headship.unit
    if official is None:
        errors.setdefault("official", []).append(_("Choose the official."))
    elif not official.is_active:
        errors.setdefault("official", []).append(
            _("%(name)s is not an active official.") % {"name": official.name}
        )
    if unit is not None and not unit.is_active:
        errors.setdefault("unit", []).append(
            _("The unit %(code)s is deactivated.") % {"code": unit.code}
        )
    if errors:
        return []
    others = Headship.objects.select_for_update().filter(unit=unit).select_related("official")
    same = _overlaps(others.filter(official=official), headship.starts_on, headship.ends_on)
    clash = same.first()
    if clash is not None:
        errors.setdefault("official", []).append(
            _("%(name)s already heads %(unit)s for %(period)s.")
            % {
                "name": official.name,
                "unit": unit.code,
                "period": _period(clash.starts_on, clash.ends_on),
            }
        )
        return []
    if acting:
        clash = _overlaps(
            others.exclude(kind=Headship.Kind.DEFINITIVE), headship.starts_on, headship.ends_on
        ).first()
        if clash is not None:
            errors.setdefault("starts_on", []).append(
                _(
                    "%(name)s is already recorded as %(kind)s. of %(unit)s for %(period)s; "
                    "two acting headships of one unit cannot overlap."
                )
                % {
                    "name": clash.official.name,
                    "kind": clash.kind,
                    "unit": unit.code,
                    "period": _period(clash.starts_on, clash.ends_on),
                }
            )
        return []
    # A new definitive head: the previous definitive head's open headship ends the day
    # before, when it started earlier; any other overlap is refused.
    ended = []
    for other in _overlaps(
        others.filter(kind=Headship.Kind.DEFINITIVE), headship.starts_on, headship.ends_on
    ):
        if (
            headship.starts_on is not None
            and other.ends_on is None
            and (other.starts_on is None or other.starts_on < headship.starts_on)
        ):
            ended.append(other)
            continue
        errors.setdefault("starts_on", []).append(
            _(
                "%(name)s is recorded as the definitive head of %(unit)s for %(period)s; "
                "end that headship first or start this one later."
            )
            % {
                "name": other.official.name,
                "unit": unit.code,
                "period": _period(other.starts_on, other.ends_on),
            }
        )
    return ended


def _end(*, actor, headship: Headship, ends_on) -> Headship:
    before = audit.snapshot(headship, HEADSHIP_FIELDS)
    headship.ends_on = ends_on
    headship.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action="headship.ended",
        obj=headship,
        object_repr=_headship_repr(headship),
        before=before,
        after=audit.snapshot(headship, HEADSHIP_FIELDS),
    )
    return headship


@transaction.atomic
def record_headship(
    *,
    actor,
    unit: Unit,
    official: Official,
    kind: str = Headship.Kind.DEFINITIVE,
    starts_on=None,
    ends_on=None,
    check_permission: bool = True,
) -> Headship:
    """Record that `official` heads `unit` — definitively, or as Plt./Plh. for a period.

    One person may head several units. Two acting headships of one unit may not overlap; a
    new definitive head ends the previous definitive head's open headship the day before.
    """
    _require_manage(actor, check_permission)
    unit = _fresh(unit)
    official = Official.objects.select_for_update().get(pk=official.pk) if official else None
    headship = Headship(
        unit=unit, official=official, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    errors: dict[str, list] = {}
    ended = _validate_headship(headship, errors)
    _raise(errors)
    for other in ended:
        _end(actor=actor, headship=other, ends_on=headship.starts_on - timedelta(days=1))
    headship.save()
    audit.record(
        actor=actor,
        action="headship.created",
        obj=headship,
        object_repr=_headship_repr(headship),
        after=audit.snapshot(headship, HEADSHIP_FIELDS),
    )
    return headship


@transaction.atomic
def end_headship(
    *, actor, headship: Headship, ends_on=None, check_permission: bool = True
) -> Headship:
    """End a headship on `ends_on` (today by default): its last day as head."""
    _require_manage(actor, check_permission)
    headship = (
        Headship.objects.select_for_update(of=("self",))
        .select_related("unit", "official")
        .get(pk=headship.pk)
    )
    ends_on = ends_on or timezone.localdate()
    errors: dict[str, list] = {}
    if headship.ends_on is not None and headship.ends_on <= ends_on:
        errors["ends_on"] = [
            _("This headship already ended on %(day)s.")
            % {"day": date_format(headship.ends_on, "SHORT_DATE_FORMAT")}
        ]
    elif headship.starts_on is not None and ends_on < headship.starts_on:
        errors["ends_on"] = [
            _("The last day cannot come before the first day (%(day)s).")
            % {"day": date_format(headship.starts_on, "SHORT_DATE_FORMAT")}
        ]
    _raise(errors)
    return _end(actor=actor, headship=headship, ends_on=ends_on)


# --- Accounts and roles -------------------------------------------------------------------


def _validate_user(user: User, errors: dict) -> None:
    _full_clean(user, errors, exclude=["password"])
    if (
        "username" not in errors
        and User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists()
    ):
        errors.setdefault("username", []).append(
            _("A user with that username already exists (ignoring upper and lower case).")
        )


def _password_errors(password: str, user: User, errors: dict) -> None:
    if not password:
        errors.setdefault("password", []).append(_("Set a password."))
        return
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.messages)


def _other_active_admins(user: User):
    return (
        RoleAssignment.objects.select_for_update(of=("self",))
        .filter(role=Role.ADMIN, user__is_active=True)
        .exclude(user=user)
    )


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    official: Official | None = None,
    is_active: bool = True,
    check_permission: bool = True,
) -> User:
    _require_manage(actor, check_permission)
    user = User(
        username=_text(username),
        first_name=_text(first_name),
        last_name=_text(last_name),
        email=User.objects.normalize_email(_text(email)),
        official=official,
        is_active=is_active,
    )
    errors: dict[str, list] = {}
    _validate_user(user, errors)
    _password_errors(password, user, errors)
    _raise(errors)
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor, action="user.created", obj=user, after=audit.snapshot(user, USER_FIELDS)
    )
    return user


@transaction.atomic
def update_user(
    *,
    actor,
    user: User,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    official: Official | None = None,
    is_active: bool = True,
    check_permission: bool = True,
) -> User:
    _require_manage(actor, check_permission)
    callers_user, user = user, User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, USER_FIELDS)
    user.username = _text(username)
    user.first_name = _text(first_name)
    user.last_name = _text(last_name)
    user.email = User.objects.normalize_email(_text(email))
    user.official = official
    errors: dict[str, list] = {}
    if user.is_active and not is_active:
        if actor is not None and actor.pk == user.pk:
            errors["is_active"] = [_("You cannot deactivate your own account.")]
        elif (
            user.role_assignments.filter(role=Role.ADMIN).exists()
            and not _other_active_admins(user).exists()
        ):
            errors["is_active"] = [
                _("This is the last active administrator; the system must keep one.")
            ]
    user.is_active = is_active
    _validate_user(user, errors)
    _raise(errors)
    after = audit.snapshot(user, USER_FIELDS)
    if after != before:
        user.save()
        audit.record(actor=actor, action="user.updated", obj=user, before=before, after=after)
    _forget(user, actor, callers_user)
    return user


@transaction.atomic
def set_password(*, actor, user: User, password: str, check_permission: bool = True) -> User:
    _require_manage(actor, check_permission)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list] = {}
    _password_errors(password, user, errors)
    _raise(errors)
    user.set_password(password)
    user.save(update_fields=["password"])
    # The event says that the password changed, never what it is.
    audit.record(actor=actor, action="user.password_set", obj=user)
    return user


@transaction.atomic
def add_role(
    *, actor, user: User, role: str, unit: Unit | None = None, check_permission: bool = True
) -> RoleAssignment:
    """Give the user a role; unit roles are held for one unit, the others ministry-wide."""
    _require_manage(actor, check_permission)
    callers_user, user = user, User.objects.select_for_update().get(pk=user.pk)
    unit = _fresh(unit)
    errors: dict[str, list] = {}
    if role not in Role.values:
        errors["role"] = [_("Choose a role from the list.")]
    elif role in UNIT_ROLES and unit is None:
        errors["unit"] = [
            _("%(role)s is held for one unit: choose the unit.") % {"role": Role(role).label}
        ]
    elif role not in UNIT_ROLES and unit is not None:
        errors["unit"] = [
            _("%(role)s is held for the whole ministry: leave the unit empty.")
            % {"role": Role(role).label}
        ]
    elif unit is not None and not unit.is_active:
        errors["unit"] = [_("The unit %(code)s is deactivated.") % {"code": unit.code}]
    elif RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        errors["role"] = [_("The user already holds this role.")]
    _raise(errors)
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    audit.record(
        actor=actor,
        action="role.assigned",
        obj=assignment,
        object_repr=f"{user.username}: {assignment}",
        after=audit.snapshot(assignment, ROLE_FIELDS),
    )
    _forget(user, actor, callers_user)
    return assignment


@transaction.atomic
def remove_role(*, actor, assignment: RoleAssignment, check_permission: bool = True) -> None:
    """Take a role away. The system always keeps an active administrator, and an
    administrator cannot take their own administrator role away."""
    _require_manage(actor, check_permission)
    callers_user = assignment.user if RoleAssignment.user.is_cached(assignment) else None
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "unit")
        .get(pk=assignment.pk)
    )
    user = assignment.user
    if assignment.role == Role.ADMIN:
        if actor is not None and actor.pk == user.pk:
            raise ValidationError(
                _("You cannot remove your own administrator role; ask another administrator.")
            )
        if user.is_active and not _other_active_admins(user).exists():
            raise ValidationError(
                _("This is the last active administrator; the system must keep one.")
            )
    audit.record(
        actor=actor,
        action="role.removed",
        obj=assignment,
        object_repr=f"{user.username}: {assignment}",
        before=audit.snapshot(assignment, ROLE_FIELDS),
    )
    assignment.delete()
    _forget(user, actor, callers_user)


def _forget(user: User, *others) -> None:
    """Drop the cached roles of every in-memory copy of the user we were given."""
    roles.forget(user)
    for other in others:
        if other is not None and getattr(other, "pk", None) == user.pk:
            roles.forget(other)


# --- Imports ------------------------------------------------------------------------------


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _write_imported(*, actor, instance, model, key: dict, values: dict, fields, counts) -> object:
    """Create (`instance` None) or update one imported record, audited; count what happened."""
    label = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**key, **values)
        audit.record(
            actor=actor,
            action=f"{label}.created",
            obj=instance,
            after=audit.snapshot(instance, fields),
        )
        counts.created += 1
        return instance
    before = audit.snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    after = audit.snapshot(instance, fields)
    if after == before:
        counts.unchanged += 1
        return instance
    instance.save()
    audit.record(actor=actor, action=f"{label}.updated", obj=instance, before=before, after=after)
    counts.updated += 1
    return instance


def _record_import(*, actor, model, source: str, counts: ImportCounts) -> None:
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.imported",
        object_type=model._meta.label_lower,
        object_repr=source[:300],
        after={"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged},
    )


def _raise_row_errors(errors: list) -> None:
    if errors:
        raise ValidationError([error.in_words() for error in errors])


def _parents_first(rows: list[importers.UnitRow]) -> list[importers.UnitRow]:
    """The rows ordered so that a parent in the file is written before its sub-units."""
    by_code = {row.code: row for row in rows}

    def depth(row) -> int:
        count, current, seen = 0, by_code.get(row.parent_code), set()
        while current is not None and current.code not in seen:
            seen.add(current.code)
            count += 1
            current = by_code.get(current.parent_code)
        return count

    return sorted(rows, key=depth)


@transaction.atomic
def import_units(
    *, actor, rows: list[importers.UnitRow], source: str = "", check_permission: bool = True
) -> ImportCounts:
    """Create or update units by code. The rows are checked again here; if any is wrong
    nothing is written."""
    _require_manage(actor, check_permission)
    _raise_row_errors(importers.check_unit_rows(rows))
    codes = {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code}
    known = {u.code: u for u in Unit.objects.select_for_update().filter(code__in=codes)}
    counts = ImportCounts()
    for row in _parents_first(rows):
        unit = known.get(row.code)
        values = {"name": row.name, "level": row.level}
        # Optional columns the file does not have leave an existing unit's value alone.
        for name in ("short_name", "head_position"):
            if unit is None or importers.has_column(row, name):
                values[name] = getattr(row, name)
        if unit is None or importers.has_column(row, "parent_code"):
            values["parent"] = known[row.parent_code] if row.parent_code else None
        known[row.code] = _write_imported(
            actor=actor,
            instance=unit,
            model=Unit,
            key={"code": row.code} if unit is None else {},
            values=values if unit is not None else {**values, "is_active": True},
            fields=UNIT_FIELDS,
            counts=counts,
        )
    _record_import(actor=actor, model=Unit, source=source, counts=counts)
    return counts


@transaction.atomic
def import_officials(
    *, actor, rows: list[importers.OfficialRow], source: str = "", check_permission: bool = True
) -> ImportCounts:
    """Create or update officials by NIP (a state official without NIP: by name), and the
    posts they head (definitive or Plt./Plh.). One person may be on several rows, one per
    post. The rows are checked again here; if any is wrong nothing is written."""
    _require_manage(actor, check_permission)
    _raise_row_errors(importers.check_official_rows(rows))
    codes = {r.unit_code for r in rows if r.unit_code} | {
        r.head_of_unit for r in rows if r.head_of_unit
    }
    units = {u.code: u for u in Unit.objects.select_for_update().filter(code__in=codes)}
    own = importers.own_rows(rows)
    known = {
        o.nip: o
        for o in Official.objects.select_for_update().filter(
            nip__in=[row.nip for row in own.values() if row.nip]
        )
    }
    without_nip: dict[str, Official] = {}
    for official in Official.objects.select_for_update().filter(nip__isnull=True).order_by("pk"):
        without_nip.setdefault(" ".join(official.name.split()).casefold(), official)
    counts = ImportCounts()
    people: dict[tuple, Official] = {}
    for key, row in own.items():
        if row.nip:
            official = known.get(row.nip)
        else:
            official = without_nip.get(" ".join(row.name.split()).casefold())
        values = {"name": row.name, "position": row.position}
        # Optional columns the file does not have leave an existing official's value alone.
        if official is None or importers.has_column(row, "rank"):
            values["rank"] = row.rank
        if official is None or importers.has_column(row, "unit_code"):
            values["unit"] = units.get(row.unit_code) if row.unit_code else None
        if official is None or importers.has_column(row, "active"):
            values["is_active"] = row.is_active
        if official is None or importers.has_column(row, "state_official"):
            values["is_state_official"] = row.is_state_official
        people[key] = _write_imported(
            actor=actor,
            instance=official,
            model=Official,
            key={"nip": row.nip or None} if official is None else {},
            values=values,
            fields=OFFICIAL_FIELDS,
            counts=counts,
        )
    errors = _import_headships(actor=actor, rows=rows, own=own, people=people, units=units)
    _raise_row_errors(errors)
    _record_import(actor=actor, model=Official, source=source, counts=counts)
    return counts


def _import_headships(*, actor, rows, own, people, units) -> list:
    """Record the posts headed on the rows (skipping those already recorded); a person
    whose own position is their unit's head position heads it definitively when nothing
    else is recorded for it. Returns the problems, each naming sheet, row and column."""
    errors = []
    headed_in_file = {row.head_of_unit for row in rows if row.head_of_unit}
    for row in rows:
        if not row.head_of_unit:
            continue
        official, unit = people[importers.person_key(row)], units[row.head_of_unit]
        same = Headship.objects.filter(
            official=official, unit=unit, kind=row.head_kind, starts_on=row.head_from
        ).first()
        try:
            if same is None:
                record_headship(
                    actor=actor,
                    unit=unit,
                    official=official,
                    kind=row.head_kind,
                    starts_on=row.head_from,
                    ends_on=row.head_until,
                    check_permission=False,
                )
            elif same.ends_on != row.head_until:
                before = audit.snapshot(same, HEADSHIP_FIELDS)
                same.ends_on = row.head_until
                same.full_clean()
                same.save(update_fields=["ends_on"])
                audit.record(
                    actor=actor,
                    action="headship.updated",
                    obj=same,
                    object_repr=_headship_repr(same),
                    before=before,
                    after=audit.snapshot(same, HEADSHIP_FIELDS),
                )
        except ValidationError as error:
            column = "head_from" if row.head_kind != Headship.Kind.DEFINITIVE else "head_of_unit"
            for message in error.messages:
                errors.append(importers.row_error(row, column, str(message)))
    for key, row in own.items():
        official = people[key]
        unit = units.get(row.unit_code) if row.unit_code else None
        if (
            unit is None
            or not unit.is_active
            or row.head_of_unit
            or row.unit_code in headed_in_file
            or not official.is_active
            or not unit.head_position.strip()
            or official.position.strip().casefold() != unit.head_position.strip().casefold()
            or unit.headships.exists()
        ):
            continue
        record_headship(actor=actor, unit=unit, official=official, check_permission=False)
    return errors
