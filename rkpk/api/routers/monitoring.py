"""The bureau's monitoring board of the units' plans (step 3), as data."""

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import BaseModel

from rkpk.api.permissions import REFUSALS, require
from rkpk.plans import monitoring

router = Router(tags=["monitoring"])


class BoardRowOut(BaseModel):
    """A plain pydantic model, not a ninja Schema: the rows are dicts, and a Schema wraps
    every one of them in ninja's attribute getter (most of the endpoint's time for 200)."""

    unit: str
    unit_name: str
    eselon1: str | None
    status: str
    version: int | None
    last_activity: datetime | None
    failed_checks: int | None
    working_days_left: int | None
    working_days_late: int


class BoardOut(Schema):
    year: int
    deadline: date | None
    deadline_firm: bool
    counts: dict
    rows: list[BoardRowOut]


def _board(request, year, status, eselon1, late, q, sort):
    require(request, "plans.monitor")
    return monitoring.board(
        year,
        user=request.user,
        status=status,
        eselon1=eselon1,
        late_only=late,
        q=q,
        sort=sort,
    )


@router.get("/monitoring/{int:year}", response={200: BoardOut, **REFUSALS})
def board(
    request,
    year: int,
    status: str = "",
    eselon1: str = "",
    late: bool = False,
    q: str = "",
    sort: str = "",
):
    """One row per unit that must submit: status, version, last activity, failed checks,
    working days left to the deadline or working days late. Same filters as the page.
    Every matching row in one answer (no pages: scripts read the whole board; about
    250 bytes a unit); `counts` are over every unit whatever the filters."""
    result = _board(request, year, status, eselon1, late, q, sort)
    return {
        "year": year,
        "deadline": result.deadline.deadline,
        "deadline_firm": result.deadline.firm,
        "counts": result.counts,
        "rows": [
            {
                "unit": row.code,
                "unit_name": row.name,
                "eselon1": row.parent_code,
                "status": row.status,
                "version": row.version,
                "last_activity": row.last_activity,
                "failed_checks": row.failed_checks,
                "working_days_left": row.days_left,
                "working_days_late": row.days_late,
            }
            for row in result.rows
        ],
    }


@router.get("/monitoring/{int:year}/export.xlsx", response={200: None, **REFUSALS})
def export(
    request,
    year: int,
    status: str = "",
    eselon1: str = "",
    late: bool = False,
    q: str = "",
    sort: str = "",
):
    """The same rows as an XLSX workbook."""
    result = _board(request, year, status, eselon1, late, q, sort)
    response = HttpResponse(
        monitoring.board_workbook(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="monitoring-{year}.xlsx"'
    return response
