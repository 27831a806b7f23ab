"""The meeting's decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors, run_action
from rkpk.meetings import services
from rkpk.meetings.forms import DecisionForm
from rkpk.meetings.models import Decision, Meeting
from rkpk.meetings.views.common import detail_context, detail_url, meeting_for, show_errors


def _decision(meeting: Meeting, decision_id: int) -> Decision:
    return get_object_or_404(Decision, pk=decision_id, meeting=meeting)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def decision_add(request, pk: int):
    meeting = meeting_for(request, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_decision(actor=request.user, meeting=meeting, **form.service_values())
        except ValidationError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(detail_url(meeting, "decisions"))
    context = detail_context(request, meeting, decision_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=422)


@login_required
@permission_required(services.EDIT, raise_exception=True)
def decision_edit(request, pk: int, decision_id: int):
    meeting = meeting_for(request, pk)
    decision = _decision(meeting, decision_id)
    form = DecisionForm(request.POST or None, meeting=meeting, decision=decision)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(
                actor=request.user,
                decision=decision,
                revision=form.cleaned_data.get("revision"),
                **form.service_values(),
            )
        except services.ConflictError as error:
            flash_errors(request, error)
            status = 409
        except ValidationError as error:
            show_errors(request, form, error)
            status = 422
        else:
            messages.success(request, _("Decision saved."))
            return redirect(detail_url(meeting, "decisions"))
    return render(
        request,
        "meetings/decision_form.html",
        {"form": form, "meeting": meeting, "decision": decision},
        status=status,
    )


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def decision_delete(request, pk: int, decision_id: int):
    meeting = meeting_for(request, pk)
    decision = _decision(meeting, decision_id)
    run_action(request, services.delete_decision, _("Decision deleted."), decision=decision)
    return redirect(detail_url(meeting, "decisions"))
