"""A complaint's page: its timeline, the actions the user may take on it (POST, each from its
form) and its attachments. A user who may not see the complaint gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.complaints import selectors, services
from rkpk.complaints.forms import (
    AnswerForm,
    CloseForm,
    DelegateForm,
    FollowUpForm,
    RateForm,
    WithdrawForm,
)
from rkpk.complaints.models import Complaint, ComplaintAttachment
from rkpk.complaints.views.common import get_complaint
from rkpk.core.actions import flash_errors, form_errors
from rkpk.core.calendar import today
from rkpk.core.downloads import stored_file_response


def _detail(request, complaint: Complaint, forms: dict | None = None, status: int = 200):
    user = request.user
    actions = selectors.allowed_actions(user, complaint)
    internal = user.has_perm("complaints.view_register")
    forms = forms or {}
    context = {
        "complaint": complaint,
        "actions": actions,
        "internal": internal,
        "overdue": complaint.is_overdue(today()),
        "delegation_overdue": complaint.delegation_overdue(today()),
        "answer_overdue": complaint.answer_overdue(today()),
        "timeline": selectors.timeline(complaint, internal=internal),
        "attachments": list(complaint.attachments.all()),
        "delegate_form": forms.get("delegate") or (DelegateForm() if actions["delegate"] else None),
        "follow_up_form": forms.get("follow_up") or FollowUpForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "close_form": forms.get("close") or CloseForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "rate_form": forms.get("rate") or RateForm(),
    }
    if complaint.cycle_id and complaint.step_number:
        step = (
            complaint.cycle.steps.filter(number=complaint.step_number)
            .select_related("standard_step")
            .first()
        )
        context["step"] = step
    return render(request, "complaints/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, get_complaint(request.user, pk))


def _form_action(request, pk: int, key: str, form_class, perform, success: str):
    """Run an action from its form; on a refusal show the page again with the errors."""
    complaint = get_complaint(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            perform(complaint, form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form_errors(form, error)
            else:
                # A refusal of the state (e.g. closing before the answer): shown at the top,
                # since the action's form may not be on the page.
                flash_errors(request, error)
        else:
            messages.success(request, success)
            return redirect("complaints:detail", pk=complaint.pk)
    return _detail(request, complaint, {key: form}, status=400)


@login_required
@require_POST
def delegate(request, pk: int):
    return _form_action(
        request,
        pk,
        "delegate",
        DelegateForm,
        lambda c, d: services.delegate(actor=request.user, complaint=c, to=d["to"], note=d["note"]),
        _("The complaint was delegated."),
    )


@login_required
@require_POST
def follow_up(request, pk: int):
    return _form_action(
        request,
        pk,
        "follow_up",
        FollowUpForm,
        lambda c, d: services.add_follow_up(actor=request.user, complaint=c, action=d["action"]),
        _("The follow-up action was recorded."),
    )


@login_required
@require_POST
def answer(request, pk: int):
    return _form_action(
        request,
        pk,
        "answer",
        AnswerForm,
        lambda c, d: services.answer(actor=request.user, complaint=c, text=d["text"]),
        _("The answer was sent to the complainant."),
    )


@login_required
@require_POST
def close(request, pk: int):
    return _form_action(
        request,
        pk,
        "close",
        CloseForm,
        lambda c, d: services.close(actor=request.user, complaint=c, note=d["note"]),
        _("The complaint was closed."),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    return _form_action(
        request,
        pk,
        "withdraw",
        WithdrawForm,
        lambda c, d: services.withdraw(actor=request.user, complaint=c, reason=d["reason"]),
        _("Your complaint was withdrawn."),
    )


@login_required
@require_POST
def rate(request, pk: int):
    return _form_action(
        request,
        pk,
        "rate",
        RateForm,
        lambda c, d: services.rate(
            actor=request.user, complaint=c, satisfaction=d["satisfaction"], note=d["note"]
        ),
        _("Thank you for your rating."),
    )


def attachment_response(attachment: ComplaintAttachment) -> FileResponse:
    return stored_file_response(
        attachment.file,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
    )


def attachment_download(request, pk: int, attachment_pk: int):
    complaint = get_complaint(request.user, pk)
    attachment = complaint.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
