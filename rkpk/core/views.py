from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core import selectors, services
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.core.forms import AuditFilterForm, CalendarOverrideForm
from rkpk.core.models import AuditEvent, CalendarOverride


@login_required
@permission_required("core.view_calendar", raise_exception=True)
def calendar_year(request):
    try:
        year = int(request.GET.get("year", today().year))
    except ValueError:
        year = today().year
    year = min(max(year, 2000), 2100)
    cal = WorkingCalendar()
    non_working = cal.non_working_days(year)
    context = {
        "year": year,
        "months": selectors.month_grids(cal, year, today()),
        "non_working": non_working,
        "overrides": [o for o in cal.overrides.values() if o.date.year == year],
        "working_day_count": cal.count_working_days(date(year - 1, 12, 31), date(year, 12, 31)),
        "form": CalendarOverrideForm(),
    }
    return render(request, "core/calendar.html", context)


@login_required
@permission_required("core.manage_calendar", raise_exception=True)
@require_POST
def calendar_override_create(request):
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        try:
            override = services.set_calendar_override(
                actor=request.user,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved: %(override)s") % {"override": override})
            return redirect(f"{reverse('core:calendar')}?year={override.date.year}")
    else:
        problems = "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
        )
        messages.error(
            request, _("The override was not saved. %(problems)s") % {"problems": problems}
        )
    return redirect("core:calendar")


@login_required
@permission_required("core.manage_calendar", raise_exception=True)
@require_POST
def calendar_override_delete(request, pk):
    override = get_object_or_404(CalendarOverride, pk=pk)
    year = override.date.year
    services.remove_calendar_override(actor=request.user, override=override)
    messages.success(request, _("The override was removed."))
    return redirect(f"{reverse('core:calendar')}?year={year}")


@login_required
@permission_required("core.view_audit", raise_exception=True)
def audit_list(request):
    actions, object_types = selectors.audit_filter_choices()
    form = AuditFilterForm(request.GET or None, actions=actions, object_types=object_types)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.paginate(request, selectors.audit_events(**filters), per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@permission_required("core.view_audit", raise_exception=True)
def audit_detail(request, seq):
    event = get_object_or_404(AuditEvent, seq=seq)
    return render(request, "core/audit_detail.html", {"event": event})
