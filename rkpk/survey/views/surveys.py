"""The surveys: the list ("Survei Kepuasan": a unit's open surveys and answers; the bureau's
surveys per cycle and the button to open one), a survey's page with its results (index,
grade, element table and chart, response rate, units not answered, suggestions), the XLSX
export and closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import run_action
from rkpk.core.calendar import today
from rkpk.procedure.models import Cycle
from rkpk.survey import exports, selectors, services
from rkpk.survey.forms import OpenSurveyForm
from rkpk.survey.models import Survey

VIEW = "survey.view_surveys"
PAGE_SIZE = 20


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
    opened, survey = run_action(
        request,
        services.open_for_cycle,
        _("The satisfaction survey of %(cycle)s is open; every unit has been invited.")
        % {"cycle": cycle.name},
        cycle=cycle,
    )
    if not opened:
        return redirect("survey:list")
    return redirect("survey:detail", pk=survey.pk)


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
    run_action(
        request,
        services.close,
        _("The survey is closed; the units can see the results."),
        survey=survey,
    )
    return redirect("survey:detail", pk=survey.pk)
