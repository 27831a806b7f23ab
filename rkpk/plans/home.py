"""What the unit plans ask of a person on their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.core.selectors import Task
from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.plans.head_approval import approval_tasks
from rkpk.plans.models import UnitPlan
from rkpk.plans.monitoring import units_expected
from rkpk.procedure.selectors import current_cycle


def tasks_for(user) -> list[Task]:
    """The user's units' plans to write, then the plans waiting for their approval as the
    unit's head."""
    return unit_plan_tasks(user) + [Task(text, url) for text, url in approval_tasks(user)]


def unit_plan_tasks(user) -> list[Task]:
    """The RK-PK of the current cycle's year of each unit the user writes (operator, head):
    to start, to complete and submit, to revise after a return, or a clarification to
    answer. A plan with the bureau or accepted is nobody's task here."""
    unit_ids = roles.unit_ids(user, Role.UNIT_OPERATOR, Role.UNIT_HEAD)
    if not unit_ids:
        return []
    cycle = current_cycle()
    if cycle is None:
        return []
    year = cycle.year
    Status = UnitPlan.Status
    texts = {
        Status.DRAFT: _("Complete and submit the RK-PK %(year)s of %(unit)s."),
        Status.RETURNED: _(
            "The bureau returned the RK-PK %(year)s of %(unit)s: revise it and submit it again."
        ),
        Status.CLARIFICATION: _(
            "Answer the bureau's clarification request on the RK-PK %(year)s of %(unit)s."
        ),
    }
    tasks = []
    plans = UnitPlan.objects.filter(year=year, unit_id__in=unit_ids).select_related("unit")
    planned = set()
    for plan in plans.order_by("unit__code"):
        planned.add(plan.unit_id)
        text = texts.get(plan.status)
        if text is None:
            continue
        # A clarification is answered in the plan's message thread.
        name = (
            "plans:review_messages" if plan.status == Status.CLARIFICATION else "plans:plan_detail"
        )
        tasks.append(
            Task(
                text % {"year": year, "unit": plan.unit.name},
                reverse(name, args=[plan.unit.code, year]),
            )
        )
    if cycle.status == cycle.Status.ACTIVE:
        missing = units_expected(year).filter(pk__in=unit_ids - planned).order_by("code")
        for unit in missing:
            tasks.append(
                Task(
                    _("Start the RK-PK %(year)s of %(unit)s.") % {"year": year, "unit": unit.name},
                    reverse("plans:plan_list"),
                )
            )
    return tasks
