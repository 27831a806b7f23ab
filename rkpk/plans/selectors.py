"""Reads of unit plans, filtered by what the user may see."""

from django.db.models import Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import translation

from rkpk.organisation import roles
from rkpk.organisation.models import UNIT_ROLES, Official, RoleAssignment, Unit
from rkpk.organisation.selectors import ancestors, pk_parties
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Attachment,
    Goal,
    Indicator,
    MeasureUnit,
    Message,
    ReturnReason,
    Submission,
    UnitPlan,
)


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


def visible_plan(user, unit_code: str, year: int) -> UnitPlan | None:
    """The unit's plan of the year, when the user may see it."""
    plan = plans_for(user).filter(unit__code=unit_code, year=year).first()
    if plan is None or not user.has_perm("plans.view_plan", plan):
        return None
    return plan


def plan_of(unit: Unit, year: int) -> UnitPlan | None:
    return UnitPlan.objects.filter(unit=unit, year=year).first()


def plan_with_parties(plan_id: int) -> UnitPlan:
    return UnitPlan.objects.select_related(
        "unit", "unit__parent", "first_party", "second_party"
    ).get(pk=plan_id)


def own_plans_by_unit(user) -> list[tuple[Unit, list[UnitPlan]]]:
    """The user's own units, each with its plans (newest year first, with the latest version
    number as `version`)."""
    own_ids = roles.unit_ids(user)
    if not own_ids:
        return []
    units = list(Unit.objects.filter(pk__in=own_ids).order_by("sort_order", "code"))
    plans = (
        plans_for(user)
        .filter(unit_id__in=own_ids)
        .annotate(version=Max("submissions__number"))
        .order_by("unit__sort_order", "unit__code", "-year")
    )
    by_unit = {unit.pk: [] for unit in units}
    for plan in plans:
        by_unit[plan.unit_id].append(plan)
    return [(unit, by_unit[unit.pk]) for unit in units]


def search_plans(user, *, query: str = "", year: int | None = None, status: str = ""):
    """Every plan the user may see, filtered, newest year first (`version` as above)."""
    plans = plans_for(user).annotate(version=Max("submissions__number"))
    if query:
        plans = plans.filter(
            Q(unit__code__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(unit__short_name__icontains=query)
        )
    if year:
        plans = plans.filter(year=year)
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("-year", "unit__sort_order", "unit__code")


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "code")


def previous_year_plan(plan: UnitPlan) -> UnitPlan | None:
    return plan_of(plan.unit, plan.year - 1)


def measure_unit_names() -> list[str]:
    return list(MeasureUnit.objects.filter(is_active=True).values_list("name", flat=True))


def officials_for_parties(user, plan: UnitPlan) -> QuerySet[Official]:
    """Whom the PK parties may be chosen from.

    Who may choose from the whole register chooses from it; a unit's people from the active
    officials of their unit and the units above it (the superior sits there), plus whoever
    is chosen now.
    """
    officials = Official.objects.select_related("unit").order_by("name", "pk")
    chosen = [pk for pk in (plan.first_party_id, plan.second_party_id) if pk]
    # The recorded heads (a Plt. may belong to another unit; the minister to none).
    chosen += [e.official.pk for e in pk_parties(plan.unit) if e.official is not None]
    if user.has_perm("plans.choose_any_party", plan):
        return officials.filter(Q(is_active=True) | Q(pk__in=chosen))
    unit_ids = [plan.unit_id, *(u.pk for u in ancestors(plan.unit))]
    return officials.filter(Q(is_active=True, unit_id__in=unit_ids) | Q(pk__in=chosen))


# --- Rows of a plan's content ---------------------------------------------------------------


def rows_of(model: type, plan: UnitPlan) -> QuerySet:
    """The plan's rows of one kind (goals, indicators, activities or output indicators)."""
    if model is ActivityIndicator:
        return ActivityIndicator.objects.filter(activity__plan=plan)
    rows = model.objects.filter(plan=plan)
    if model is Indicator:
        rows = rows.select_related("previous")
    return rows


def row_of(model: type, plan: UnitPlan, pk) -> object | None:
    return rows_of(model, plan).filter(pk=pk).first()


def current_row(model: type, pk: int):
    """The row as saved now (None when someone deleted it)."""
    return model.objects.filter(pk=pk).first()


def with_indicators(row: Goal | Activity) -> Goal | Activity:
    """A goal or an activity with its indicators loaded in their order."""
    if isinstance(row, Goal):
        indicators = Indicator.objects.select_related("previous").order_by("position", "id")
    else:
        indicators = ActivityIndicator.objects.order_by("position")
    prefetch_related_objects([row], Prefetch("indicators", queryset=indicators))
    return row


def goal_indicators(goal_id: int) -> list[Indicator]:
    rows = Indicator.objects.filter(goal_id=goal_id).select_related("previous")
    return list(rows.order_by("position", "id"))


def activity_outputs(activity_id: int) -> list[ActivityIndicator]:
    return list(
        ActivityIndicator.objects.filter(activity_id=activity_id).order_by("position", "id")
    )


# --- Submissions and the clarification thread -----------------------------------------------


def submissions_of(plan: UnitPlan) -> QuerySet[Submission]:
    """The plan's versions, newest first, without their snapshots."""
    return (
        plan.submissions.defer("snapshot")
        .select_related("submitted_by", "decided_by")
        .order_by("-number")
    )


def latest_submission(plan: UnitPlan) -> Submission | None:
    return plan.submissions.select_related("submitted_by", "decided_by").order_by("-number").first()


def latest_number(plan: UnitPlan) -> int | None:
    latest = plan.submissions.order_by("-number").only("number").first()
    return latest.number if latest else None


def submission_of(plan: UnitPlan, number: int) -> Submission | None:
    return (
        plan.submissions.select_related("submitted_by", "decided_by").filter(number=number).first()
    )


def submission_numbers(plan: UnitPlan) -> list[int]:
    return sorted(plan.submissions.values_list("number", flat=True))


def submissions_numbered(plan: UnitPlan, numbers) -> dict[int, Submission]:
    return {s.number: s for s in plan.submissions.filter(number__in=numbers)}


def reason_texts(*, active_only: bool = False) -> dict[str, str]:
    """Return reasons by code, in the current language (Indonesian or English), in list order.

    Past decisions show every reason they used; new decisions pick from the active ones.
    """
    column = "text_id" if (translation.get_language() or "").startswith("id") else "text_en"
    reasons = ReturnReason.objects.order_by("sort_order", "code")
    if active_only:
        reasons = reasons.filter(is_active=True)
    return dict(reasons.values_list("code", column))


def plan_messages(plan: UnitPlan) -> tuple[list[Message], set[int]]:
    """The plan's messages in time order, and which of their authors belong to the unit."""
    items = list(
        Message.objects.filter(plan=plan)
        .select_related("author", "submission")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    unit_authors = set(
        RoleAssignment.objects.filter(
            user_id__in={m.author_id for m in items}, unit_id=plan.unit_id, role__in=UNIT_ROLES
        ).values_list("user_id", flat=True)
    )
    return items, unit_authors


def attachment_of(plan: UnitPlan, pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk, message__plan=plan).first()


def plan_by_rule(user, unit_code: str, year: int) -> UnitPlan | None:
    """`visible_plan` asking the rule alone (it lets the same users see the plan as
    `plans_for`): a unit's own people then see their plan without the query of the units
    they head, which the rule asks only of the others."""
    plan = (
        UnitPlan.objects.select_related("unit", "first_party", "second_party")
        .filter(unit__code=unit_code, year=year)
        .first()
    )
    if plan is None or not user.has_perm("plans.view_plan", plan):
        return None
    return plan
