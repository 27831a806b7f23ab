"""The meetings of a cycle: the list, scheduling, editing, the meeting page, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors, run_action
from rkpk.meetings import selectors, services
from rkpk.meetings.forms import MeetingForm
from rkpk.meetings.views.common import detail_context, meeting_for, show_errors
from rkpk.procedure.models import Cycle

VIEW = "meetings.view_meetings"
PAGE_SIZE = 20


@login_required
@permission_required(VIEW, raise_exception=True)
def meeting_list(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    page = Paginator(selectors.meeting_list(request.user, year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "meetings": page.object_list,
            "year": year,
            "years": selectors.years_with_meetings(request.user),
            "query": urlencode({"year": year}) if year else "",
            "can_edit": request.user.has_perm(services.EDIT),
        },
    )


@login_required
@permission_required(services.EDIT, raise_exception=True)
def meeting_create(request):
    initial = {}
    if request.GET.get("cycle"):
        cycle = Cycle.objects.filter(year=request.GET["cycle"]).first()
        if cycle:
            initial["cycle"] = cycle.pk
    form = MeetingForm(request.POST or None, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule(
                actor=request.user, cycle=form.cleaned_data["cycle"], **form.service_values()
            )
        except ValidationError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@permission_required(services.EDIT, raise_exception=True)
def meeting_edit(request, pk: int):
    meeting = meeting_for(request, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update(
                actor=request.user,
                meeting=meeting,
                revision=form.cleaned_data.get("revision"),
                **form.service_values(),
            )
        except services.ConflictError as error:
            flash_errors(request, error)
            status = 409
        except ValidationError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_for(request, pk)
    return render(request, "meetings/meeting_detail.html", detail_context(request, meeting))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def meeting_cancel(request, pk: int):
    meeting = meeting_for(request, pk)
    run_action(
        request,
        services.cancel,
        _("The meeting is cancelled."),
        meeting=meeting,
        reason=request.POST.get("reason", ""),
    )
    return redirect("meetings:detail", pk=meeting.pk)
