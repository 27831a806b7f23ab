"""Monitoring (step 3): the bureau's board of every unit's RK-PK, its XLSX export, and one
unit's history. Reads only; the selectors live in rkpk.plans.monitoring."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from rkpk.core.actions import require
from rkpk.core.calendar import today
from rkpk.organisation.models import Unit
from rkpk.plans import monitoring, selectors
from rkpk.plans.forms import BoardFilterForm
from rkpk.procedure.selectors import current_cycle

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONITOR = "plans.monitor"


def _filtered_board(request, year: int) -> tuple[monitoring.Board, BoardFilterForm]:
    form = BoardFilterForm(request.GET or None, year=year)
    if form.is_bound:
        form.is_valid()
    result = monitoring.board(year, user=request.user, **form.filters())
    return result, form


SORT_LABELS = {
    "unit": gettext_lazy("Unit"),
    "eselon1": gettext_lazy("Eselon I"),
    "status": gettext_lazy("Plan status"),
    "version": gettext_lazy("Version"),
    "activity": gettext_lazy("Last activity"),
    "failed": gettext_lazy("Failed checks"),
    "days": gettext_lazy("Working days to the deadline"),
}


def _sort_headers(request, current: str) -> list[dict]:
    """The board's column headers, each a link that sorts by it (again: the other way)."""
    key, descending = monitoring.parse_sort(current)
    headers = []
    for name in monitoring.SORT_KEYS:
        params = request.GET.copy()
        active = name == key
        params["sort"] = f"-{name}" if active and not descending else name
        headers.append(
            {
                "key": name,
                "label": SORT_LABELS[name],
                "query": params.urlencode(),
                "aria": ("descending" if descending else "ascending") if active else "",
                "end": name in ("version", "failed"),
            }
        )
    return headers


@login_required
@permission_required(MONITOR, raise_exception=True)
def monitoring_index(request):
    """The board of the current cycle's year."""
    cycle = current_cycle()
    return redirect("plans:monitoring_board", year=cycle.year if cycle else today().year + 1)


@login_required
@permission_required(MONITOR, raise_exception=True)
def monitoring_board(request, year):
    result, form = _filtered_board(request, year)
    return render(
        request,
        "plans/monitoring_board.html",
        {
            "board": result,
            "form": form,
            "headers": _sort_headers(request, result.sort),
            "export_query": request.GET.urlencode(),
            "filtered": len(result.rows) != len(result.all_rows),
        },
    )


@login_required
@permission_required(MONITOR, raise_exception=True)
def monitoring_export(request, year):
    result, _form = _filtered_board(request, year)
    response = HttpResponse(monitoring.board_workbook(result), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rkpk-monitoring-{year}.xlsx"'
    return response


@login_required
def monitoring_unit(request, year, unit_code):
    unit = get_object_or_404(Unit, code=unit_code)
    target = selectors.plan_of(unit, year) or unit
    if not request.user.has_perm("plans.view_plan", target):
        raise Http404  # do not reveal that the plan exists
    require(request.user, MONITOR, target)
    history = monitoring.unit_history(unit, year, user=request.user)
    return render(request, "plans/monitoring_unit.html", {"history": history})
