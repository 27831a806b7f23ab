"""Template filters of the plan pages: Indonesian numbers, targets, status badges."""

from datetime import datetime

from django import template
from django.utils import timezone

from rkpk.core.formatting import format_date_id, format_number, format_rupiah
from rkpk.plans.snapshot import format_quarter, format_target

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "clarification": "text-bg-warning",
    "resubmitted": "text-bg-info",
    "awaiting_head": "text-bg-dark",
    "accepted": "text-bg-success",
    "returned": "text-bg-danger",
}


@register.filter
def number(value) -> str:
    """1234.5 -> "1.234,5"."""
    return format_number(value)


@register.filter
def rupiah(value) -> str:
    """1500000 -> "Rp1.500.000"."""
    return format_rupiah(value)


@register.filter
def date_id(value) -> str:
    """A date as "25 November 2026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date_id(value)


@register.filter
def target(obj) -> str:
    """An indicator's target as people write it: "85%", "1.250", "80–90", "WTP"."""
    if obj is None:
        return ""
    return format_target(obj)


@register.filter
def quarters(ind) -> str:
    """An indicator's quarterly targets with their unit ("25% · 50% · 75% · 90%"), or ""."""
    values = [getattr(ind, f"q{n}", None) for n in range(1, 5)]
    if all(v is None for v in values):
        return ""
    return " · ".join(format_quarter(v, ind.target_kind, ind.measure) or "—" for v in values)


@register.filter
def percent_warnings(row) -> list[str]:
    """The warnings of a saved row (a percentage above 100), from the one validator."""
    from rkpk.plans.validation import percent_warnings as warnings

    return warnings(row)


@register.filter
def status_class(status) -> str:
    """The Bootstrap badge class of a plan status."""
    return STATUS_CLASSES.get(str(status), "text-bg-light")
