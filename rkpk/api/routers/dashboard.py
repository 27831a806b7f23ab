"""The service dashboard as data: one cycle against the standard, the comparison across
years, and the performance report (XLSX, PDF). For the ministry roles (rule "dashboard.view").
Working days follow the calendar's counting rule (DESIGN.md §4); shares are 0..1."""

from datetime import date

from django.http import Http404, HttpResponse
from ninja import Field, Router, Schema

from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.dashboard import report, selectors

router = Router(tags=["dashboard"])
VIEW = "dashboard.view"


class ReturnOut(Schema):
    action: str = Field(..., description="return (sent back from this step) or reopen.")
    on_date: date
    actor: str
    reason: str


class LateUnitOut(Schema):
    unit: str
    unit_name: str
    first_submitted: date | None = Field(..., description="null: never submitted.")
    accepted: date | None
    working_days_late: int
    never_submitted: bool


class DashboardStepOut(Schema):
    number: int
    title: str
    status: str
    standard_working_days: int | None
    working_days_used: int | None
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    timeliness: str = Field(..., description="on_time, at_risk, late, not_due or no_standard.")
    late: bool
    working_days_late: int
    within_standard: bool | None = Field(
        ..., description="For a completed step with a standard duration; otherwise null."
    )
    returns: list[ReturnOut]
    completed_by: str
    late_units: list[str] = Field(
        ..., description="For a late step from step 3 on: the codes of the late units."
    )


class CycleFiguresOut(Schema):
    year: int
    name: str
    status: str
    start_date: date
    end_date: date | None
    finished: bool
    today: date
    working_days_used: int
    standard_working_days: int
    working_days_over: int
    completed_steps: int
    measured_steps: int
    steps_within_standard: int
    share_within_standard: float | None
    late_steps: int
    returns: int
    submission_deadline: date | None
    expected_units: int
    late_units_count: int
    never_submitted_count: int
    median_unit_lateness: float | None
    steps: list[DashboardStepOut]
    late_units: list[LateUnitOut]


class ComparisonOut(Schema):
    year: int
    name: str
    status: str
    finished: bool
    working_days_used: int
    standard_working_days: int
    share_within_standard: float | None
    measured_steps: int
    steps_within_standard: int
    late_steps: int
    late_units_count: int
    median_unit_lateness: float | None


def _cycle(request, year: int):
    require(request, VIEW)
    cycle = selectors.cycle_of_year(year)
    if cycle is None:
        raise Http404
    return cycle


def _late_unit(unit: selectors.LateUnit) -> dict:
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "first_submitted": unit.first_submitted,
        "accepted": unit.accepted,
        "working_days_late": unit.days_late,
        "never_submitted": unit.never,
    }


def _step(row: selectors.StepRow) -> dict:
    step = row.step
    return {
        "number": row.number,
        "title": row.title,
        "status": row.status,
        "standard_working_days": row.days_standard,
        "working_days_used": row.days_used,
        "planned_start": step.planned_start,
        "planned_end": step.planned_end,
        "actual_start": step.actual_start,
        "actual_end": step.actual_end,
        "timeliness": row.timeliness,
        "late": row.is_late,
        "working_days_late": row.days_late,
        "within_standard": row.within_standard,
        "returns": [
            {"action": n.action, "on_date": n.on_date, "actor": n.actor, "reason": n.reason}
            for n in row.returns
        ],
        "completed_by": row.completed_by,
        "late_units": [u.code for u in row.late_units],
    }


@router.get(
    "/dashboard/cycles/{int:year}", response={200: CycleFiguresOut, **NOT_FOUND, **REFUSALS}
)
def cycle_figures(request, year: int):
    """One cycle against the service standard: per step the standard and used working days,
    planned and actual dates, lateness, returns; the late units and the summary figures."""
    r = selectors.cycle_report(_cycle(request, year))
    cycle = r.cycle
    return {
        "year": cycle.year,
        "name": cycle.name,
        "status": cycle.status,
        "start_date": cycle.start_date,
        "end_date": r.end_date,
        "finished": r.finished,
        "today": r.today,
        "working_days_used": r.total_days,
        "standard_working_days": r.standard_total,
        "working_days_over": r.days_over,
        "completed_steps": r.done_count,
        "measured_steps": r.measured_count,
        "steps_within_standard": r.within_count,
        "share_within_standard": r.share_within,
        "late_steps": r.late_steps_count,
        "returns": r.return_count,
        "submission_deadline": r.deadline,
        "expected_units": r.expected_units,
        "late_units_count": r.late_units_count,
        "never_submitted_count": r.never_submitted_count,
        "median_unit_lateness": r.median_unit_lateness,
        "steps": [_step(row) for row in r.steps],
        "late_units": [_late_unit(u) for u in r.late_units],
    }


@router.get("/dashboard/comparison", response={200: list[ComparisonOut], **REFUSALS})
def comparison(request):
    """One row per cycle (plan year), the oldest first."""
    require(request, VIEW)
    return [
        {
            "year": row.year,
            "name": row.name,
            "status": row.status,
            "finished": row.finished,
            "working_days_used": row.total_days,
            "standard_working_days": row.standard_total,
            "share_within_standard": row.share_within,
            "measured_steps": row.measured_count,
            "steps_within_standard": row.within_count,
            "late_steps": row.late_steps_count,
            "late_units_count": row.late_units_count,
            "median_unit_lateness": row.median_unit_lateness,
        }
        for row in selectors.comparison()
    ]


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/dashboard/cycles/{int:year}/report.xlsx", response={200: None, **NOT_FOUND, **REFUSALS}
)
def report_xlsx(request, year: int):
    """The performance report as an XLSX workbook (Ringkasan, Langkah, Unit terlambat,
    Perbandingan antar tahun)."""
    data = selectors.dashboard(_cycle(request, year))
    return _download(report.render_xlsx(data), report.XLSX_TYPE, report.filename(year, "xlsx"))


@router.get(
    "/dashboard/cycles/{int:year}/report.pdf", response={200: None, **NOT_FOUND, **REFUSALS}
)
def report_pdf(request, year: int):
    """The performance report as a PDF (A4, with the charts)."""
    data = selectors.dashboard(_cycle(request, year))
    return _download(report.render_pdf(data), report.PDF_TYPE, report.filename(year, "pdf"))
