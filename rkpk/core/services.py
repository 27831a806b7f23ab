from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.models import CalendarOverride


@transaction.atomic
def set_calendar_override(*, actor, day: date, kind: str, reason: str) -> CalendarOverride:
    """Close or reopen one day; replaces an earlier override of the same day."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason (e.g. the decree that sets it).")})
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of override.")})
    existing = CalendarOverride.objects.select_for_update().filter(date=day).first()
    before = audit.snapshot(existing, ["date", "kind", "reason"]) if existing else None
    override = existing or CalendarOverride(date=day, created_by=actor)
    override.kind = kind
    override.reason = reason[:200]
    override.save()
    audit.record(
        actor=actor,
        action="calendar.override_set",
        obj=override,
        before=before,
        after=audit.snapshot(override, ["date", "kind", "reason"]),
    )
    return override


@transaction.atomic
def remove_calendar_override(*, actor, override: CalendarOverride) -> None:
    before = audit.snapshot(override, ["date", "kind", "reason"])
    audit.record(actor=actor, action="calendar.override_removed", obj=override, before=before)
    override.delete()
