"""What the units' late submissions do to the cycle's later steps.

The submissions themselves are the unit plans' business: the plans app registers, in its
`apps.py` `ready()`, the reading of a cycle's submission deadline and of the units that have
not submitted (`register(...)`). Without one, a cycle has no deadline and nobody is late.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rkpk.core.calendar import WorkingCalendar
from rkpk.procedure.models import Cycle, CycleStep

MONITORING_STEP = 3  # the step that monitors the submissions; the steps from here on can slip


@dataclass
class Submissions:
    """Where a cycle's submissions stand on a day."""

    deadline: date | None = None
    firm: bool = False  # the call for submissions has gone out: only then can a unit be late
    days_late: int = 0  # working days since the deadline
    pending: list = field(default_factory=list)  # the units not submitted (code, name), in order


_sources: list[Callable[[Cycle, date, WorkingCalendar], Submissions]] = []


def register(source: Callable[[Cycle, date, WorkingCalendar], Submissions]) -> None:
    if source not in _sources:
        _sources.append(source)


def _submissions(cycle: Cycle, today: date, cal: WorkingCalendar) -> Submissions:
    return _sources[0](cycle, today, cal) if _sources else Submissions()


def lateness_forecast(cycle: Cycle, today: date, cal: WorkingCalendar | None = None) -> dict:
    """How many working days the latest unit is past the submission deadline, and each later
    step (3 and on) not yet done with its planned window shifted by that delay. No delay
    once step 3 (monitoring) is done: the later steps were replanned from its actual end.

    Keys: year, deadline, firm, today, delay_days, late_units (list of {code, name}),
    missing_count, monitoring_closed, steps (number, title, status, status_label,
    planned_start, planned_end, shifted_start, shifted_end), planned_end and forecast_end
    (of the last step; None without steps).
    """
    cal = cal or WorkingCalendar()
    state = _submissions(cycle, today, cal)
    pending = state.pending
    monitoring_closed = cycle.steps.filter(
        number=MONITORING_STEP, status=CycleStep.Status.DONE
    ).exists()
    # Once monitoring is closed the later steps were replanned from its actual end already.
    delay = state.days_late if pending and not monitoring_closed else 0
    steps = []
    for step in (
        cycle.steps.filter(number__gte=MONITORING_STEP)
        .exclude(status=CycleStep.Status.DONE)
        .select_related("standard_step")
        .order_by("number")
    ):
        steps.append(
            {
                "number": step.number,
                "title": step.standard_step.title,
                "status": step.status,
                "status_label": step.get_status_display(),
                "planned_start": step.planned_start,
                "planned_end": step.planned_end,
                "shifted_start": cal.add_working_days(step.planned_start, delay),
                "shifted_end": cal.add_working_days(step.planned_end, delay),
            }
        )
    return {
        "year": cycle.year,
        "deadline": state.deadline,
        "firm": state.firm,
        "today": today,
        "delay_days": delay,
        "late_units": [{"code": u.code, "name": u.name} for u in pending] if delay else [],
        "missing_count": len(pending),
        "monitoring_closed": monitoring_closed,
        "steps": steps,
        "planned_end": steps[-1]["planned_end"] if steps else None,
        "forecast_end": steps[-1]["shifted_end"] if steps else None,
    }
