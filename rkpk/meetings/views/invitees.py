"""The meeting's invitees and their attendance."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import run_action
from rkpk.meetings import services
from rkpk.meetings.forms import InviteForm
from rkpk.meetings.models import Invitee
from rkpk.meetings.views.common import detail_context, detail_url, meeting_for


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitee_add(request, pk: int):
    meeting = meeting_for(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, meeting, invite_form=form)
        return render(request, "meetings/meeting_detail.html", context, status=422)
    run_action(
        request,
        services.invite,
        _("Invited."),
        meeting=meeting,
        units=form.cleaned_data["units"],
        officials=form.cleaned_data["officials"],
        guests=form.guest_names(),
    )
    return redirect(detail_url(meeting, "invitees"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitee_delete(request, pk: int, invitee_id: int):
    meeting = meeting_for(request, pk)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting=meeting)
    run_action(request, services.uninvite, _("Removed from the invitees."), invitee=invitee)
    return redirect(detail_url(meeting, "invitees"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def attendance_save(request, pk: int):
    meeting = meeting_for(request, pk)
    entries = [
        {
            "invitee": invitee_id,
            "attendance": request.POST.get(f"attendance-{invitee_id}", ""),
            "represented_by": request.POST.get(f"represented-{invitee_id}", ""),
        }
        for invitee_id in request.POST.getlist("invitee")
    ]
    run_action(
        request,
        services.record_attendance,
        _("Attendance saved."),
        meeting=meeting,
        entries=entries,
    )
    return redirect(detail_url(meeting, "invitees"))
