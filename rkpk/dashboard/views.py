"""The service dashboard: each cycle against the service standard, the comparison across
years, and the performance report (XLSX, PDF). Reads only; the figures come from
rkpk.dashboard.selectors, the documents from rkpk.dashboard.report."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from rkpk.core.cache import cached
from rkpk.dashboard import charts, report, selectors

VIEW = "dashboard.view"
LATE_UNITS_PAGE = 50


def _cycle_or_404(year: int):
    cycle = selectors.cycle_of_year(year)
    if cycle is None:
        raise Http404
    return cycle


def _render(request, year: int | None):
    """The dashboard of the cycle of `year` (None: the latest cycle), 404 without one."""
    q = (request.GET.get("q") or "").strip()[:100]
    page_number = request.GET.get("page") or "1"
    params = request.GET.copy()
    params.pop("page", None)
    on = selectors.calendar_today()  # the day the figures are computed for

    def body(cycle) -> str:
        data = selectors.shared_dashboard(cycle, on=on)
        late = data.report.late_units if data.report else []
        if q:
            needle = q.casefold()
            late = [u for u in late if needle in u.name.casefold() or needle in u.code.casefold()]
        context = {
            "data": data,
            "report": data.report,
            "charts": charts.charts(data.report, data.comparison),
            "late_page": Paginator(late, LATE_UNITS_PAGE).get_page(page_number),
            "q": q,
            "page_query": params.urlencode(),
            # Offered only on the empty dashboard, which is not kept.
            "can_start_cycle": cycle is None and request.user.has_perm("procedure.start_cycle"),
        }
        return render_to_string("dashboard/_dashboard_body.html", context)

    def page() -> tuple[str, str] | None:
        """(the cycle's name, the page's own part); None (not kept) without a cycle."""
        cycle = selectors.latest_cycle() if year is None else _cycle_or_404(year)
        return (str(cycle), body(cycle)) if cycle is not None else None

    # The page is the same for every viewer: kept for the plain pages of a cycle, so a kept
    # page reads nothing (not even its cycle). A search is computed each time, so searches
    # do not fill the cache.
    plain = set(request.GET) <= {"page"} and page_number.isdigit() and len(page_number) < 5
    key = ("dashboard-page", year, on, get_language(), page_number)
    kept = cached(key, page) if plain else page()
    name, html = kept if kept is not None else ("", body(None))
    return render(request, "dashboard/dashboard.html", {"cycle_name": name, "body": html})


@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    """The latest cycle (or the year picked) with the comparison across years."""
    year = request.GET.get("year", "")
    if year.isdigit() and selectors.cycle_of_year(int(year)) is not None:
        return redirect("dashboard:cycle", year=int(year))
    return _render(request, None)


@login_required
@permission_required(VIEW, raise_exception=True)
def cycle_detail(request, year):
    return _render(request, year)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def report_xlsx(request, year):
    data = selectors.shared_dashboard(_cycle_or_404(year))
    return _download(report.render_xlsx(data), report.XLSX_TYPE, report.filename(year, "xlsx"))


@login_required
@permission_required(VIEW, raise_exception=True)
def report_pdf(request, year):
    data = selectors.shared_dashboard(_cycle_or_404(year))
    return _download(report.render_pdf(data), report.PDF_TYPE, report.filename(year, "pdf"))
