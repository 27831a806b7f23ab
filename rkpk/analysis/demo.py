from rkpk.analysis import demo_data
from rkpk.analysis.models import RenstraPeriod, StrategicGoal


def load_demo_goals() -> int:
    name, first, last = demo_data.PERIOD
    period, _ = RenstraPeriod.objects.update_or_create(
        start_year=first, end_year=last, defaults={"name": name}
    )
    for order, text in enumerate(demo_data.GOALS, start=1):
        StrategicGoal.objects.update_or_create(
            period=period,
            code=f"SS-{order:02d}",
            defaults={"text": text, "is_example": True, "sort_order": order},
        )
    return len(demo_data.GOALS)
