"""Pages of step 4: the compiled versions of a year, one version, its coverage, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import coverage as cov
from rkpk.analysis import selectors, services
from rkpk.analysis.models import Compilation
from rkpk.core.cache import cached
from rkpk.procedure.selectors import current_cycle

VIEW, COMPILE = "analysis.view_compilation", "analysis.compile"
# Rows of one unit-indicator list on a version's page: a few thousand rows in all for a
# few hundred units, so one list at a time, a page at a time.
LIST_PAGE = 100
# The coverage page's long lists (one shown at a time): Coverage's attributes.
COVERAGE_LISTS = ("lower_than_last_year", "unmapped")


def _body(parts: tuple, template: str, context: dict) -> str:
    """A page's content drawn from a compiled version only (nothing of the reader's: no
    form token, no permission), rendered once per version, list, page and language."""
    return cached(
        ("analysis.page_body", template, *parts, get_language()),
        lambda: render_to_string(template, context),
    )


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
    versions = list(selectors.compilation_versions(year))
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
    version = selectors.compilation_header(year, number)
    if version is None:
        raise Http404
    shown = request.GET.get("list", "")
    if not (shown.isdigit() and len(shown) < 12):
        shown = selectors.UNMAPPED
    data = selectors.compilation_part(version, shown)
    rows = Paginator(data["rows"] or [], LIST_PAGE).get_page(request.GET.get("page"))
    context = {
        "version": version,
        "data": data,
        "formats": documents.FORMATS,
        "shown": shown,
        "page": rows,
        "query": f"list={shown}",
    }
    body = _body(
        (version.pk, shown, rows.number), "analysis/_compilation_detail_body.html", context
    )
    return render(request, "analysis/compilation_detail.html", {**context, "body": body})


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
    if number and number.isdigit():
        version = selectors.compilation_header(year, int(number))
        if version is None:
            raise Http404
    else:
        version = selectors.compilations(year).defer("data").first()
    shown = request.GET.get("list")
    shown = shown if shown in COVERAGE_LISTS else COVERAGE_LISTS[0]
    result = (
        selectors.compilation_coverage(version, weak=weak_threshold(request), shown=shown)
        if version
        else None
    )
    rows = Paginator(getattr(result, shown, None) or [], LIST_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"year": year, "version": version, "coverage": result, "shown": shown, "page": rows}
    if result:
        context["query"] = f"version={result.number}&weak={result.weak}&list={shown}"
    body = _body(
        (year, version.pk if version else None, result.weak if result else None, shown,
         rows.number),
        "analysis/_coverage_body.html",
        context,
    )  # fmt: skip
    return render(request, "analysis/coverage_page.html", {**context, "body": body})
