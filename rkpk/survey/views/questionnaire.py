"""The questionnaire's editor (the administrator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import form_errors
from rkpk.survey import selectors, services
from rkpk.survey.forms import QuestionnaireForm


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
