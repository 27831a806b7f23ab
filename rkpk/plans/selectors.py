"""Reads of unit plans, filtered by what the user may see."""

from django.db.models import Prefetch, QuerySet

from rkpk.organisation import roles
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan


def plans_for(user) -> QuerySet[UnitPlan]:
    """Plans the user may see: every plan for the ministry's roles, their own unit's otherwise."""
    plans = UnitPlan.objects.select_related("unit", "first_party", "second_party")
    if roles.sees_whole_ministry(user):
        return plans
    from rkpk.plans.head_approval import headed_unit_ids

    # The official heading a unit (also as Plt./Plh. from another unit) sees its plan.
    own = roles.unit_ids(user) | headed_unit_ids(user)
    return plans.filter(unit_id__in=own) if own else plans.none()


def plan_with_content(plan_id: int) -> UnitPlan:
    """A plan with its goals, indicators (and last year's), activities and their indicators,
    in a fixed number of queries whatever its size."""
    return (
        UnitPlan.objects.select_related(
            "unit", "unit__parent", "first_party", "second_party", "copied_from"
        )
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "id").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.select_related("previous").order_by(
                            "position", "id"
                        ),
                    )
                ),
            ),
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("rolls_up")
                .order_by("position", "id")
                .prefetch_related(
                    Prefetch(
                        "indicators", queryset=ActivityIndicator.objects.order_by("position", "id")
                    )
                ),
            ),
        )
        .get(pk=plan_id)
    )
