"""Pages of step 4: the compiled versions of a year, one version, its coverage, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import coverage as cov
from rkpk.analysis import selectors, services
from rkpk.analysis.models import Compilation
from rkpk.procedure.selectors import current_cycle

VIEW, COMPILE = "analysis.view_compilation", "analysis.compile"


def _version(year: int, number: int) -> Compilation:
    return get_object_or_404(Compilation, year=year, number=number)


@login_required
@permission_required(VIEW, raise_exception=True)
def compilation_index(request):
    # The year of the running cycle, else the latest compiled one, else next year's plans.
    cycle = current_cycle()
    years = selectors.years_compiled()
    year = cycle.year if cycle else (years[0] if years else timezone.localdate().year + 1)
    return redirect("analysis:compilation_list", year)


@login_required
@require_http_methods(["GET", "HEAD"])
@permission_required(VIEW, raise_exception=True)
def compilation_list(request, year):
    versions = list(selectors.compilations(year).select_related("created_by"))
    return render(
        request,
        "analysis/compilation_list.html",
        {
            "year": year,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "can_compile": request.user.has_perm(COMPILE),
            "years": sorted(set(selectors.years_compiled()) | {year}, reverse=True),
        },
    )


@login_required
@require_POST
@permission_required(COMPILE, raise_exception=True)
def compilation_compile(request, year):
    try:
        version = services.compile_year(actor=request.user, year=year)
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
@permission_required(VIEW, raise_exception=True)
def compilation_detail(request, year, number):
    version = _version(year, number)
    return render(
        request,
        "analysis/compilation_detail.html",
        {"version": version, "data": version.data, "formats": documents.FORMATS},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def compilation_download(request, year, number, doc, fmt):
    return documents.download(_version(year, number), doc=doc, fmt=fmt)


def weak_threshold(request) -> int:
    try:
        return max(1, min(100, int(request.GET.get("weak", cov.WEAK_DEFAULT))))
    except ValueError:
        return cov.WEAK_DEFAULT


@login_required
@permission_required(VIEW, raise_exception=True)
def compilation_coverage(request, year):
    number = request.GET.get("version")
    version = (
        _version(year, int(number))
        if number and number.isdigit()
        else selectors.latest_compilation(year)
    )
    result = cov.coverage(version, weak=weak_threshold(request)) if version else None
    return render(
        request,
        "analysis/coverage_page.html",
        {"year": year, "version": version, "coverage": result,
         "can_compile": request.user.has_perm(COMPILE)},
    )  # fmt: skip
