import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import AuditEvent


@dataclass
class DayCell:
    day: date | None
    css: str = ""
    title: str = ""


def month_grids(
    cal: WorkingCalendar, year: int, today: date
) -> list[tuple[date, list[list[DayCell]]]]:
    """Twelve months as weeks of day cells (Monday first), marked for the calendar page."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(DayCell(None))
                    continue
                info = cal.day_info(day)
                override = cal.overrides.get(day)
                if info.is_working:
                    css = "opened" if override is not None else ""
                elif override is not None or cal.holiday_name(day):
                    css = "off"
                else:
                    css = "weekend"
                if day == today:
                    css += " today-cell"
                row.append(DayCell(day, css.strip(), "; ".join(info.reasons)))
            weeks.append(row)
        months.append((date(year, month, 1), weeks))
    return months


def paginate(request, queryset, per_page: int = 50) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    text: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all().order_by("-seq")
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if text:
        events = events.filter(object_repr__icontains=text)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events


def audit_filter_choices() -> tuple[list[str], list[str]]:
    actions = list(
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    )
    types = list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    return actions, types


@dataclass
class Task:
    text: str
    url: str


def tasks_for(user) -> list[Task]:
    """Concrete things waiting for the user beyond the cycle's steps: their unit's RK-PK to
    complete or a clarification to answer, a ministry RK-PK version to review or sign,
    complaints to delegate or answer, the binding request to confirm, satisfaction surveys
    of their units to fill in. At most one query per kind, only for the roles concerned."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from rkpk.complaints.models import Complaint
    from rkpk.ministry.models import MinistryPlan
    from rkpk.organisation import roles
    from rkpk.organisation.models import Role
    from rkpk.survey.models import Invitation, Survey

    tasks = []
    waiting = {
        MinistryPlan.Status.BUREAU_REVIEW: Role.HEAD_OF_BUREAU,
        MinistryPlan.Status.DEPUTY_REVIEW: Role.DEPUTY,
        MinistryPlan.Status.APPROVED: Role.MINISTER,
    }
    mine = [status for status, role in waiting.items() if roles.acts_as(user, role)[0]]
    if mine:
        for plan in MinistryPlan.objects.filter(status__in=mine).order_by("year"):
            text = (
                _("The ministry RK-PK %(year)s awaits your signature.")
                if plan.status == MinistryPlan.Status.APPROVED
                else _("The draft ministry RK-PK %(year)s awaits your review.")
            )
            tasks.append(
                Task(text % {"year": plan.year}, reverse("ministry:plan", args=[plan.year]))
            )
    if roles.acts_as(user, Role.HEAD_OF_BUREAU)[0]:
        count = Complaint.objects.filter(status=Complaint.Status.RECEIVED).count()
        if count:
            tasks.append(
                Task(
                    _("%(n)s complaint(s) to delegate.") % {"n": count},
                    reverse("complaints:register") + "?status=received",
                )
            )
    if roles.has_role(user, Role.HEAD_OF_SECTION) or roles.acting_roles(user):
        count = Complaint.objects.filter(
            delegated_to=user,
            status__in=(Complaint.Status.DELEGATED, Complaint.Status.IN_FOLLOW_UP),
        ).count()
        if count:
            tasks.append(
                Task(
                    _("%(n)s complaint(s) delegated to you await an answer.") % {"n": count},
                    reverse("complaints:register"),
                )
            )
    tasks.extend(unit_plan_tasks(user))
    from rkpk.plans.head_approval import approval_tasks

    tasks.extend(Task(text, url) for text, url in approval_tasks(user))
    tasks.extend(binding_tasks(user))
    unit_ids = roles.unit_ids(user)
    if unit_ids:
        for invitation in Invitation.objects.filter(
            unit_id__in=unit_ids,
            answered_at__isnull=True,
            survey__status=Survey.Status.OPEN,
        ).select_related("survey__cycle", "unit"):
            tasks.append(
                Task(
                    _("Satisfaction survey %(cycle)s: %(unit)s has not answered yet.")
                    % {"cycle": invitation.survey.cycle.name, "unit": invitation.unit.name},
                    reverse("survey:answer", args=[invitation.survey_id, invitation.unit.code]),
                )
            )
    return tasks


def unit_plan_tasks(user) -> list[Task]:
    """The RK-PK of the current cycle's year of each unit the user writes (operator, head):
    to start, to complete and submit, to revise after a return, or a clarification to
    answer. A plan with the bureau or accepted is nobody's task here."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from rkpk.organisation import roles
    from rkpk.organisation.models import Role
    from rkpk.plans.models import UnitPlan
    from rkpk.plans.monitoring import units_expected
    from rkpk.procedure.selectors import current_cycle

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


def binding_tasks(user) -> list[Task]:
    """Biro Umum: each dispatched binding request (step 12) whose binding is not confirmed."""
    from django.utils.translation import gettext as _

    from rkpk.correspondence import procedure_documents
    from rkpk.correspondence.dispatch import document_url
    from rkpk.correspondence.models import Document
    from rkpk.organisation import roles
    from rkpk.organisation.models import Role

    if not roles.has_role(user, Role.GENERAL_BUREAU):
        return []
    requests = (
        Document.objects.filter(
            purpose=procedure_documents.BINDING,
            cycle__isnull=False,
            status=Document.Status.DISPATCHED,
        )
        .select_related("cycle")
        .order_by("cycle__year", "version")
    )
    # One request per cycle in practice: one confirmation query each is bounded.
    return [
        Task(
            _("Bind the RK-PK %(year)s as requested (step 12) and confirm the binding.")
            % {"year": document.cycle.year},
            document_url(document),
        )
        for document in requests
        if not procedure_documents.binding_confirmed(document)
    ]
