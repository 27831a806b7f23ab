from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import (
    CalendarYearOut,
    OverrideIn,
    OverrideOut,
    WorkdaysAddOut,
    WorkdaysCountOut,
)
from rkpk.core import services
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import CalendarOverride

router = Router(tags=["calendar"])

COUNTING_RULE = (
    "A duration of N working days that starts on day D ends at the end of the N-th working "
    "day after D; D itself is day 0, whether or not it is a working day. "
    "count(start, end) counts the working days after start up to and including end."
)
# The calendar walks day by day; these bounds keep one request from walking for minutes.
MAX_WORKDAYS = 2000
MAX_SPAN_DAYS = 20 * 366
YEARS = {"ge": 2000, "le": 2100}


class AddParams(Schema):
    date: date
    n: int = Field(..., ge=0, le=MAX_WORKDAYS)


class CountParams(Schema):
    start: date
    end: date


@router.get("/calendar/workdays/add", response={200: WorkdaysAddOut, **REFUSALS})
def add_workdays(request, params: Query[AddParams]):
    """The date on which a duration of `n` working days that starts on `date` ends."""
    require(request, "core.view_calendar")
    end = WorkingCalendar().add_working_days(params.date, params.n)
    return {"date": params.date, "n": params.n, "end_date": end, "rule": COUNTING_RULE}


@router.get("/calendar/workdays/count", response={200: WorkdaysCountOut, **REFUSALS})
def count_workdays(request, params: Query[CountParams]):
    """Working days after `start` up to and including `end` (negative if end < start)."""
    require(request, "core.view_calendar")
    if abs((params.end - params.start).days) > MAX_SPAN_DAYS:
        raise ValidationError({"end": _("Count over at most twenty years.")})
    count = WorkingCalendar().count_working_days(params.start, params.end)
    return {"start": params.start, "end": params.end, "working_days": count, "rule": COUNTING_RULE}


@router.get("/calendar/{int:year}", response={200: CalendarYearOut, **REFUSALS})
def calendar_year(request, year: int = Path(..., **YEARS)):
    """Holidays, cuti bersama and overridden days of a year (plain weekends left out)."""
    require(request, "core.view_calendar")
    cal = WorkingCalendar()
    days = []
    for info in cal.non_working_days(year):
        override = cal.overrides.get(info.date)
        days.append(
            {
                "date": info.date,
                "is_working": info.is_working,
                "names": list(info.reasons),
                "holiday_name": cal.holiday_name(info.date),
                "overridden": override is not None,
                "override_kind": override.kind if override else None,
                "override_reason": override.reason if override else None,
            }
        )
    return {"year": year, "days": days}


@router.post("/calendar/overrides", response={201: OverrideOut, **REFUSALS})
def set_override(request, payload: OverrideIn):
    """Close or reopen a day (e.g. after a new joint decree); replaces that day's override."""
    require(request, "core.manage_calendar")
    override = services.set_calendar_override(
        actor=request.user, day=payload.date, kind=payload.kind, reason=payload.reason
    )
    return Status(201, override)


@router.delete("/calendar/overrides/{day}", response={204: None, **NOT_FOUND, **REFUSALS})
def remove_override(request, day: date):
    """Remove a day's override; the day follows the national calendar again."""
    require(request, "core.manage_calendar")
    override = CalendarOverride.objects.filter(date=day).first()
    if override is None:
        raise Http404
    services.remove_calendar_override(actor=request.user, override=override)
    return Status(204, None)
