"""Headships: who heads a unit, definitively or acting, and from when to when."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.organisation.models import (
    Headship,
    Official,
    Unit,
)
from rkpk.organisation.services.base import (
    HEADSHIP_FIELDS,
    _fresh,
    _raise,
    _require_manage,
)

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
