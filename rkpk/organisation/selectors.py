"""Reads of the organisation, filtered by what the user may see."""

from django.db.models import Q, QuerySet

from rkpk.organisation import roles
from rkpk.organisation.models import Official, Unit


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
