"""Pages of the satisfaction survey: the list ("Survei Kepuasan": a unit's open surveys and
answers; the bureau's surveys per cycle and the button to open one), the questionnaire form
and thank-you page, the results (index, grade, element table and chart, response rate,
units not answered, suggestions, XLSX export, closing) and the questionnaire's editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors, form_errors
from rkpk.core.calendar import today
from rkpk.organisation.models import Unit
from rkpk.procedure.models import Cycle
from rkpk.survey import exports, selectors, services
from rkpk.survey.forms import AnswerForm, OpenSurveyForm, QuestionnaireForm
from rkpk.survey.models import Survey

VIEW = "survey.view_surveys"
PAGE_SIZE = 20


def _own_unit(request, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not request.user.has_perm(services.ANSWER_FOR_UNIT, unit):
        raise PermissionDenied(_("Only the unit's head or operators answer for their unit."))
    return unit


# --- The list ------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def survey_list(request):
    user = request.user
    day = today()
    invitations = selectors.unit_invitations(user)
    for invitation in invitations:
        invitation.can_answer = invitation.response is None and invitation.survey.accepts_answers(
            day
        )
    context = {
        "invitations": invitations,
        "is_reader": user.has_perm(selectors.VIEW_RESULTS),
        "can_manage": user.has_perm(services.MANAGE),
        "can_edit_questionnaire": user.has_perm(services.EDIT_QUESTIONNAIRE),
        "page": None,
        "surveys": [],
    }
    if context["is_reader"]:
        page = Paginator(selectors.survey_list(user), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({"page": page, "surveys": page.object_list})
    if context["can_manage"]:
        cycles = selectors.cycles_to_open()
        context["open_form"] = OpenSurveyForm(cycles=cycles) if cycles else None
    return render(request, "survey/survey_list.html", context)


@login_required
@permission_required(services.MANAGE, raise_exception=True)
@require_POST
def survey_open(request):
    form = OpenSurveyForm(request.POST, cycles=selectors.cycles_to_open())
    if not form.is_valid():
        messages.error(request, _("Choose a cycle whose RK-PK has been distributed (step 13)."))
        return redirect("survey:list")
    cycle = get_object_or_404(Cycle, pk=form.cleaned_data["cycle"])
    try:
        survey = services.open_for_cycle(actor=request.user, cycle=cycle)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect("survey:list")
    messages.success(
        request,
        _("The satisfaction survey of %(cycle)s is open; every unit has been invited.")
        % {"cycle": cycle.name},
    )
    return redirect("survey:detail", pk=survey.pk)


# --- A survey ------------------------------------------------------------------------------


def _unit_rows(request, survey: Survey, element_list) -> list[dict]:
    """The user's units invited to the survey: answered (with the answer) or not."""
    day = today()
    rows = []
    for invitation in selectors.unit_invitations(request.user, survey):
        response = selectors.unit_response(survey, invitation.unit) if invitation.response else None
        rows.append(
            {
                "unit": invitation.unit,
                "response": response,
                "answers": selectors.answer_rows(response, element_list) if response else [],
                "can_answer": response is None and survey.accepts_answers(day),
            }
        )
    return rows


@login_required
def survey_detail(request, pk: int):
    user = request.user
    survey = selectors.visible_survey(user, pk)
    is_reader = user.has_perm(selectors.VIEW_RESULTS)
    element_list = selectors.elements(survey.questionnaire)
    show_results = is_reader or survey.status == Survey.Status.CLOSED
    result = selectors.results(survey, user=user) if show_results else None
    return render(
        request,
        "survey/survey_detail.html",
        {
            "survey": survey,
            "elements": element_list,
            "unit_rows": _unit_rows(request, survey, element_list),
            "is_reader": is_reader,
            "result": result,
            "chart": selectors.element_chart(result) if result else None,
            "grades": selectors.scoring.GRADES,
            "can_manage": user.has_perm(services.MANAGE) and survey.status == Survey.Status.OPEN,
            "accepts_answers": survey.accepts_answers(today()),
        },
    )


@login_required
@permission_required(selectors.VIEW_RESULTS, raise_exception=True)
def survey_export(request, pk: int):
    survey = selectors.visible_survey(request.user, pk)
    bureau = request.user.has_perm(selectors.VIEW_SUGGESTIONS)
    result = selectors.results(survey, with_suggestions=bureau)
    content = exports.workbook(survey, result, with_responses=bureau)
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="rkpk-survei-kepuasan-{survey.cycle.year}.xlsx"'
    )
    return response


@login_required
@permission_required(services.MANAGE, raise_exception=True)
@require_POST
def survey_close(request, pk: int):
    survey = selectors.visible_survey(request.user, pk)
    try:
        services.close(actor=request.user, survey=survey)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The survey is closed; the units can see the results."))
    return redirect("survey:detail", pk=survey.pk)


# --- Answering -----------------------------------------------------------------------------


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


# --- The questionnaire ---------------------------------------------------------------------


@login_required
@permission_required(services.EDIT_QUESTIONNAIRE, raise_exception=True)
def questionnaire_edit(request):
    questionnaire = services.current_questionnaire()
    element_list = selectors.elements(questionnaire)
    form = QuestionnaireForm(
        request.POST or None, questionnaire=questionnaire, elements=element_list
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_questionnaire(
                    actor=request.user,
                    questionnaire=questionnaire,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    elements=form.element_values(),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                if saved.pk != questionnaire.pk:
                    messages.success(
                        request,
                        _(
                            "Saved as version %(n)s: the earlier version stays as the surveys "
                            "that used it asked it."
                        )
                        % {"n": saved.version},
                    )
                else:
                    messages.success(request, _("The questionnaire is saved."))
                return redirect("survey:questionnaire")
        status = 422
    used = questionnaire.surveys.exists()
    return render(
        request,
        "survey/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire, "used": used},
        status=status,
    )
