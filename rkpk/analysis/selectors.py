from rkpk.analysis.models import RenstraPeriod, StrategicGoal


def periods():
    return RenstraPeriod.objects.order_by("-start_year")


def goals_of(period: RenstraPeriod):
    return StrategicGoal.objects.filter(period=period).order_by("sort_order", "code")
