"""Reads for the API: the domain selectors' visibility rules plus the API's filters.

Every list starts from the domain selector that decides what the user may see
(`units_for`, `officials_for`, `cycles_for`) and only narrows it further.
"""

from django.db.models import Count, Q, QuerySet, Sum

from rkpk.api.models import ApiToken
from rkpk.organisation.models import Official, Unit
from rkpk.organisation.selectors import officials_for, units_for
from rkpk.procedure.models import Cycle, CycleStep, ServiceStandard
from rkpk.procedure.selectors import cycles_for


def tokens_for(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def search_units(
    user, *, q: str = "", parent: str = "", active: bool | None = None
) -> QuerySet[Unit]:
    units = units_for(user)
    if q:
        units = units.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(short_name__icontains=q)
        )
    if parent:
        units = units.filter(parent__code=parent)
    if active is not None:
        units = units.filter(is_active=active)
    return units


def search_officials(
    user, *, q: str = "", unit: str = "", active: bool | None = None
) -> QuerySet[Official]:
    officials = officials_for(user)
    if q:
        officials = officials.filter(
            Q(name__icontains=q) | Q(nip__startswith=q) | Q(position__icontains=q)
        )
    if unit:
        officials = officials.filter(unit__code=unit)
    if active is not None:
        officials = officials.filter(is_active=active)
    return officials


def standards_with_totals() -> QuerySet[ServiceStandard]:
    # Named so as not to collide with the model's `total_days` property.
    return ServiceStandard.objects.annotate(
        step_count=Count("steps"), days_total=Sum("steps__standard_days")
    ).order_by("-version")


def cycles_with_counts(user) -> QuerySet[Cycle]:
    return cycles_for(user).annotate(
        steps_total=Count("steps"),
        steps_done=Count("steps", filter=Q(steps__status=CycleStep.Status.DONE)),
    )
