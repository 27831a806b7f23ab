"""The unit head's approval on the plan page: approve (the plan goes to the bureau) or return
it to the operator with a note. Thin: the rules and the transitions are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors
from rkpk.plans import head_approval, services_approval
from rkpk.plans.forms import ReturnToOperatorForm
from rkpk.plans.models import UnitPlan
from rkpk.plans.views.common import get_plan, plan_url


def approval_context(request, plan: UnitPlan) -> dict:
    """What the plan page shows of the head's approval (the part `_head_approval.html`)."""
    awaiting = plan.status == UnitPlan.Status.AWAITING_HEAD
    may_approve = awaiting and request.user.has_perm("plans.approve_plan", plan)
    head = head_approval.recorded_head(plan.unit) if awaiting else None
    return {
        "awaiting_head": awaiting,
        "may_approve": may_approve,
        "unit_head": head,
        "return_form": ReturnToOperatorForm(auto_id="head_%s") if may_approve else None,
        "show_head_note": bool(plan.head_note) and plan.is_editable,
    }


@login_required
@require_POST
def plan_approve(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    try:
        submission = services_approval.approve(actor=request.user, plan=plan)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("You approved the plan: version %(n)s was submitted to the bureau.")
            % {"n": submission.number},
        )
    return redirect(plan_url(plan))


@login_required
@require_POST
def plan_return_to_operator(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    form = ReturnToOperatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the operator should change."))
        return redirect(plan_url(plan, "head-approval"))
    try:
        services_approval.return_to_operator(
            actor=request.user, plan=plan, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The plan went back to the operator with your note."))
    return redirect(plan_url(plan))
