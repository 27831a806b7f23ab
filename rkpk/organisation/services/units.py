"""Units (create, update, deactivate, activate, delete) and officials."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.organisation.models import (
    Official,
    Unit,
)
from rkpk.organisation.services.base import (
    OFFICIAL_FIELDS,
    UNIT_FIELDS,
    _fresh,
    _full_clean,
    _raise,
    _require_manage,
    _text,
)

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
