from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from rkpk.analysis import selectors


@login_required
@permission_required("analysis.view_goals", raise_exception=True)
def goal_list(request):
    periods = list(selectors.periods())
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = chosen or (periods[0] if periods else None)
    goals = list(selectors.goals_of(period)) if period else []
    return render(
        request,
        "analysis/goal_list.html",
        {
            "periods": periods,
            "period": period,
            "goals": goals,
            "has_examples": any(g.is_example for g in goals),
        },
    )
