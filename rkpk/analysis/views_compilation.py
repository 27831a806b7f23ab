"""Pages of step 4: the compiled versions of a year, one version, its coverage, downloads.

The lead includes these with `path("", include("rkpk.analysis.views_compilation"))` — or
`urlpatterns += views_compilation.urlpatterns` — in rkpk/analysis/urls.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.analysis import compilation as comp
from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import coverage as cov
from rkpk.analysis.models import Compilation
from rkpk.procedure.selectors import current_cycle

VIEW, COMPILE = "analysis.view_compilation", "analysis.compile"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _version(year: int, number: int) -> Compilation:
    return get_object_or_404(Compilation, year=year, number=number)


@login_required
def compilation_index(request):
    _require(request.user, VIEW)
    # The year of the running cycle, else the latest compiled one, else next year's plans.
    cycle = current_cycle()
    years = comp.years_compiled()
    year = cycle.year if cycle else (years[0] if years else timezone.localdate().year + 1)
    return redirect("analysis:compilation_list", year)


@login_required
@require_http_methods(["GET", "HEAD"])
def compilation_list(request, year):
    _require(request.user, VIEW)
    versions = list(comp.versions(year).select_related("created_by"))
    return render(
        request,
        "analysis/compilation_list.html",
        {
            "year": year,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "can_compile": request.user.has_perm(COMPILE),
            "years": sorted(set(comp.years_compiled()) | {year}, reverse=True),
        },
    )


@login_required
@require_POST
def compilation_compile(request, year):
    _require(request.user, COMPILE)
    try:
        version = comp.compile_year(actor=request.user, year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("analysis:compilation_list", year)
    if version.missing_units:
        messages.warning(request, version.warnings[0])
    messages.success(
        request, _("Version %(n)s of the RK-PK %(year)s compiled.") % {"n": version.number,
                                                                       "year": year}
    )  # fmt: skip
    return redirect("analysis:compilation_detail", year, version.number)


@login_required
def compilation_detail(request, year, number):
    _require(request.user, VIEW)
    version = _version(year, number)
    return render(
        request,
        "analysis/compilation_detail.html",
        {"version": version, "data": version.data, "formats": documents.FORMATS},
    )


@login_required
def compilation_download(request, year, number, doc, fmt):
    _require(request.user, VIEW)
    if doc not in documents.DOCS or fmt not in documents.FORMATS:
        raise Http404
    version = _version(year, number)
    response = HttpResponse(
        documents.render(version, doc=doc, fmt=fmt), content_type=documents.CONTENT_TYPES[fmt]
    )
    name = documents.filename(version, doc=doc, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def weak_threshold(request) -> int:
    try:
        return max(1, min(100, int(request.GET.get("weak", cov.WEAK_DEFAULT))))
    except ValueError:
        return cov.WEAK_DEFAULT


@login_required
def compilation_coverage(request, year):
    _require(request.user, VIEW)
    number = request.GET.get("version")
    version = _version(year, int(number)) if number and number.isdigit() else comp.latest(year)
    result = cov.coverage(version, weak=weak_threshold(request)) if version else None
    return render(
        request,
        "analysis/coverage_page.html",
        {"year": year, "version": version, "coverage": result,
         "can_compile": request.user.has_perm(COMPILE)},
    )  # fmt: skip


urlpatterns = [
    path("compilations/", compilation_index, name="compilation_index"),
    path("compilations/<int:year>/", compilation_list, name="compilation_list"),
    path("compilations/<int:year>/compile/", compilation_compile, name="compilation_compile"),
    path("compilations/<int:year>/coverage/", compilation_coverage, name="compilation_coverage"),
    path("compilations/<int:year>/v<int:number>/", compilation_detail, name="compilation_detail"),
    path(
        "compilations/<int:year>/v<int:number>/<str:doc>.<str:fmt>",
        compilation_download,
        name="compilation_download",
    ),
]
