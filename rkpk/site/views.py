from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from rkpk.core.calendar import today
from rkpk.correspondence import selectors as correspondence_selectors
from rkpk.organisation import roles
from rkpk.organisation.models import Official, Unit, User
from rkpk.plans.models import UnitPlan
from rkpk.plans.monitoring import deadline_state
from rkpk.plans.selectors import plans_for
from rkpk.procedure import selectors as procedure_selectors
from rkpk.site import selectors, setup


@login_required
def home(request):
    user = request.user
    has_role = bool(roles.assignments(user))
    cycle = procedure_selectors.current_cycle() if has_role else None
    open_steps, coming_steps = procedure_selectors.work_for(user)
    context = {
        "overview": procedure_selectors.cycle_overview(cycle) if cycle else None,
        "open_steps": open_steps,
        "coming_steps": coming_steps[:5],
        "my_units": Unit.objects.filter(pk__in=roles.unit_ids(user)).select_related("parent"),
        "has_role": has_role,
        "tasks": selectors.tasks_for(user) if has_role else [],
        "inbox_counts": correspondence_selectors.inbox_counts(user) if has_role else None,
    }
    year = cycle.year if cycle else None
    if year and roles.unit_ids(user):
        context["unit_plans"] = list(
            plans_for(user)
            .filter(year=year, unit_id__in=roles.unit_ids(user))
            .order_by("unit__code")
        )
        context["plan_year"] = year
        context["deadline"] = deadline_state(cycle, today())
    if year and user.has_perm("plans.review_plan"):
        context["awaiting_review"] = (
            plans_for(user).filter(year=year, status__in=UnitPlan.AWAITING_BUREAU).count()
        )
        context["plan_year"] = year
    if user.has_perm("organisation.manage"):
        context["counts"] = {
            "units": Unit.objects.filter(is_active=True).count(),
            "officials": Official.objects.filter(is_active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
        }
        context["setup_pending"] = setup.pending_for(user)
    return render(request, "site/home.html", context)


@login_required
@permission_required("organisation.manage", raise_exception=True)
def setup_checklist(request):
    """What a new organisation must enter before its first cycle, each item with its state."""
    items = setup.checklist()
    pending = setup.pending(items)
    return render(request, "site/setup.html", {"items": items, "pending": pending, "states": setup})
