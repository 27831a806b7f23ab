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
    """Concrete things waiting for the user beyond the cycle's steps: a ministry RK-PK
    version to review or sign, complaints to delegate or answer, satisfaction surveys of
    their units to fill in. At most one query per kind, only for the roles concerned."""
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
