"""The plan pages of a unit's RK-PK: the list of plans, starting one, the plan page with its
conformity panel, submitting, and copying last year's plan.

Every write endpoint of the editor (here, in `parties` and in `rows`) answers two kinds of
request:
- htmx (header `HX-Request: true`): a fragment to swap into the page, plus the event
  `plan-changed` that refreshes the conformity panel and the budget total;
- a plain form post (no JavaScript): a redirect back to the plan page, or the form page
  again with the errors.
A failed save always comes back with what the user typed; a save on a stale copy comes
back as a conflict showing the other person's values beside the user's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rkpk.core.calendar import today
from rkpk.core.selectors import paginate
from rkpk.organisation import roles
from rkpk.organisation.models import Role, Unit
from rkpk.plans import checks as plan_checks
from rkpk.plans import services
from rkpk.plans.forms import PlanSearchForm, StartPlanForm
from rkpk.plans.models import MeasureUnit, Submission, UnitPlan
from rkpk.plans.selectors import plan_with_content, plans_for
from rkpk.plans.snapshot import plan_snapshot, total_budget
from rkpk.plans.views.approval import approval_context
from rkpk.plans.views.common import (
    editor_context,
    get_editable_plan,
    get_plan,
    is_htmx,
    lock_note,
    plan_url,
)
from rkpk.plans.views.parties import party_suggestions


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Plan list ----------------------------------------------------------------------------


def _years_to_start() -> list[int]:
    year = today().year
    return [year, year + 1]


@login_required
@permission_required("plans.view_plans", raise_exception=True)
def plan_list(request):
    user = request.user
    own_ids = roles.unit_ids(user)
    context = {}
    if own_ids:
        units = list(Unit.objects.filter(pk__in=own_ids).order_by("sort_order", "code"))
        plans = list(
            plans_for(user)
            .filter(unit_id__in=own_ids)
            .annotate(version=Max("submissions__number"))
            .order_by("unit__sort_order", "unit__code", "-year")
        )
        by_unit = {unit.pk: [] for unit in units}
        for plan in plans:
            by_unit[plan.unit_id].append(plan)
        rows = []
        for unit in units:
            existing = {p.year for p in by_unit[unit.pk]}
            startable = (
                [y for y in _years_to_start() if y not in existing]
                if user.has_perm("plans.edit_plan", unit)
                else []
            )
            rows.append({"unit": unit, "plans": by_unit[unit.pk], "startable": startable})
        context["unit_rows"] = rows
    if roles.sees_whole_ministry(user):
        form = PlanSearchForm(request.GET or None)
        plans = plans_for(user).annotate(version=Max("submissions__number"))
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                plans = plans.filter(
                    Q(unit__code__icontains=data["q"])
                    | Q(unit__name__icontains=data["q"])
                    | Q(unit__short_name__icontains=data["q"])
                )
            if data["year"]:
                plans = plans.filter(year=data["year"])
            if data["status"]:
                plans = plans.filter(status=data["status"])
        plans = plans.order_by("-year", "unit__sort_order", "unit__code")
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "search_form": form,
                "page": paginate(request, plans, 50),
                "query": query.urlencode(),
            }
        )
        if roles.has_role(user, Role.STAFF):
            context["start_form"] = StartPlanForm(
                units=Unit.objects.filter(is_active=True).order_by("sort_order", "code"),
                initial={"year": _years_to_start()[1]},
            )
    return render(request, "plans/plan_list.html", context)


@login_required
@require_POST
def plan_start(request):
    form = StartPlanForm(request.POST, units=Unit.objects.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a plan year between 2000 and 2100."))
        return redirect("plans:plan_list")
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    if not request.user.has_perm("plans.edit_plan", unit):
        raise PermissionDenied(_("You may not start a plan for this unit."))
    try:
        plan = services.get_or_create_plan(actor=request.user, unit=unit, year=year)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("plans:plan_list")
    return redirect(plan_url(plan))


def run_plan_checks(plan: UnitPlan) -> list[dict]:
    return plan_checks.run_checks(plan_snapshot(plan))


def checks_context(request, plan: UnitPlan, results: list[dict] | None = None) -> dict:
    results = run_plan_checks(plan) if results is None else results
    failing = plan_checks.blocking(results)
    user = request.user
    may_submit = user.has_perm("plans.submit_plan", plan) and plan.is_editable
    from rkpk.plans.head_approval import approval_required

    return {
        # The operator's "submit" sends the plan to the unit head when the organisation asks.
        "sends_to_head": may_submit
        and approval_required()
        and not user.has_perm("plans.approve_plan", plan),
        "plan": plan,
        "checks": results,
        "failing_errors": failing,
        "checks_passed": sum(1 for r in results if r["passed"]),
        "may_submit": may_submit,
        "submit_ready": may_submit and not failing,
    }


def budget_total(activities) -> object:
    """Each program once, plus activities outside a program (the snapshot's rule)."""
    return total_budget([{"kind": a.kind, "budget": a.budget} for a in activities])


def detail_context(request, plan: UnitPlan) -> dict:
    user = request.user
    plan = plan_with_content(plan.pk)
    goals = list(plan.goals.all())
    activities = list(plan.activities.all())
    submissions = list(
        Submission.objects.filter(plan=plan)
        .select_related("submitted_by")
        .defer("snapshot")
        .order_by("-number")
    )
    latest = submissions[0] if submissions else None
    may_edit = user.has_perm("plans.edit_plan", plan)
    can_edit = may_edit and plan.is_editable
    empty = not goals and not activities
    previous_plan = None
    if can_edit and empty:
        previous_plan = UnitPlan.objects.filter(unit=plan.unit, year=plan.year - 1).first()
    context = editor_context(request, plan)
    context.update(
        {
            "goals": goals,
            "activities": activities,
            "indicator_count": sum(len(g.indicators.all()) for g in goals),
            "budget_total": budget_total(activities),
            "submissions": submissions,
            "latest_submission": latest,
            "may_edit": may_edit,
            "lock_note": lock_note(plan, latest),
            "previous_plan": previous_plan,
            "measure_units": list(
                MeasureUnit.objects.filter(is_active=True).values_list("name", flat=True)
            ),
            "suggestions": party_suggestions(plan)
            if can_edit and not (plan.first_party_id and plan.second_party_id)
            else {},
        }
    )
    snapshot = plan_snapshot(plan)
    # the parties with the post the PK prints (the acted post, "Plt."), from the same snapshot
    context["printed_parties"] = snapshot["parties"]
    context.update(checks_context(request, plan, plan_checks.run_checks(snapshot)))
    context.update(approval_context(request, plan))
    return context


@login_required
@require_GET
def plan_detail(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    return render(request, "plans/plan_detail.html", detail_context(request, plan))


@login_required
@require_GET
def plan_checks_panel(request, unit_code, year):
    """The conformity panel (and the budget total), refreshed after every edit."""
    plan = get_plan(request.user, unit_code, year)
    if not is_htmx(request):
        return redirect(plan_url(plan, "checks"))
    plan = plan_with_content(plan.pk)
    context = checks_context(request, plan)
    context["budget_total"] = budget_total(plan.activities.all())
    context["goals"] = list(plan.goals.all())
    context["oob"] = True
    return render(request, "plans/_checks.html", context)


@login_required
@require_POST
def plan_submit(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    if not request.user.has_perm("plans.submit_plan", plan):
        raise PermissionDenied(_("Only the unit's operator or head submits its plan."))
    from rkpk.plans.services_approval import submit_or_request

    try:
        result = submit_or_request(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if isinstance(result, UnitPlan):  # the organisation asks for the unit head's approval
            messages.success(
                request,
                _("The plan was sent to the unit head for approval. It is read-only meanwhile."),
            )
        else:
            messages.success(
                request,
                _(
                    "Version %(n)s was submitted to the bureau. The plan is read-only until "
                    "it answers."
                )
                % {"n": result.number},
            )
    return redirect(plan_url(plan))


@login_required
@require_POST
def plan_copy(request, unit_code, year):
    plan = get_editable_plan(request.user, unit_code, year)
    try:
        services.copy_previous_year(actor=request.user, plan=plan)
    except ValidationError as error:
        text = _error_text(error)
        if hasattr(error, "error_dict"):  # rows of last year's plan the validator refuses
            text = _("Last year's plan cannot be copied as it is: %(problems)s") % {
                "problems": text
            }
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("Started from the plan of %(year)s. Enter this year's targets.")
            % {"year": plan.year - 1},
        )
    return redirect(plan_url(plan))
