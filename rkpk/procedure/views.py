from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import error_sentence
from rkpk.procedure import selectors, services
from rkpk.procedure.forms import (
    CycleStartForm,
    StandardHeaderForm,
    StandardStepFormSet,
    StepActionForm,
)
from rkpk.procedure.lateness import lateness_forecast
from rkpk.procedure.models import CycleStep, ServiceStandard
from rkpk.procedure.timeline import build_timeline


@login_required
@permission_required("procedure.view_cycle", raise_exception=True)
def cycle_list(request):
    cycles = list(selectors.cycles_for(request.user))
    return render(request, "procedure/cycle_list.html", {"cycles": cycles})


@login_required
@permission_required("procedure.start_cycle", raise_exception=True)
def cycle_create(request):
    form = CycleStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.start_cycle(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(cycle)s started.") % {"cycle": cycle})
            return redirect("procedure:cycle_detail", year=cycle.year)
    return render(
        request,
        "procedure/cycle_form.html",
        {"form": form, "standard": selectors.latest_standard()},
    )


@login_required
@permission_required("procedure.view_cycle", raise_exception=True)
def cycle_detail(request, year):
    # The ministry plan with it: the workplaces link it when it exists (no extra query).
    cycle = (
        selectors.cycles_for(request.user).select_related("ministry_plan").filter(year=year).first()
    )
    if cycle is None:
        raise Http404
    overview = selectors.cycle_overview(cycle)
    actionable = {p.number for p in overview.steps if services.may_act_on(request.user, p.step)}
    lateness = lateness_forecast(cycle, overview.today)
    workplaces = (
        selectors.workplaces(cycle) if request.user.has_perm("procedure.see_workplaces") else {}
    )
    return render(
        request,
        "procedure/cycle_detail.html",
        {
            "overview": overview,
            "timeline": build_timeline(overview),
            "actionable": actionable,
            "lateness": lateness,
            "workplaces": workplaces,
        },
    )


@login_required
@require_POST
def step_action(request, year, number):
    step = get_object_or_404(CycleStep, cycle__year=year, number=number)
    form = StepActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete."))
        return redirect("procedure:cycle_detail", year=year)
    data = form.cleaned_data
    try:
        services.advance(
            actor=request.user,
            step=step,
            action=data["action"],
            reason=data["reason"],
            to_number=data["to_number"],
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    except ValidationError as error:
        messages.error(request, error_sentence(error))
    else:
        done = {
            "start": _("Step %(n)s started."),
            "complete": _("Step %(n)s completed."),
            "return": _("Step %(n)s returned."),
        }[data["action"]]
        messages.success(request, done % {"n": number})
    return redirect(reverse("procedure:cycle_detail", args=[year]) + f"#step-{number}")


@login_required
@permission_required("procedure.view_standard", raise_exception=True)
def standard_detail(request, version=None):
    if version is None:
        standard = selectors.latest_standard()
    else:
        standard = get_object_or_404(ServiceStandard, version=version)
    return render(
        request,
        "procedure/standard_detail.html",
        {
            "standard": standard,
            "steps": selectors.standard_steps(standard) if standard else [],
            "versions": ServiceStandard.objects.order_by("-version"),
        },
    )


@login_required
@permission_required("procedure.manage_standard", raise_exception=True)
def standard_edit(request):
    base = selectors.latest_standard()
    queryset = base.steps.order_by("number") if base else ServiceStandard.objects.none()
    header = StandardHeaderForm(request.POST or None, initial={"name": base.name if base else ""})
    formset = StandardStepFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        deleted = set(formset.deleted_forms)
        steps = [
            form.as_step()
            for form in formset.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]
        try:
            standard = services.create_standard_version(
                actor=request.user, steps=steps, **header.cleaned_data
            )
        except ValidationError as error:
            header.add_error(None, error)
        else:
            messages.success(
                request, _("Version %(v)s of the service standard saved.") % {"v": standard.version}
            )
            return redirect("procedure:standard_detail")
    return render(
        request,
        "procedure/standard_edit.html",
        {"header": header, "formset": formset, "base": base},
    )
