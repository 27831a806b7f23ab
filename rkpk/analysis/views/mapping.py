"""The mapping page of a plan year: unit indicators with their suggested strategic goals,
accepted in bulk or overridden by hand (rkpk.analysis.services_mapping)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from rkpk.analysis import mapping, selectors, services_mapping

PER_PAGE = 100
STATES = ("unmapped", "mapped", "all")


def _filters(request) -> dict:
    data = request.GET
    state = data.get("state") if data.get("state") in STATES else "unmapped"
    goal = data.get("goal", "")
    return {"unit": data.get("unit", ""), "goal": goal if goal.isdigit() else "", "state": state}


def _rows(year: int, filters: dict, page_number, suggester):
    """The filtered indicators of the year, one page of them, each with its suggestions."""
    indicators = selectors.indicators_of_year(year)
    if filters["unit"]:
        indicators = indicators.filter(plan__unit__code=filters["unit"])
    if filters["state"] == "unmapped":
        indicators = indicators.filter(mapping__isnull=True)
    elif filters["state"] == "mapped":
        indicators = indicators.filter(mapping__isnull=False)
    goal_id = int(filters["goal"]) if filters["goal"] else None
    if goal_id is None:
        page = Paginator(indicators, PER_PAGE).get_page(page_number)
        items = list(page.object_list)
        suggestions = suggester.suggest(items)
    else:
        # An unmapped indicator "belongs" to the goal of its first suggestion: rank them all.
        everything = list(indicators)
        ranked = suggester.suggest(everything)
        kept = [
            (ind, sug)
            for ind, sug in zip(everything, ranked, strict=True)
            if (
                ind.mapping.goal_id == goal_id
                if hasattr(ind, "mapping")
                else bool(sug) and sug[0].goal.pk == goal_id
            )
        ]
        page = Paginator(kept, PER_PAGE).get_page(page_number)
        items = [ind for ind, _s in page.object_list]
        suggestions = [s for _i, s in page.object_list]
    rows = [
        {
            "indicator": ind,
            "mapping": ind.mapping if hasattr(ind, "mapping") else None,
            "suggestions": sug,
        }
        for ind, sug in zip(items, suggestions, strict=True)
    ]
    return page, rows


@login_required
@permission_required("analysis.view_mapping", raise_exception=True)
@require_http_methods(["GET", "POST"])
def mapping_list(request, year: int):
    if request.method == "POST":
        return _post(request, year)
    filters = _filters(request)
    suggester = mapping.suggester_for(year)
    page, rows = _rows(year, filters, request.GET.get("page"), suggester)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analysis/mapping_list.html",
        {
            "year": year,
            "period": suggester.period,
            "goals": suggester.goals,
            "units": selectors.units_with_accepted_plans(year),
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_edit": request.user.has_perm("analysis.edit_mapping"),
        },
    )


def _revision(request, indicator_id: int):
    value = request.POST.get(f"rev-{indicator_id}", "")
    return int(value) if value.isdigit() else None


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _post(request, year: int):
    back = reverse("analysis:mapping_list", args=[year])
    if request.GET:
        back += "?" + request.GET.urlencode()
    if not request.user.has_perm("analysis.edit_mapping"):
        messages.error(request, _("Only the bureau maps indicators to strategic goals."))
        return redirect(back)
    try:
        if "override" in request.POST:
            indicator_id = int(request.POST["override"])
            goal = request.POST.get(f"goal-{indicator_id}", "")
            if not goal.isdigit():
                raise ValidationError(_("Choose a goal for the indicator first."))
            services_mapping.set_mapping(
                actor=request.user,
                indicator=indicator_id,
                goal=int(goal),
                revision=_revision(request, indicator_id),
            )
            messages.success(request, _("The mapping was saved."))
        else:
            ids = _ids(
                request.POST.getlist("row")
                if "accept_page" in request.POST
                else request.POST.getlist("selected")
            )
            if not ids:
                raise ValidationError(_("Select at least one indicator."))
            indicators = list(selectors.indicators_of_year(year).filter(pk__in=ids))
            suggestions = mapping.suggester_for(year).suggest(indicators, top=1)
            items = [
                (ind, sug[0].goal, _revision(request, ind.pk))
                for ind, sug in zip(indicators, suggestions, strict=True)
                if sug
            ]
            made = services_mapping.accept_suggestions(actor=request.user, items=items)
            messages.success(
                request,
                ngettext(
                    "%(n)d suggestion was accepted.", "%(n)d suggestions were accepted.", len(made)
                )
                % {"n": len(made)},
            )
    except services_mapping.ConflictError as error:
        messages.warning(request, " ".join(error.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
