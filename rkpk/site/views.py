from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from rkpk.core.cache import cached
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
    # The part below the navigation depends only on the user and the data (the version of
    # rkpk.core.cache renews on every committed change, so a task done or a plan submitted
    # shows on the next request) and on the day (lateness, acting assignments) and the
    # language it is written in. The user's own id keeps one user's work from another's.
    body = cached(
        ("home", user.pk, today(), get_language()),
        lambda: render_to_string("site/_home_body.html", home_context(user)),
    )
    return render(request, "site/home.html", {"body": body})


def home_context(user) -> dict:
    """What the home page shows the user: their work, their unit's plans, the cycle."""
    has_role = bool(roles.assignments(user))
    cycle = procedure_selectors.current_cycle() if has_role else None
    open_steps, coming_steps = procedure_selectors.work_for(user)
    unit_ids = roles.unit_ids(user)
    context = {
        "user": user,
        "overview": procedure_selectors.cycle_overview(cycle) if cycle else None,
        "open_steps": open_steps,
        "coming_steps": coming_steps[:5],
        "my_units": list(Unit.objects.filter(pk__in=unit_ids).select_related("parent")),
        "has_role": has_role,
        # Asked only where the page offers it: no cycle yet.
        "can_start_cycle": has_role and cycle is None and user.has_perm("procedure.start_cycle"),
        "tasks": selectors.tasks_for(user) if has_role else [],
        "inbox_counts": correspondence_selectors.inbox_counts(user) if has_role else None,
    }
    year = cycle.year if cycle else None
    if year and unit_ids:
        context["unit_plans"] = list(
            plans_for(user).filter(year=year, unit_id__in=unit_ids).order_by("unit__code")
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
    return context


@login_required
@permission_required("organisation.manage", raise_exception=True)
def setup_checklist(request):
    """What a new organisation must enter before its first cycle, each item with its state."""
    items = setup.checklist()
    pending = setup.pending(items)
    return render(request, "site/setup.html", {"items": items, "pending": pending, "states": setup})
