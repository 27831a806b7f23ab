"""Strategic goals pages: the list per period (everyone with a role), the administrator's
edit forms, ministry indicators with yearly targets, XLSX import and template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.analysis import goals as services
from rkpk.analysis import selectors
from rkpk.analysis.models import MinistryIndicator, RenstraPeriod, StrategicGoal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@permission_required("analysis.view_goals", raise_exception=True)
def goal_list(request):
    periods = list(selectors.periods())
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = chosen or (periods[0] if periods else None)
    goals = (
        list(
            StrategicGoal.objects.filter(period=period)
            .prefetch_related("indicators__targets")
            .order_by("sort_order", "code")
        )
        if period
        else []
    )
    years = list(range(period.start_year, period.end_year + 1)) if period else []
    for goal in goals:
        for ind in goal.indicators.all():
            by_year = {t.year: t for t in ind.targets.all()}
            ind.row_targets = [by_year.get(y) for y in years]
    return render(
        request,
        "analysis/goals_list.html",
        {
            "periods": periods,
            "period": period,
            "goals": goals,
            "years": years,
            "has_examples": any(g.is_example for g in goals),
            "can_manage": request.user.has_perm("analysis.manage_goals"),
            "aggregations": MinistryIndicator.Aggregation.choices,
        },
    )


def _back(period_id) -> str:
    return reverse("analysis:goal_list") + f"?period={period_id}"


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_period_add(request):
    try:
        period = services.create_period(
            actor=request.user,
            name=request.POST.get("name", ""),
            start_year=int(request.POST.get("start_year") or 0),
            end_year=int(request.POST.get("end_year") or 0),
        )
    except (ValidationError, ValueError) as error:
        _errors(
            request,
            error
            if isinstance(error, ValidationError)
            else ValidationError(_("Give the years as numbers.")),
        )
        return redirect("analysis:goal_list")
    return redirect(_back(period.pk))


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_goal_save(request, period_id: int, goal_id: int | None = None):
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    try:
        if request.POST.get("delete") and goal_id:
            goal = get_object_or_404(StrategicGoal, pk=goal_id, period=period)
            services.delete_goal(actor=request.user, goal=goal)
        elif goal_id:
            goal = get_object_or_404(StrategicGoal, pk=goal_id, period=period)
            services.update_goal(
                actor=request.user,
                goal=goal,
                code=request.POST.get("code", ""),
                text=request.POST.get("text", ""),
            )
        else:
            services.create_goal(
                actor=request.user,
                period=period,
                code=request.POST.get("code", ""),
                text=request.POST.get("text", ""),
            )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(_back(period.pk))


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_indicator_save(request, goal_id: int, indicator_id: int | None = None):
    goal = get_object_or_404(StrategicGoal.objects.select_related("period"), pk=goal_id)
    post = request.POST
    fields = {
        "code": post.get("code", ""),
        "name": post.get("name", ""),
        "measure": post.get("measure", ""),
        "aggregation": post.get("aggregation", "sum"),
    }
    try:
        if indicator_id:
            indicator = get_object_or_404(MinistryIndicator, pk=indicator_id, goal=goal)
            if post.get("delete"):
                services.delete_indicator(actor=request.user, indicator=indicator)
            else:
                services.update_indicator(actor=request.user, indicator=indicator, **fields)
        else:
            indicator = services.create_indicator(actor=request.user, goal=goal, **fields)
        if not post.get("delete"):
            for year in range(goal.period.start_year, goal.period.end_year + 1):
                if f"target_{year}" in post:
                    raw = post.get(f"target_{year}", "").strip()
                    number, text = raw, ""
                    try:
                        services._number_or_none(raw, "value")
                    except ValidationError:
                        number, text = None, raw
                    services.set_target(
                        actor=request.user, indicator=indicator, year=year, value=number, text=text
                    )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(_back(goal.period_id))


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
def goals_import(request):
    summary = file_error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("Choose a file.")
        else:
            try:
                summary = services.import_goals(actor=request.user, upload=upload)
            except services.ImportFileError as error:
                file_error = error.message
            if summary and summary.ok:
                messages.success(
                    request,
                    _("Imported %(g)s goals, %(i)s indicators and %(t)s targets.")
                    % {"g": summary.goals, "i": summary.indicators, "t": summary.targets},
                )
                return redirect("analysis:goal_list")
    return render(
        request,
        "analysis/goals_import.html",
        {"summary": summary, "file_error": file_error, "periods": selectors.periods()},
    )


@login_required
@permission_required("analysis.view_goals", raise_exception=True)
def goals_template(request):
    period = RenstraPeriod.objects.filter(pk=request.GET.get("period") or 0).first()
    response = HttpResponse(services.template_workbook(period), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="sasaran-stratejik.xlsx"'
    return response


urlpatterns = [
    path("goals/", goal_list, name="goal_list"),
    path("goals/periods/add/", goals_period_add, name="goals_period_add"),
    path("goals/<int:period_id>/goal/", goals_goal_save, name="goals_goal_add"),
    path("goals/<int:period_id>/goal/<int:goal_id>/", goals_goal_save, name="goals_goal_edit"),
    path("goals/goal/<int:goal_id>/indicator/", goals_indicator_save, name="goals_indicator_add"),
    path(
        "goals/goal/<int:goal_id>/indicator/<int:indicator_id>/",
        goals_indicator_save,
        name="goals_indicator_edit",
    ),
    path("goals/import/", goals_import, name="goals_import"),
    path("goals/template.xlsx", goals_template, name="goals_template"),
]
