"""The reads of the analysis app that pages, the API and the services share."""

from rkpk.analysis.models import AnalysisDraft, Compilation, RenstraPeriod, StrategicGoal
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
