"""The register of every complaint (search, filters, pages, XLSX) and the statistics, for
those who read the register; 403 to the others."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS_3

from rkpk.complaints import export, selectors, services
from rkpk.complaints.forms import RegisterFilterForm
from rkpk.complaints.views.common import query_without_page
from rkpk.core.calendar import today
from rkpk.core.selectors import paginate


def _filtered(request):
    form = RegisterFilterForm(request.GET or None)
    complaints = selectors.search(
        selectors.complaints_for(request.user), **form.filters(), on=today()
    )
    return form, complaints


@login_required
@permission_required("complaints.view_register", raise_exception=True)
def register(request):
    form, complaints = _filtered(request)
    page = paginate(request, complaints)
    on = today()
    for complaint in page.object_list:
        complaint.overdue = complaint.is_overdue(on)
    return render(
        request,
        "complaints/register.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filtered": bool(form.is_bound and form.filters()),
            "today": on,
        },
    )


@login_required
@permission_required("complaints.view_register", raise_exception=True)
def register_xlsx(request):
    _form, complaints = _filtered(request)
    response = HttpResponse(
        export.register_workbook(complaints, today()), content_type=export.XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="pengaduan-{today():%Y%m%d}.xlsx"'
    return response


def month_names() -> list[str]:
    return [str(MONTHS_3[m]).capitalize() for m in range(1, 13)]


@login_required
@permission_required("complaints.view_statistics", raise_exception=True)
def statistics(request):
    years = selectors.years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else today().year)
    stats = selectors.statistics(year=year)
    return render(
        request,
        "complaints/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "chart": selectors.month_chart(stats, month_names()),
            "delegate_days": services.delegate_days(),
            "answer_days": services.answer_days(),
        },
    )
