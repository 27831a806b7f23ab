"""User accounts, their passwords and their role assignments."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.organisation import roles
from rkpk.organisation.models import (
    UNIT_ROLES,
    Official,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from rkpk.organisation.services.base import (
    ROLE_FIELDS,
    USER_FIELDS,
    _fresh,
    _full_clean,
    _raise,
    _require_manage,
    _text,
)

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
