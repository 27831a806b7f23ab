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
    """One thing waiting for a person, as their home page lists it."""

    text: str
    url: str
