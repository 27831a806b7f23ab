"""Monitoring (step 3): the bureau's board of every unit's RK-PK, its XLSX export, and one
unit's history. Reads only; the selectors live in rkpk.plans.monitoring."""

from html import escape
from urllib.parse import quote

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from rkpk.core.actions import require
from rkpk.core.calendar import today
from rkpk.organisation.models import Unit
from rkpk.plans import monitoring, selectors
from rkpk.plans.forms import BoardFilterForm
from rkpk.procedure.selectors import current_cycle

PAGE_SIZE = 50
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


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params


def _sort_headers(request, current: str) -> list[dict]:
    """The board's column headers, each a link that sorts by it (again: the other way),
    back on the first page."""
    key, descending = monitoring.parse_sort(current)
    headers = []
    for name in monitoring.SORT_KEYS:
        params = _query_without_page(request)
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


def _selects(form: BoardFilterForm) -> list[dict]:
    """The filter's drop-downs as plain data: the template writes the options out."""
    selects = []
    for name in ("status", "eselon1"):
        bound = form[name]
        current = str(bound.value() or "")
        selects.append(
            {
                "name": name,
                "label": bound.label,
                "errors": bound.errors,
                "options": _options(bound.field.choices, current),
            }
        )
    return selects


def _days_cell(row: monitoring.BoardRow) -> str:
    if row.is_done:
        if row.submitted_late_days:
            n = row.submitted_late_days
            text = ngettext(
                "submitted %(n)s working day late", "submitted %(n)s working days late", n
            )
            return f'<span class="text-danger">{escape(text % {"n": n})}</span>'
        return f'<span class="text-success">{escape(gettext("submitted"))}</span>'
    if row.is_late:
        n = row.days_late
        text = ngettext("%(n)s working day late", "%(n)s working days late", n) % {"n": n}
        return f'<span class="badge badge-late days-late">{escape(text)}</span>'
    if row.days_left is not None:
        n = row.days_left
        text = ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}
        urgent = " text-warning-emphasis fw-semibold" if n <= 2 else ""
        return f'<span class="days-left{urgent}">{escape(text)}</span>'
    return "—"


def _failed_cell(row: monitoring.BoardRow) -> str:
    if row.failed_checks is None:
        return "—"
    if row.failed_checks and not row.is_accepted:
        # An accepted plan's failed checks are history, not an alarm.
        return f'<span class="badge text-bg-danger">{row.failed_checks}</span>'
    return str(row.failed_checks)


def _rows_html(rows, year: int, may_review: bool) -> str:
    """The table's rows, written here rather than in a template: with the template engine
    they cost about a millisecond each (lookups, filters, blocktranslate per cell), most of
    the page's work. Every text from the data goes through `escape` (html.escape, as
    Django's own escape does); the rest is fixed markup and numbers."""
    mark = "UNIT.CODE"
    unit_url = reverse("plans:monitoring_unit", args=[year, mark])
    review_url = reverse("plans:review_plan", args=[mark, year])
    review = escape(gettext("Review"))
    # Django's date format "j M Y H:i", with the month's short name looked up once.
    months = {}
    lines = []
    for row in rows:
        code, name = escape(row.code), escape(row.name)
        path_code = escape(quote(row.code, safe=""))
        status = f'<span class="badge {row.badge}">{escape(row.status_label)}</span>'
        if may_review and row.is_awaiting:
            status += (
                f' <a class="btn btn-sm btn-primary py-0 review-action"'
                f' href="{review_url.replace(mark, path_code)}">{review}'
                f'<span class="visually-hidden"> {name}</span></a>'
            )
        activity = "—"
        if row.last_activity:
            moment = timezone.localtime(row.last_activity)
            if moment.month not in months:
                months[moment.month] = escape(str(MONTHS_3[moment.month]).title())
            activity = f"{moment.day} {months[moment.month]} {moment.year} {moment:%H:%M}"
        late = ' class="table-danger"' if row.is_late else ""
        version = "—" if row.version is None else row.version
        lines.append(
            f'<tr data-unit="{code}"{late}><th scope="row" class="fw-normal">'
            f'<a href="{unit_url.replace(mark, path_code)}">{name}</a> <small>{code}</small></th>'
            f"<td>{escape(row.parent_label) or '—'}</td><td>{status}</td>"
            f'<td class="text-end">{version}</td><td>{activity}</td>'
            f'<td class="text-end">{_failed_cell(row)}</td><td>{_days_cell(row)}</td></tr>'
        )
    return mark_safe("\n".join(lines))


def _options(choices, current: str) -> str:
    """A select's options (Django's widgets render a template per option)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


@login_required
@permission_required(MONITOR, raise_exception=True)
def monitoring_board(request, year):
    """The board: the figures over every unit, the rows filtered, sorted and a page of them
    at a time (the export holds every filtered row)."""
    result, form = _filtered_board(request, year)
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = _query_without_page(request)
    return render(
        request,
        "plans/monitoring_board.html",
        {
            "board": result,
            "form": form,
            "selects": _selects(form),
            "page": page,
            "rows_html": _rows_html(
                page.object_list, year, request.user.has_perm("plans.review_plan")
            ),
            "query": export_query.urlencode(),
            "headers": _sort_headers(request, result.sort),
            "export_query": export_query.urlencode(),
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
