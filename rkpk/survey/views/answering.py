"""A unit's answer to the survey: the questionnaire form and the thank-you page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import flash_errors, form_errors
from rkpk.core.calendar import today
from rkpk.organisation.models import Unit
from rkpk.survey import selectors, services
from rkpk.survey.forms import AnswerForm


def _own_unit(request, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not request.user.has_perm(services.ANSWER_FOR_UNIT, unit):
        raise PermissionDenied(_("Only the unit's head or operators answer for their unit."))
    return unit


@login_required
@permission_required(services.ANSWER, raise_exception=True)
def survey_answer(request, pk: int, unit: str):
    survey = selectors.visible_survey(request.user, pk)
    unit_obj = _own_unit(request, unit)
    invited = selectors.unit_invitations(request.user, survey)
    invitation = next((i for i in invited if i.unit_id == unit_obj.pk), None)
    if invitation is None:
        raise PermissionDenied(_("This unit is not invited to the survey."))
    if invitation.response is not None:
        messages.error(
            request,
            _("%(unit)s has already answered this survey; a unit answers once.")
            % {"unit": unit_obj.name},
        )
        return redirect("survey:detail", pk=survey.pk)
    if not survey.accepts_answers(today()):
        messages.error(request, _("The survey is closed; answers are no longer accepted."))
        return redirect("survey:detail", pk=survey.pk)
    element_list = selectors.elements(survey.questionnaire)
    form = AnswerForm(request.POST or None, elements=element_list)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer(
                    actor=request.user,
                    survey=survey,
                    unit=unit_obj,
                    scores=form.scores(),
                    suggestion=form.cleaned_data.get("suggestion", ""),
                    profile=form.profile(),
                )
            except services.AlreadyAnswered as error:
                flash_errors(request, error)
                return redirect("survey:detail", pk=survey.pk)
            except ValidationError as error:
                form_errors(form, error)
            else:
                return redirect("survey:thanks", pk=survey.pk, unit=unit_obj.code)
        status = 422
    return render(
        request,
        "survey/answer_form.html",
        {"survey": survey, "unit": unit_obj, "form": form, "questionnaire": survey.questionnaire},
        status=status,
    )


@login_required
@permission_required(services.ANSWER, raise_exception=True)
def survey_thanks(request, pk: int, unit: str):
    survey = selectors.visible_survey(request.user, pk)
    unit_obj = _own_unit(request, unit)
    return render(request, "survey/thanks.html", {"survey": survey, "unit": unit_obj})
