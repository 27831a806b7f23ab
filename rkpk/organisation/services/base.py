"""What every write of the organisation shares: the fields audited, the permission check,
the locked re-read of a unit and the collection of validation errors."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rkpk.core.actions import require
from rkpk.organisation.models import (
    Unit,
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
