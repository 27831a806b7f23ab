"""The service dashboard: each cycle against the service standard, the comparison across
years, and the performance report (XLSX, PDF). Reads only; the figures come from
rkpk.dashboard.selectors, the documents from rkpk.dashboard.report."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from rkpk.dashboard import charts, report, selectors

VIEW = "dashboard.view"
LATE_UNITS_PAGE = 50


def _cycle_or_404(year: int):
    cycle = selectors.cycle_of_year(year)
    if cycle is None:
        raise Http404
    return cycle


def _render(request, cycle):
    data = selectors.dashboard(cycle)
    q = (request.GET.get("q") or "").strip()[:100]
    late = data.report.late_units if data.report else []
    if q:
        needle = q.casefold()
        late = [u for u in late if needle in u.name.casefold() or needle in u.code.casefold()]
    page = Paginator(late, LATE_UNITS_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "data": data,
            "report": data.report,
            "charts": charts.charts(data.report, data.comparison),
            "late_page": page,
            "q": q,
            "page_query": params.urlencode(),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    """The latest cycle (or the year picked) with the comparison across years."""
    year = request.GET.get("year", "")
    if year.isdigit() and selectors.cycle_of_year(int(year)) is not None:
        return redirect("dashboard:cycle", year=int(year))
    return _render(request, selectors.latest_cycle())


@login_required
@permission_required(VIEW, raise_exception=True)
def cycle_detail(request, year):
    return _render(request, _cycle_or_404(year))


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def report_xlsx(request, year):
    data = selectors.dashboard(_cycle_or_404(year))
    return _download(report.render_xlsx(data), report.XLSX_TYPE, report.filename(year, "xlsx"))


@login_required
@permission_required(VIEW, raise_exception=True)
def report_pdf(request, year):
    data = selectors.dashboard(_cycle_or_404(year))
    return _download(report.render_pdf(data), report.PDF_TYPE, report.filename(year, "pdf"))
