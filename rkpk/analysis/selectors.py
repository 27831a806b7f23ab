"""The reads of the analysis app that pages, the API and the services share."""

import dataclasses

from django.db.models.fields.json import KT

from rkpk.analysis import coverage
from rkpk.analysis.models import AnalysisDraft, Compilation, RenstraPeriod, StrategicGoal
from rkpk.core.cache import cached
from rkpk.organisation.models import Unit
from rkpk.plans.models import Indicator, UnitPlan


def periods():
    return RenstraPeriod.objects.order_by("-start_year")


def goals_of(period: RenstraPeriod):
    return StrategicGoal.objects.filter(period=period).order_by("sort_order", "code")


def period_for_year(year: int) -> RenstraPeriod | None:
    """The Renstra period covering a plan year (the latest starting, if several do)."""
    return (
        RenstraPeriod.objects.filter(start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )


def indicators_of_year(year: int):
    """The indicators of the year's accepted plans, with what a mapping page shows."""
    return (
        Indicator.objects.filter(plan__year=year, plan__status=UnitPlan.Status.ACCEPTED)
        .select_related("plan__unit", "goal", "mapping__goal", "mapping__decided_by")
        .order_by("plan__unit__sort_order", "plan__unit__code", "goal__position", "position", "id")
    )


def compilations(year: int):
    """The compilations of a year, newest first."""
    return Compilation.objects.filter(year=year).order_by("-number")


def latest_compilation(year: int) -> Compilation | None:
    return compilations(year).first()


def compilation_versions(year: int):
    """The versions' list: each version's counts read in the query, without loading its
    content (the whole compiled RK-PK, megabytes for a few hundred units)."""
    return (
        compilations(year)
        .defer("data")
        .select_related("created_by")
        .annotate(
            units_count=KT("data__counts__units"), unmapped_count=KT("data__counts__unmapped")
        )
    )


def compilation_header(year: int, number: int) -> Compilation | None:
    """A version without its content (read with `compilation_part`)."""
    return compilations(year).defer("data").filter(number=number).first()


UNMAPPED = "unmapped"


def _compilation_part(compilation_id: int, shown: str) -> dict:
    data = Compilation.objects.values_list("data", flat=True).get(pk=compilation_id)
    goals, rows = [], None
    for goal in data.get("goals", []):
        entries = goal.get("unit_indicators", [])
        if str(goal.get("id")) == shown:
            rows = entries
        goals.append(
            {**{k: v for k, v in goal.items() if k != "unit_indicators"}, "count": len(entries)}
        )
    unmapped = data.get("unmapped", [])
    if shown == UNMAPPED:
        rows = unmapped
    summary = {k: v for k, v in data.items() if k not in ("goals", "unmapped")}
    return {**summary, "goals": goals, "unmapped_count": len(unmapped), "rows": rows}


def compilation_part(compilation: Compilation, shown: str) -> dict:
    """A compiled version's content for its page: everything but the unit indicators'
    lists, which are counted, and of them only the list `shown` (a goal's id, or
    UNMAPPED) as `rows` (None when there is no such list).

    A version's content never changes once compiled, and every reader allowed to open the
    page sees all of it: one shared cached value per version and list."""
    return cached(
        ("analysis.compilation_part", compilation.pk, shown),
        lambda: _compilation_part(compilation.pk, shown),
    )


def years_compiled() -> list[int]:
    return list(Compilation.objects.order_by("-year").values_list("year", flat=True).distinct())


def goals_with_targets(period: RenstraPeriod):
    """A period's goals with their ministry indicators, targets and responsible units."""
    return goals_of(period).prefetch_related("indicators__targets", "indicators__responsible_units")


def draft_of(year: int) -> AnalysisDraft | None:
    """The analysis draft of a plan year, with its compilation."""
    return AnalysisDraft.objects.filter(year=year).select_related("compilation").first()


def units_with_accepted_plans(year: int):
    """The units whose plan of the year is accepted (the mapping page's unit filter)."""
    return (
        Unit.objects.filter(plans__year=year, plans__status=UnitPlan.Status.ACCEPTED)
        .order_by("sort_order", "code")
        .only("code", "name")
    )


def compilation_coverage(compilation: Compilation, *, weak: int, shown: str):
    """The coverage of a version (rkpk.analysis.coverage) with, of its two long lists
    (`lower_than_last_year`, `unmapped`), only the one `shown` (both are counted in
    `counts`). Shared by every reader, like the version's content."""

    def compute():
        full = Compilation.objects.get(pk=compilation.pk)
        result = coverage.coverage(full, weak=weak)
        kept = {name: [] for name in ("lower_than_last_year", "unmapped") if name != shown}
        return dataclasses.replace(result, **kept)

    return cached(("analysis.coverage", compilation.pk, weak, shown), compute)
