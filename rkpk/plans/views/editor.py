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

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rkpk.core.actions import error_texts, flash_errors, require
from rkpk.core.cache import cached, render_shared
from rkpk.core.calendar import today
from rkpk.core.selectors import paginate
from rkpk.plans import checks as plan_checks
from rkpk.plans import selectors, services, services_approval, services_content
from rkpk.plans.forms import PlanSearchForm, StartPlanForm
from rkpk.plans.head_approval import approval_required
from rkpk.plans.models import UnitPlan
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

# --- Plan list ----------------------------------------------------------------------------


def _years_to_start() -> list[int]:
    year = today().year
    return [year, year + 1]


@login_required
@permission_required("plans.view_plans", raise_exception=True)
def plan_list(request):
    user = request.user
    context = {}
    own = selectors.own_plans_by_unit(user)
    if own:
        context["unit_rows"] = [
            {"unit": unit, "plans": plans, "startable": _startable(user, unit, plans)}
            for unit, plans in own
        ]
    if user.has_perm("plans.view_all_plans"):
        form = PlanSearchForm(request.GET or None)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {"query": data["q"], "year": data["year"], "status": data["status"]}
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "search_form": form,
                "page": paginate(request, selectors.search_plans(user, **filters), 50),
                "query": query.urlencode(),
            }
        )
        if user.has_perm("plans.start_any_plan"):
            context["start_form"] = StartPlanForm(
                units=selectors.active_units(), initial={"year": _years_to_start()[1]}
            )
    return render(request, "plans/plan_list.html", context)


def _startable(user, unit, plans) -> list[int]:
    """The years the user may start a plan of the unit for (those without one yet)."""
    if not user.has_perm("plans.edit_plan", unit):
        return []
    existing = {plan.year for plan in plans}
    return [year for year in _years_to_start() if year not in existing]


@login_required
@require_POST
def plan_start(request):
    form = StartPlanForm(request.POST, units=selectors.active_units())
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a plan year between 2000 and 2100."))
        return redirect("plans:plan_list")
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    require(
        request.user, "plans.edit_plan", unit, message=_("You may not start a plan for this unit.")
    )
    try:
        plan = services.get_or_create_plan(actor=request.user, unit=unit, year=year)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("plans:plan_list")
    return redirect(plan_url(plan))


def run_plan_checks(plan: UnitPlan) -> list[dict]:
    return plan_checks.run_checks(plan_snapshot(plan))


def checks_context(
    request, plan: UnitPlan, results: list[dict] | None = None, viewer: "Viewer | None" = None
) -> dict:
    results = run_plan_checks(plan) if results is None else results
    failing = plan_checks.blocking(results)
    viewer = viewer or viewer_of(request.user, plan)
    return {
        # The operator's "submit" sends the plan to the unit head when the organisation asks.
        "sends_to_head": viewer.may_submit and approval_required() and not viewer.may_approve,
        "plan": plan,
        "checks": results,
        "failing_errors": failing,
        "checks_passed": sum(1 for r in results if r["passed"]),
        "may_submit": viewer.may_submit,
        "submit_ready": viewer.may_submit and not failing,
    }


def budget_total(activities) -> object:
    """Each program once, plus activities outside a program (the snapshot's rule)."""
    return total_budget([{"kind": a.kind, "budget": a.budget} for a in activities])


class Viewer(NamedTuple):
    """What the viewer may do on the plan, as far as the plan page shows it. The page's
    content depends on the viewer through these flags only, so viewers with equal flags
    share it (`plan_detail`)."""

    may_edit: bool
    may_submit: bool
    may_approve: bool
    reviews: bool


def viewer_of(user, plan: UnitPlan) -> Viewer:
    may_submit = plan.is_editable and user.has_perm("plans.submit_plan", plan)
    # Asked only where the page shows it, and kept: whether the user heads the unit (today,
    # also as Plt./Plh.) costs queries.
    shows_approval = plan.status == UnitPlan.Status.AWAITING_HEAD or (
        may_submit and approval_required()
    )
    return Viewer(
        may_edit=user.has_perm("plans.edit_plan", plan),
        may_submit=may_submit,
        may_approve=shows_approval
        and cached(
            ("plans.approves", user.pk, plan.unit_id, today()),
            lambda: user.has_perm("plans.approve_plan", plan),
        ),
        reviews=user.has_perm("plans.review_plan"),
    )


def detail_context(request, plan: UnitPlan, viewer: Viewer) -> dict:
    plan = selectors.plan_with_content(plan.pk)
    goals = list(plan.goals.all())
    activities = list(plan.activities.all())
    submissions = list(selectors.submissions_of(plan))
    latest = submissions[0] if submissions else None
    can_edit = viewer.may_edit and plan.is_editable
    empty = not goals and not activities
    previous_plan = None
    if can_edit and empty:
        previous_plan = selectors.previous_year_plan(plan)
    context = editor_context(request, plan)
    context.update(
        {
            "can_edit": can_edit,
            "goals": goals,
            "activities": activities,
            "indicator_count": sum(len(g.indicators.all()) for g in goals),
            "budget_total": budget_total(activities),
            "submissions": submissions,
            "latest_submission": latest,
            "may_edit": viewer.may_edit,
            "lock_note": lock_note(plan, latest),
            "previous_plan": previous_plan,
            "measure_units": selectors.measure_unit_names(),
            "suggestions": party_suggestions(plan)
            if can_edit and not (plan.first_party_id and plan.second_party_id)
            else {},
        }
    )
    snapshot = plan_snapshot(plan)
    # the parties with the post the PK prints (the acted post, "Plt."), from the same snapshot
    context["printed_parties"] = snapshot["parties"]
    context.update(checks_context(request, plan, plan_checks.run_checks(snapshot), viewer))
    context.update(approval_context(request, plan))
    return context


@login_required
@require_GET
def plan_detail(request, unit_code, year):
    """The plan page. Its content is rendered once per data version for every viewer with
    the same permissions on the plan (the day and the language too: the checks and the
    suggested parties depend on today's heads), and reused by the next viewers."""
    plan = selectors.plan_by_rule(request.user, unit_code, year)
    if plan is None:
        raise Http404
    viewer = viewer_of(request.user, plan)
    content = render_shared(
        ("plans.plan_page", plan.pk, plan.revision, get_language(), today(), viewer),
        "plans/_plan_page.html",
        lambda: detail_context(request, plan, viewer),
        request,
    )
    return render(request, "plans/plan_detail.html", {"plan": plan, "content": content})


@login_required
@require_GET
def plan_checks_panel(request, unit_code, year):
    """The conformity panel (and the budget total), refreshed after every edit."""
    plan = get_plan(request.user, unit_code, year)
    if not is_htmx(request):
        return redirect(plan_url(plan, "checks"))
    plan = selectors.plan_with_content(plan.pk)
    context = checks_context(request, plan)
    context["budget_total"] = budget_total(plan.activities.all())
    context["goals"] = list(plan.goals.all())
    context["oob"] = True
    return render(request, "plans/_checks.html", context)


@login_required
@require_POST
def plan_submit(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    require(
        request.user,
        "plans.submit_plan",
        plan,
        message=_("Only the unit's operator or head submits its plan."),
    )
    try:
        result = services_approval.submit_or_request(actor=request.user, plan=plan)
    except ValidationError as error:
        flash_errors(request, error)
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
        services_content.copy_previous_year(actor=request.user, plan=plan)
    except ValidationError as error:
        text = " ".join(error_texts(error))
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
